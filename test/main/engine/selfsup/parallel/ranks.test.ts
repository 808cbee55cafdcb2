// Data-parallel encoder training (rotation pretraining and S⁴L) on 2 ranks against the single thread.
// With synced batch norm (the default) 2 ranks compute the single thread's steps up to the order of
// sums; with per-shard batch norm the tests check lockstep, timing independence and the running
// statistics instead.
import * as tf from '@tensorflow/tfjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../../../main/engine/backend/index';
import type { EncoderState } from '../../../../../main/engine/models/encoder';
import { WorkerCrashedError } from '../../../../../main/engine/parallel/worker-group';
import { EncoderRanks, shardOf, shardSizes } from '../../../../../main/engine/selfsup/parallel/ranks';
import { disposeEncoder, serializeEncoder, trainRotationEncoder } from '../../../../../main/engine/selfsup/rotation';
import { trainS4L } from '../../../../../main/engine/selfsup/s4l';
import { tinyConfig, twoClassDataset } from '../synthetic';

// float32 keeps ~7 digits; the 2-rank sums add the same terms in another order (two half-batch means
// averaged instead of one mean), so each step's gradient may differ in the last bits and Adam carries
// that on: after ≤ 12 steps of lr ≤ 2e-3, weights of size ~1 agree to 1e-5 (measured: 1.2e-7).
const TOL = 1e-5;

let ranks: EncoderRanks;
beforeAll(async () => {
  await selectBackend({ prefer: 'wasm' });
  ranks = await EncoderRanks.start({ workers: 2, backend: 'wasm', barrierTimeoutMs: 20_000 });
});
afterAll(async () => {
  await ranks?.close();
});
afterEach(async () => {
  expect(tf.memory().numTensors).toBe(0); // main thread: everything disposed
  expect(await ranks.workerTensors()).toEqual([0]); // the worker dropped its copy at the end of the call
});

const weightsOf = (s: EncoderState) => new Map(serializeEncoder(s).weights.map((w) => [w.name, Float32Array.from(w.data)]));

function maxDiff(a: Map<string, Float32Array>, b: Map<string, Float32Array>): number {
  expect([...a.keys()]).toEqual([...b.keys()]);
  let d = 0;
  for (const [k, x] of a) x.forEach((v, i) => { d = Math.max(d, Math.abs(v - b.get(k)![i]!)); });
  return d;
}

describe('sharding a batch', () => {
  it('splits rows into near-equal contiguous shards whose scales average to the full batch', () => {
    expect(shardSizes(9, 2)).toEqual([5, 4]);
    expect(shardSizes(1, 2)).toEqual([1, 0]);
    const px = 2;
    const batch = {
      lr: 1, dims: [1, 2, 1] as [number, number, number], unlabeled: Float32Array.from({ length: 5 * px }, (_, i) => i), unlabeledCount: 5,
      labeled: { pixels: Float32Array.from({ length: 2 * px }, (_, i) => 100 + i), labels: Int32Array.of(0, 1) },
    };
    const [a, b] = [shardOf(batch, 0, 2), shardOf(batch, 1, 2)];
    expect([a.unlabeledCount, b.unlabeledCount]).toEqual([3, 2]);
    expect(Array.from(b.unlabeled)).toEqual([6, 7, 8, 9]);
    expect(Array.from(b.labeled!.labels)).toEqual([1]);
    // mean of the per-rank scales is 1 for every term: scaled shard means average to the full mean
    expect((a.scale.rotation + b.scale.rotation) / 2).toBeCloseTo(1, 12);
    expect((a.scale.classifier + b.scale.classifier) / 2).toBeCloseTo(1, 12);
    expect((a.scale.rows + b.scale.rows) / 2).toBeCloseTo(1, 12);
    expect(a.scale.rows).toBeCloseTo((2 * (1 + 4 * 3)) / (2 + 4 * 5), 12);
    // one image for two ranks: rank 1 still runs the pass (synced BN) on a copy, weighted zero
    const single = { ...batch, unlabeled: batch.unlabeled.subarray(0, px), unlabeledCount: 1, labeled: undefined };
    const [s0, s1] = [shardOf(single, 0, 2), shardOf(single, 1, 2)];
    expect(s0.scale).toEqual({ rotation: 2, classifier: 0, rows: 2 });
    expect(s1).toMatchObject({ unlabeledCount: 1, scale: { rotation: 0, classifier: 0, rows: 0 } });
  });
});

describe('rotation pretraining on 2 ranks', () => {
  it('equals one thread to float32 rounding (synced batch norm), also with an uneven and an empty shard', async () => {
    const ds = twoClassDataset(9, 0); // batches of 4, 4, 1: the last step leaves rank 1 without images
    const run = (workers?: EncoderRanks) => trainRotationEncoder(ds, { config: tinyConfig, epochs: 3, batchSize: 4, ...(workers ? { workers } : {}) }, {});
    const one = await run();
    const two = await run(ranks);
    try {
      expect(two.curve).toHaveLength(9);
      two.curve.forEach((p, i) => {
        expect(Math.abs(p.loss - one.curve[i]!.loss), `loss at step ${i}`).toBeLessThan(TOL);
        expect(Math.abs(p.accuracy - one.curve[i]!.accuracy), `accuracy at step ${i}`).toBeLessThan(TOL);
      });
      const d = maxDiff(weightsOf(one.state), weightsOf(two.state));
      expect(d).toBeLessThan(TOL);
      // and the weights did move: the comparison is not between two untrained encoders
      const { state: fresh } = await trainRotationEncoder(ds, { config: tinyConfig, epochs: 1, batchSize: 4, lr: 0 }, {});
      expect(maxDiff(weightsOf(fresh), weightsOf(two.state))).toBeGreaterThan(1e-3);
      disposeEncoder(fresh);
    } finally {
      disposeEncoder(one.state);
      disposeEncoder(two.state);
    }
  });

  it('per-shard batch norm: ranks stay bit-identical, a rerun gives the same weights, running statistics fold the full batch', async () => {
    const ds = twoClassDataset(16, 0);
    const sums: Promise<string[]>[] = [];
    const run = () => trainRotationEncoder(ds, { config: tinyConfig, epochs: 2, batchSize: 8, workers: ranks, batchNorm: 'per-shard' }, {
      onStep: (i) => { if (i.step === 1 || i.step === i.total) sums.push(ranks.checksums()); },
    });
    const a = await run();
    const b = await run();
    try {
      for (const s of await Promise.all(sums)) expect(s[1]).toBe(s[0]);
      expect(maxDiff(weightsOf(a.state), weightsOf(b.state))).toBe(0); // timing never enters the arithmetic
      expect(a.curve.map((p) => p.loss)).toEqual(b.curve.map((p) => p.loss));
    } finally {
      disposeEncoder(a.state);
      disposeEncoder(b.state);
    }
    // One step at lr 0: weights stay, only the statistics move. The stem's BN sees the same inputs on
    // one thread and on two, so its running mean/variance must match: rebuilt from the shards' means and
    // mean squares they are the full batch's moments (the mean of shard variances would not be).
    const step = (workers?: EncoderRanks) => trainRotationEncoder(ds, { config: tinyConfig, epochs: 1, batchSize: 16, lr: 0, ...(workers ? { workers, batchNorm: 'per-shard' as const } : {}) }, {});
    const [one, two] = [await step(), await step(ranks)];
    try {
      const [w1, w2] = [weightsOf(one.state), weightsOf(two.state)];
      for (const k of ['stem/bn/moving_mean', 'stem/bn/moving_variance']) {
        const init = k.endsWith('mean') ? 0 : 1;
        expect(w1.get(k)!.some((v) => Math.abs(v - init) > 1e-3), `${k} moved`).toBe(true);
        w1.get(k)!.forEach((v, i) => expect(Math.abs(v - w2.get(k)![i]!), k).toBeLessThan(1e-5 * Math.max(1, Math.abs(v))));
      }
    } finally {
      disposeEncoder(one.state);
      disposeEncoder(two.state);
    }
  });
});

describe('S⁴L on 2 ranks', () => {
  it('equals one thread to float32 rounding (synced batch norm), with uneven labeled and unlabeled shards', async () => {
    const ds = twoClassDataset(9, 2);
    const run = (workers?: EncoderRanks) => trainS4L(ds, { config: tinyConfig, epochs: 3, batchSize: 4, labeledBatchSize: 3, ...(workers ? { workers } : {}) }, {});
    const one = await run();
    const two = await run(ranks);
    expect(two.curve).toHaveLength(9);
    two.curve.forEach((p, i) => {
      expect(Math.abs(p.loss - one.curve[i]!.loss), `loss at step ${i}`).toBeLessThan(TOL * Math.max(1, one.curve[i]!.loss));
      expect(Math.abs(p.accuracy - one.curve[i]!.accuracy), `accuracy at step ${i}`).toBeLessThan(TOL);
    });
    let d = 0;
    one.probs.forEach((v, i) => { d = Math.max(d, Math.abs(v - two.probs[i]!)); });
    expect(d).toBeLessThan(TOL);
    one.features.forEach((v, i) => { d = Math.max(d, Math.abs(v - two.features[i]!)); });
    expect(d).toBeLessThan(TOL);
  });

  it('a rerun gives bit-identical predictions (synced and per-shard batch norm)', async () => {
    const ds = twoClassDataset(16, 2);
    for (const batchNorm of ['synced', 'per-shard'] as const) {
      const run = () => trainS4L(ds, { config: tinyConfig, epochs: 2, batchSize: 8, workers: ranks, batchNorm }, {});
      const [a, b] = [await run(), await run()];
      expect(Array.from(a.probs)).toEqual(Array.from(b.probs));
      expect(a.curve).toEqual(b.curve);
    }
  });

  it('per-shard batch norm is not the single thread (the comparison above can fail)', async () => {
    const ds = twoClassDataset(16, 2);
    const run = (workers?: EncoderRanks) => trainS4L(ds, { config: tinyConfig, epochs: 2, batchSize: 8, ...(workers ? { workers, batchNorm: 'per-shard' as const } : {}) }, {});
    const [a, b] = [await run(), await run(ranks)];
    expect(Math.max(...a.curve.map((p, i) => Math.abs(p.loss - b.curve[i]!.loss)))).toBeGreaterThan(1e-3);
  });
});

describe('a failing worker', () => {
  for (const how of ['throw', 'exit'] as const) {
    it(`that ${how === 'throw' ? 'throws' : 'exits'} mid-training fails the call with a clear error and leaks nothing here`, async () => {
      const own = await EncoderRanks.start({ workers: 2, backend: 'wasm', barrierTimeoutMs: 20_000 });
      try {
        const ds = twoClassDataset(16, 2);
        const err = await trainRotationEncoder(ds, { config: tinyConfig, epochs: 4, batchSize: 4, workers: own }, {
          onStep: (i) => { if (i.step === 2) own.injectCrash(1, how); },
        }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(WorkerCrashedError);
        expect((err as Error).message).toMatch(how === 'throw' ? /worker 1 crashed: .*crash requested by test/ : /worker 1 crashed: exited with code 7/);
        // the group stays failed: the next call says so at once instead of hanging
        await expect(trainS4L(ds, { config: tinyConfig, epochs: 1, batchSize: 4, workers: own }, {})).rejects.toThrow(/worker 1 crashed/);
        expect(tf.memory().numTensors).toBe(0);
      } finally {
        await own.close();
      }
    });
  }
});
