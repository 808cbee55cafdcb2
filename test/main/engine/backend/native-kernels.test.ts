// The optional native conv kernels (OpenBLAS) against the cpu backend's reference kernels. They exist
// wherever libopenblas-dev and a compiler were there at `npm install`; CI installs both, so there a
// missing addon is a failure, not a skip.
import * as tf from '@tensorflow/tfjs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relError } from './compare';
import { selectBackend } from '../../../../main/engine/backend/index';
import { loadNativeKernels, nativeCandidates, openNativeKernels } from '../../../../main/engine/backend/native-addon';
import { activeNativeKernels, registerNativeKernels, unregisterNativeKernels } from '../../../../main/engine/backend/native-kernels';

const native = loadNativeKernels();
const required = process.env.CI === 'true' || process.env.S3GAN_NATIVE_REQUIRED === '1';

type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];
interface Case { b: number; h: number; w: number; ci: number; co: number; k: number; stride: 1 | 2; pad: Pad; dilation?: 2 }

const cases: Case[] = [
  { b: 2, h: 8, w: 8, ci: 3, co: 4, k: 3, stride: 1, pad: 'same' },
  { b: 3, h: 9, w: 7, ci: 2, co: 5, k: 3, stride: 1, pad: 'valid' },
  { b: 2, h: 8, w: 8, ci: 4, co: 3, k: 3, stride: 2, pad: 'same' },
  { b: 2, h: 9, w: 9, ci: 3, co: 4, k: 3, stride: 2, pad: 'same' },
  { b: 2, h: 9, w: 8, ci: 3, co: 2, k: 3, stride: 2, pad: 'valid' },
  { b: 3, h: 8, w: 8, ci: 5, co: 6, k: 1, stride: 1, pad: 'same' }, // pointwise: no im2col
  { b: 1, h: 8, w: 8, ci: 5, co: 6, k: 1, stride: 2, pad: 'same' },
  { b: 2, h: 8, w: 8, ci: 2, co: 3, k: 4, stride: 2, pad: 'same' },
  { b: 2, h: 7, w: 7, ci: 2, co: 3, k: 3, stride: 1, pad: [[0, 0], [2, 1], [0, 2], [0, 0]] },
  { b: 4, h: 16, w: 16, ci: 16, co: 32, k: 3, stride: 1, pad: 'same' }, // a G/D block's shape
  { b: 3, h: 8, w: 8, ci: 1, co: 8, k: 3, stride: 1, pad: 'same' }, // direct loops: one input channel
  { b: 3, h: 8, w: 8, ci: 8, co: 1, k: 3, stride: 1, pad: 'same' }, // direct loops: one output channel
  { b: 2, h: 9, w: 9, ci: 9, co: 1, k: 3, stride: 2, pad: 'valid' },
  { b: 2, h: 9, w: 9, ci: 1, co: 5, k: 4, stride: 2, pad: 'same' },
];

function seeded(shape: number[], seed: number): Float32Array {
  return tf.tidy(() => Float32Array.from(tf.randomNormal(shape, 0, 1, 'float32', seed).dataSync() as Float32Array));
}

/** y = conv(x, w), then dx and dw of sum(y · dy) where dilation allows gradients, on one backend. */
async function convAndGrads(backend: 'wasm' | 'cpu', c: Case, seed: number): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const dilation = c.dilation ?? 1;
  const pad = c.pad as 'same';
  const tensors = tf.tidy(() => {
    const x = tf.tensor4d(seeded([c.b, c.h, c.w, c.ci], seed), [c.b, c.h, c.w, c.ci]);
    const w = tf.tensor4d(seeded([c.k, c.k, c.ci, c.co], seed + 1), [c.k, c.k, c.ci, c.co]);
    const y = tf.conv2d(x, w, c.stride, pad, 'NHWC', dilation);
    if (dilation > 1) return [y]; // tfjs has no conv gradient with dilation
    const dy = tf.tensor(seeded(y.shape, seed + 2), y.shape);
    const loss = (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.stride, pad), dy));
    return [y, ...tf.grads(loss)([x, w])];
  });
  const out = tensors.map((t) => Float32Array.from(t.dataSync() as Float32Array));
  tf.dispose(tensors);
  return out;
}

describe.skipIf(!native.kernels && !required)('native conv kernels (OpenBLAS)', () => {
  beforeAll(async () => {
    if (!native.kernels) throw new Error(`native kernels required here but not loaded: ${native.status.reason}`);
    const info = await selectBackend({ prefer: 'wasm' });
    expect(info.nativeKernels).toEqual({ loaded: true, detail: native.status.info });
    expect(activeNativeKernels()).toEqual(['Conv2D', 'Conv2DBackpropInput', 'Conv2DBackpropFilter', 'Sum', 'Mean', 'Add', 'FusedBatchNorm']);
  });

  afterAll(() => native.kernels?.setChunkFloats(128 << 10));

  for (const c of [...cases, { b: 2, h: 9, w: 9, ci: 3, co: 4, k: 3, stride: 1, pad: 'same', dilation: 2 } as Case]) {
    it(`conv, input and filter gradients equal cpu: k${c.k} s${c.stride} ${JSON.stringify(c.pad)}${c.dilation ? ' dilation 2' : ''} ${c.b}×${c.h}×${c.w}×${c.ci}→${c.co}`, async () => {
      const ref = await convAndGrads('cpu', c, 7);
      const got = await convAndGrads('wasm', c, 7);
      expect(got.length).toBe(ref.length);
      for (let i = 0; i < ref.length; i++) expect(relError(got[i]!, ref[i]!)).toBeLessThan(1e-5);
    });
  }

  it('gives the same result when im2col runs one output pixel at a time (gradients accumulate over chunks)', async () => {
    const c = cases[3]!;
    const whole = await convAndGrads('wasm', c, 21);
    native.kernels!.setChunkFloats(1);
    try {
      const chunked = await convAndGrads('wasm', c, 21);
      for (let i = 0; i < whole.length; i++) expect(relError(chunked[i]!, whole[i]!)).toBeLessThan(1e-6);
    } finally {
      native.kernels!.setChunkFloats(128 << 10);
    }
  });

  it('rejects arrays whose lengths do not match the dims instead of touching memory', () => {
    const k = native.kernels!;
    const dims = Int32Array.from([1, 4, 4, 2, 4, 4, 3, 3, 3, 1, 1, 1, 1, 1, 1]);
    const x = new Float32Array(1 * 4 * 4 * 2);
    const w = new Float32Array(3 * 3 * 2 * 3);
    expect(() => k.conv2d(x, w, new Float32Array(4 * 4 * 3), dims)).not.toThrow();
    expect(() => k.conv2d(x, w, new Float32Array(4 * 4 * 3 - 1), dims)).toThrow(/lengths do not match/);
    expect(() => k.conv2d(x.subarray(1), w, new Float32Array(48), dims)).toThrow(/lengths do not match/);
    expect(() => k.conv2d(x, w, new Float32Array(48), dims.subarray(1))).toThrow(/15 valid sizes/);
    expect(() => k.conv2d(x, w, new Float32Array(48), Int32Array.from([...dims.slice(0, 14), -1]))).toThrow(/15 valid sizes/);
    expect(() => k.conv2dBackpropFilter(x, new Float64Array(48) as unknown as Float32Array, w, dims)).toThrow(/Float32Arrays/);
  });

  it('leaves no tensors behind over repeated gradient steps', async () => {
    await tf.setBackend('wasm');
    const w = tf.variable(tf.randomNormal([3, 3, 4, 8], 0, 0.1, 'float32', 3));
    const x = tf.randomNormal([4, 8, 8, 4], 0, 1, 'float32', 4) as tf.Tensor4D;
    const step = () => tf.tidy(() => {
      const { grads } = tf.variableGrads(() => tf.sum(tf.square(tf.conv2d(x, w as tf.Tensor4D, 2, 'same'))) as tf.Scalar, [w]);
      w.assign(tf.sub(w, tf.mul(grads[w.name]!, 1e-3)));
    });
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) step();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([w, x]);
  });

  it('can be taken out again, and the wasm kernels it replaced come back', async () => {
    await tf.setBackend('wasm');
    const nativeConv = tf.getKernel('Conv2D', 'wasm')!.kernelFunc;
    unregisterNativeKernels();
    expect(tf.getKernel('Conv2D', 'wasm')!.kernelFunc).not.toBe(nativeConv);
    expect(activeNativeKernels()).toEqual([]);
    const c = cases[2]!;
    const wasmOnly = await convAndGrads('wasm', c, 5);
    registerNativeKernels(native.kernels!);
    const withNative = await convAndGrads('wasm', c, 5);
    for (let i = 0; i < wasmOnly.length; i++) expect(relError(withNative[i]!, wasmOnly[i]!)).toBeLessThan(1e-5);
  });
});

describe('native kernels are optional', () => {
  it('are looked for next to the sources, from the bundled chunks folder, and in an explicit path', () => {
    const addon = join('main', 'engine', 'backend', 'native', 'build', 'Release', 's3gan_kernels.node');
    expect(nativeCandidates({}, join('/repo', 'main', 'engine', 'backend'))).toContain(join('/repo', addon));
    expect(nativeCandidates({}, join('/repo', 'out', 'main', 'chunks'))).toContain(join('/repo', addon));
    expect(nativeCandidates({ S3GAN_NATIVE_KERNELS: 'x/k.node' }, '/repo')).toEqual([resolve('x/k.node')]);
  });

  it('reports why they are not used when the addon is missing or turned off', () => {
    const missing = openNativeKernels({ S3GAN_NATIVE_KERNELS: '/nonexistent/s3gan_kernels.node' });
    expect(missing.kernels).toBeUndefined();
    expect(missing.status).toMatchObject({ loaded: false, path: '/nonexistent/s3gan_kernels.node' });
    expect(missing.status.reason).toMatch(/not built.*libopenblas-dev.*npm run build:native/);
    expect(openNativeKernels({ S3GAN_NATIVE: '0' }).status.reason).toMatch(/S3GAN_NATIVE=0/);
  });

  it('reports a file that is not a loadable addon as a load failure, not a crash', () => {
    const notAddon = openNativeKernels({ S3GAN_NATIVE_KERNELS: new URL('../../../../package.json', import.meta.url).pathname });
    expect(notAddon.kernels).toBeUndefined();
    expect(notAddon.status.reason).toMatch(/^failed to load/);
  });
});
