import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { relError } from './compare';
import { selectBackend } from '../../../../main/engine/backend/index';

function seeded(shape: number[], seed: number): Float32Array {
  const t = tf.randomNormal(shape, 0, 1, 'float32', seed);
  const v = Float32Array.from(t.dataSync());
  t.dispose();
  return v;
}

/** Gradient of sum(f(x) · g) w.r.t. x, on a backend, as a plain array. */
async function gradOn(backend: 'wasm' | 'cpu', xs: number[], xv: Float32Array, gv: Float32Array, f: (x: tf.Tensor4D) => tf.Tensor4D): Promise<Float32Array> {
  await tf.setBackend(backend);
  const out = tf.tidy(() => {
    const x = tf.tensor4d(xv, xs as [number, number, number, number]);
    const g = tf.tensor(gv, f(x).shape);
    return tf.grad((xi: tf.Tensor) => tf.sum(tf.mul(f(xi as tf.Tensor4D), g)))(x);
  });
  const v = Float32Array.from(out.dataSync());
  out.dispose();
  return v;
}

/** Plain-JS gradient of nearest resizing (tfjs-cpu's ResizeNearestNeighborGrad is wrong for batch > 1). */
function nearestGradRef(shape: number[], out: number[], g: Float32Array, alignCorners: boolean): Float32Array {
  const [b, h, w, c] = shape as [number, number, number, number];
  const [, oh, ow] = out as [number, number, number];
  const src = (o: number, n: number, on: number) => Math.min(n - 1, alignCorners && on > 1 ? Math.round((o * (n - 1)) / (on - 1)) : Math.floor((o * n) / on));
  const dx = new Float32Array(b * h * w * c);
  for (let i = 0; i < b; i++) for (let y = 0; y < oh; y++) for (let x = 0; x < ow; x++) for (let k = 0; k < c; k++) {
    dx[((i * h + src(y, h, oh)) * w + src(x, w, ow)) * c + k]! += g[((i * oh + y) * ow + x) * c + k]!;
  }
  return dx;
}

const cases: { name: string; shape: number[]; f: (x: tf.Tensor4D) => tf.Tensor4D; nearest?: { alignCorners: boolean } }[] = [
  { name: 'avgPool 2×2/2 (fast path)', shape: [3, 8, 6, 5], f: (x) => tf.avgPool(x, 2, 2, 'valid') },
  { name: 'avgPool 3×3/3 (fast path)', shape: [2, 9, 6, 2], f: (x) => tf.avgPool(x, 3, 3, 'valid') },
  { name: 'avgPool 3×3/1 same (fallback)', shape: [2, 7, 7, 3], f: (x) => tf.avgPool(x, 3, 1, 'same') },
  { name: 'avgPool 2×2/2 odd size (fallback)', shape: [2, 7, 9, 3], f: (x) => tf.avgPool(x, 2, 2, 'valid') },
  { name: 'nearest ×2 (fast path)', shape: [3, 4, 5, 4], f: (x) => tf.image.resizeNearestNeighbor(x, [8, 10]), nearest: { alignCorners: false } },
  { name: 'nearest ×3 by ×2 (fast path)', shape: [2, 3, 4, 2], f: (x) => tf.image.resizeNearestNeighbor(x, [9, 8]), nearest: { alignCorners: false } },
  { name: 'nearest 4→6 (fallback)', shape: [2, 4, 4, 3], f: (x) => tf.image.resizeNearestNeighbor(x, [6, 6]), nearest: { alignCorners: false } },
  { name: 'nearest ×2 alignCorners (fallback)', shape: [2, 4, 4, 3], f: (x) => tf.image.resizeNearestNeighbor(x, [8, 8], true), nearest: { alignCorners: true } },
];

describe('wasm AvgPoolGrad / ResizeNearestNeighborGrad overrides', () => {
  beforeAll(async () => {
    expect((await selectBackend({ prefer: 'wasm' })).backend).toBe('wasm');
  });

  for (const c of cases) {
    it(`matches the reference: ${c.name}`, async () => {
      const xv = seeded(c.shape, 5);
      const outShape: number[] = tf.tidy(() => c.f(tf.zeros(c.shape as [number, number, number, number])).shape);
      const gv = seeded(outShape, 6);
      const wasm = await gradOn('wasm', c.shape, xv, gv, c.f);
      const cpu = c.nearest ? nearestGradRef(c.shape, outShape, gv, c.nearest.alignCorners) : await gradOn('cpu', c.shape, xv, gv, c.f);
      await tf.setBackend('wasm');
      expect(relError(wasm, cpu)).toBeLessThan(1e-5);
    });
  }

  it('the cpu backend (fixed kernel) matches the reference for batch > 1 too', async () => {
    const shape = [3, 4, 5, 2];
    const f = (x: tf.Tensor4D) => tf.image.resizeNearestNeighbor(x, [8, 10]);
    const gv = seeded([3, 8, 10, 2], 8);
    const cpu = await gradOn('cpu', shape, seeded(shape, 7), gv, f);
    await tf.setBackend('wasm');
    expect(relError(cpu, nearestGradRef(shape, [3, 8, 10, 2], gv, false))).toBeLessThan(1e-6);
  });

  it('leaks no tensors or wasm buffers', async () => {
    await tf.setBackend('wasm');
    const x = tf.randomNormal([2, 8, 8, 3]) as tf.Tensor4D;
    const g = tf.grad((xi: tf.Tensor) => tf.sum(tf.image.resizeNearestNeighbor(tf.avgPool(xi as tf.Tensor4D, 2, 2, 'valid'), [8, 8])));
    tf.dispose(g(x));
    const before = tf.memory() as tf.MemoryInfo & { numDataBuffers: number };
    for (let i = 0; i < 20; i++) tf.dispose(g(x));
    const after = tf.memory() as tf.MemoryInfo & { numDataBuffers: number };
    expect(after.numTensors).toBe(before.numTensors);
    expect(after.numBytes).toBe(before.numBytes);
    expect(after.numDataBuffers).toBe(before.numDataBuffers);
    x.dispose();
  });
});
