// The addon's per-channel Sum / Mean / Add / FusedBatchNorm against the cpu backend — for the shapes
// they take natively and for the shapes they hand back to the wasm kernel they replaced.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../../main/engine/backend/index';
import { loadNativeKernels } from '../../../../main/engine/backend/native-addon';
import { activeNativeKernels } from '../../../../main/engine/backend/native-kernels';

const native = loadNativeKernels();
const required = process.env.CI === 'true' || process.env.S3GAN_NATIVE_REQUIRED === '1';

function seeded(shape: number[], seed: number): tf.Tensor {
  return tf.randomNormal(shape, 0, 1, 'float32', seed);
}

/** Runs f on wasm (native kernels) and on cpu; the results must agree to a relative 1e-5. */
async function expectSameOnBoth(f: () => tf.Tensor): Promise<number[]> {
  const results: { shape: number[]; dtype: string; values: Float32Array }[] = [];
  for (const backend of ['wasm', 'cpu']) {
    await tf.setBackend(backend);
    const t = tf.tidy(f);
    results.push({ shape: t.shape, dtype: t.dtype, values: Float32Array.from(t.dataSync() as Float32Array) });
    t.dispose();
  }
  const [got, ref] = results as [(typeof results)[0], (typeof results)[0]];
  expect(got.shape).toEqual(ref.shape);
  expect(got.dtype).toBe(ref.dtype);
  const scale = Math.max(1e-6, ...ref.values.map(Math.abs));
  for (let i = 0; i < ref.values.length; i++) expect(Math.abs(got.values[i]! - ref.values[i]!) / scale).toBeLessThan(1e-5);
  return got.shape;
}

describe.skipIf(!native.kernels && !required)('native per-channel kernels', () => {
  beforeAll(async () => {
    if (!native.kernels) throw new Error(`native kernels required here but not loaded: ${native.status.reason}`);
    await selectBackend({ prefer: 'wasm' });
    expect(activeNativeKernels()).toEqual(expect.arrayContaining(['Sum', 'Mean', 'Add', 'FusedBatchNorm']));
  });

  it('Sum / Mean over every axis but the last (batch-norm moments, bias gradients), with and without keepDims', async () => {
    expect(await expectSameOnBoth(() => tf.sum(seeded([4, 5, 6, 7], 1), [0, 1, 2]))).toEqual([7]);
    expect(await expectSameOnBoth(() => tf.sum(seeded([4, 5, 6, 7], 2), [2, 0, 1], true))).toEqual([1, 1, 1, 7]);
    expect(await expectSameOnBoth(() => tf.mean(seeded([4, 5, 6, 7], 3), [0, 1, 2]))).toEqual([7]);
    expect(await expectSameOnBoth(() => tf.mean(seeded([600, 3], 4), 0))).toEqual([3]); // crosses the 256-row blocks
    expect(await expectSameOnBoth(() => tf.sum(tf.add(seeded([300, 16], 5), 1000), 0))).toEqual([16]); // large sums keep precision
  });

  it('other reductions go to the wasm kernels and stay correct', async () => {
    expect(await expectSameOnBoth(() => tf.sum(seeded([4, 5, 6, 7], 6), [1, 2]))).toEqual([4, 7]);
    expect(await expectSameOnBoth(() => tf.sum(seeded([4, 5, 6, 7], 7)))).toEqual([]);
    expect(await expectSameOnBoth(() => tf.mean(seeded([4, 5], 8), 1))).toEqual([4]);
    expect(await expectSameOnBoth(() => tf.sum(tf.tensor2d([[1, 2], [3, 4]], [2, 2], 'int32'), 0))).toEqual([2]);
  });

  it('Add of a per-channel vector, either side, any leading shape; other Adds unchanged', async () => {
    expect(await expectSameOnBoth(() => tf.add(seeded([2, 3, 4, 5], 9), seeded([5], 10)))).toEqual([2, 3, 4, 5]);
    expect(await expectSameOnBoth(() => tf.add(seeded([5], 11), seeded([2, 3, 4, 5], 12)))).toEqual([2, 3, 4, 5]);
    expect(await expectSameOnBoth(() => tf.add(seeded([2, 1, 1, 5], 13), seeded([1, 1, 1, 5], 14)))).toEqual([2, 1, 1, 5]);
    expect(await expectSameOnBoth(() => tf.add(seeded([1, 1, 1, 5], 15), seeded([3, 5], 16)))).toEqual([1, 1, 3, 5]);
    expect(await expectSameOnBoth(() => tf.add(seeded([2, 3], 17), seeded([2, 3], 18)))).toEqual([2, 3]);
    expect(await expectSameOnBoth(() => tf.add(seeded([2, 3], 19), 2.5))).toEqual([2, 3]);
    expect(await expectSameOnBoth(() => tf.add(seeded([2, 3, 1], 20), seeded([4], 21)))).toEqual([2, 3, 4]);
    expect(await expectSameOnBoth(() => tf.add(tf.tensor1d([1, 2], 'int32'), tf.tensor1d([3, 4], 'int32')))).toEqual([2]);
  });

  it('FusedBatchNorm with per-channel parameters, with or without offset and scale; other shapes unchanged', async () => {
    const x = () => seeded([3, 4, 4, 6], 22);
    const vec = (seed: number, shift = 0) => tf.add(tf.abs(seeded([6], seed)), shift) as tf.Tensor1D;
    expect(await expectSameOnBoth(() => tf.batchNorm(x(), vec(23), vec(24, 0.1), vec(25), vec(26), 1e-3))).toEqual([3, 4, 4, 6]);
    expect(await expectSameOnBoth(() => tf.batchNorm(x(), vec(27), vec(28, 0.1), undefined, undefined, 1e-5))).toEqual([3, 4, 4, 6]);
    expect(await expectSameOnBoth(() => tf.batchNorm(x(), vec(29), vec(30, 0.1), undefined, vec(31), 1e-3))).toEqual([3, 4, 4, 6]);
    expect(await expectSameOnBoth(() => tf.batchNorm(seeded([5, 6], 32), vec(33), vec(34, 0.1), vec(35), undefined, 1e-3))).toEqual([5, 6]);
    // per-sample parameters are not per-channel: the wasm kernel runs
    expect(await expectSameOnBoth(() => tf.batchNorm(x(), seeded([3, 1, 1, 6], 36), tf.add(tf.abs(seeded([3, 1, 1, 6], 37)), 0.1), undefined, undefined, 1e-3))).toEqual([3, 4, 4, 6]);
  });

  it('gradients through the native kernels match cpu, and leave no tensors behind', async () => {
    const loss = () => {
      const x = seeded([4, 6, 6, 5], 40);
      const b = seeded([5], 41);
      const g = tf.grads((xi: tf.Tensor, bi: tf.Tensor) => tf.sum(tf.square(tf.batchNorm(tf.add(xi, bi), tf.mean(xi, [0, 1, 2]), tf.onesLike(bi), bi, tf.onesLike(bi), 1e-3))))([x, b]);
      return tf.concat([g[0]!.flatten(), g[1]!.flatten()]);
    };
    await expectSameOnBoth(loss);
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) tf.tidy(loss).dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects mismatched arrays with a clear error', () => {
    const k = native.kernels!;
    expect(() => k.channelSum(new Float32Array(10), new Float32Array(3), 1)).toThrow(/multiple of out length/);
    expect(() => k.channelAffine(new Float32Array(6), null, new Float32Array(3), new Float32Array(5))).toThrow(/lengths do not match/);
    expect(() => k.batchNorm(new Float32Array(6), new Float32Array(3), new Float32Array(2), null, null, 1e-3, new Float32Array(6))).toThrow(/lengths do not match/);
    expect(() => k.channelSum(new Float32Array(6), [1, 2, 3] as unknown as Float32Array, 1)).toThrow(/expected/);
  });
});
