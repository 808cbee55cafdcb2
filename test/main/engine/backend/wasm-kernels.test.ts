import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { relError } from './compare';
import { selectBackend } from '../../../../main/engine/backend/index';
import { unregisterNativeKernels } from '../../../../main/engine/backend/native-kernels';
import { missingTrainingKernels } from '../../../../main/engine/backend/wasm-kernels';

type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];

function seededValues(shape: number[], seed: number): Float32Array {
  return tf.tidy(() => tf.randomNormal(shape, 0, 1, 'float32', seed).dataSync() as Float32Array);
}

/** Runs `f` on a backend with fresh tensors made from plain arrays; returns plain arrays. */
async function on(backend: 'wasm' | 'cpu', f: () => tf.Tensor[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  return tf.tidy(f).map((t) => {
    const v = t.dataSync() as Float32Array;
    t.dispose();
    return Float32Array.from(v);
  });
}

const cases: { b: number; h: number; w: number; ci: number; co: number; k: number; stride: 1 | 2; pad: Pad }[] = [
  { b: 2, h: 8, w: 8, ci: 3, co: 4, k: 3, stride: 1, pad: 'same' },
  { b: 3, h: 9, w: 7, ci: 2, co: 5, k: 3, stride: 1, pad: 'valid' },
  { b: 2, h: 8, w: 8, ci: 4, co: 3, k: 3, stride: 2, pad: 'same' },
  { b: 2, h: 9, w: 9, ci: 3, co: 4, k: 3, stride: 2, pad: 'same' },
  { b: 2, h: 9, w: 8, ci: 3, co: 2, k: 3, stride: 2, pad: 'valid' },
  { b: 1, h: 8, w: 8, ci: 5, co: 6, k: 1, stride: 2, pad: 'same' },
  { b: 2, h: 8, w: 8, ci: 2, co: 3, k: 4, stride: 2, pad: 'same' },
  { b: 2, h: 7, w: 7, ci: 2, co: 3, k: 3, stride: 1, pad: [[0, 0], [2, 1], [0, 2], [0, 0]] },
];

describe('wasm training kernels', () => {
  beforeAll(async () => {
    const info = await selectBackend({ prefer: 'wasm' });
    expect(info.backend).toBe('wasm');
    unregisterNativeKernels(); // these are the wasm kernels (the fallback when the native addon is absent)
  });

  it('has every kernel the encoder and GAN gradients need', () => {
    expect(missingTrainingKernels('wasm')).toEqual([]);
  });

  for (const c of cases) {
    const name = `stride ${c.stride}, pad ${JSON.stringify(c.pad)}, k ${c.k}, ${c.h}×${c.w}, ${c.ci}→${c.co}`;
    it(`Conv2DBackpropFilter and Conv2DBackpropInput match cpu: ${name}`, async () => {
      const xv = seededValues([c.b, c.h, c.w, c.ci], 11);
      const wv = seededValues([c.k, c.k, c.ci, c.co], 12);
      const outShape = tf.tidy(() => tf.conv2d(tf.zeros([c.b, c.h, c.w, c.ci]) as tf.Tensor4D, tf.zeros([c.k, c.k, c.ci, c.co]) as tf.Tensor4D, c.stride, c.pad).shape);
      const dyv = seededValues(outShape, 13);
      const run = () => {
        const x = tf.tensor4d(xv, [c.b, c.h, c.w, c.ci]);
        const w = tf.tensor4d(wv, [c.k, c.k, c.ci, c.co]);
        const dy = tf.tensor4d(dyv, outShape as [number, number, number, number]);
        const dw = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, {
          strides: [c.stride, c.stride], pad: c.pad as unknown as tf.NamedAttrMap[string], dataFormat: 'NHWC', filterShape: [c.k, c.k, c.ci, c.co],
        }) as tf.Tensor;
        const dx = tf.conv2dTranspose(dy, w, [c.b, c.h, c.w, c.ci], c.stride, c.pad);
        return [dw, dx];
      };
      const [wasmDw, wasmDx] = await on('wasm', run);
      const [cpuDw, cpuDx] = await on('cpu', run);
      expect(relError(wasmDw!, cpuDw!)).toBeLessThan(1e-4);
      expect(relError(wasmDx!, cpuDx!)).toBeLessThan(1e-4);
      await tf.setBackend('wasm');
    });
  }

  it('tf.grad of a conv layer (input and filter) is the same on wasm and cpu', async () => {
    const xv = seededValues([2, 10, 10, 3], 21);
    const wv = seededValues([3, 3, 3, 4], 22);
    const grads = () => {
      const x = tf.tensor4d(xv, [2, 10, 10, 3]);
      const w = tf.tensor4d(wv, [3, 3, 3, 4]);
      const loss = (xi: tf.Tensor, wi: tf.Tensor) => tf.sum(tf.square(tf.relu(tf.conv2d(xi as tf.Tensor4D, wi as tf.Tensor4D, 2, 'same'))));
      return tf.grads(loss)([x, w]);
    };
    const wasm = await on('wasm', grads);
    const cpu = await on('cpu', grads);
    await tf.setBackend('wasm');
    expect(relError(wasm[0]!, cpu[0]!)).toBeLessThan(1e-4);
    expect(relError(wasm[1]!, cpu[1]!)).toBeLessThan(1e-4);
  });

  it('leaks no tensors or wasm buffers over repeated gradient calls', async () => {
    await tf.setBackend('wasm');
    const x = tf.randomNormal([2, 8, 8, 3]) as tf.Tensor4D;
    const w = tf.randomNormal([3, 3, 3, 4]) as tf.Tensor4D;
    const g = tf.grads((xi: tf.Tensor, wi: tf.Tensor) => tf.sum(tf.conv2d(xi as tf.Tensor4D, wi as tf.Tensor4D, 2, 'same')));
    tf.dispose(g([x, w]));
    const before = tf.memory();
    for (let i = 0; i < 20; i++) tf.dispose(g([x, w]));
    const after = tf.memory();
    expect(after.numTensors).toBe(before.numTensors);
    expect(after.numBytes).toBe(before.numBytes);
    expect((after as { numDataBuffers?: number }).numDataBuffers).toBe((before as { numDataBuffers?: number }).numDataBuffers);
    tf.dispose([x, w]);
  });
});
