import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../../main/engine/backend/index';
import { disposeEncoder, embeddingDim, trainRotationEncoder } from '../../../../main/engine/selfsup/rotation';
import { balancedSampler, trainS4L } from '../../../../main/engine/selfsup/s4l';
import { createRng } from '../../../../main/engine/selfsup/augment';
import { tinyConfig, truthOf, twoClassDataset } from './synthetic';

describe('S⁴L semi-supervised classifier', () => {
  beforeAll(async () => {
    await selectBackend({ prefer: 'wasm' });
  });
  afterEach(() => {
    expect(tf.memory().numTensors).toBe(0);
  });

  it('samples labeled images class-balanced even when labels are uneven', () => {
    const hand = new Int32Array([0, 0, 0, 0, 0, 0, 0, 0, 1, -1, -1, 2]);
    const sample = balancedSampler(hand, 4); // class 3 has no label: never drawn
    const { indices, labels } = sample(3000, createRng(1));
    const counts = [0, 0, 0, 0];
    labels.forEach((c, j) => {
      counts[c]! += 1;
      expect(hand[indices[j]!]).toBe(c);
    });
    expect(counts[3]).toBe(0);
    for (const c of [0, 1, 2]) expect(counts[c]! / 3000).toBeGreaterThan(0.28);
    expect(() => balancedSampler(new Int32Array([-1, -1]), 2)).toThrow(/at least one hand-labeled/);
  });

  it('labels the unlabeled images of a separable set from 2 labels per class, without truth', async () => {
    const ds = twoClassDataset(24, 2);
    expect(ds.truth).toBeNull();
    const { state: rot } = await trainRotationEncoder(ds, { config: tinyConfig, epochs: 5, batchSize: 8 }, {});
    const r = await trainS4L(ds, { config: tinyConfig, epochs: 15, init: rot, batchSize: 8, labeledBatchSize: 8, lr: 3e-3 }, {});
    disposeEncoder(rot);
    expect(r.probs).toHaveLength(24 * 2);
    const dim = embeddingDim(tinyConfig);
    expect(r.features).toHaveLength(24 * dim);
    const truth = truthOf(ds);
    let correct = 0;
    for (let i = 0; i < 24; i++) {
      const p0 = r.probs[2 * i]!;
      const p1 = r.probs[2 * i + 1]!;
      expect(p0 + p1).toBeCloseTo(1, 5);
      if ((p1 > p0 ? 1 : 0) === truth[i]) correct++;
      expect(Math.hypot(...r.features.subarray(i * dim, (i + 1) * dim))).toBeCloseTo(1, 4);
    }
    expect(correct / 24).toBeGreaterThanOrEqual(0.9);
    const first = r.curve.slice(0, 5).reduce((a, c) => a + c.loss, 0) / 5;
    const last = r.curve.slice(-5).reduce((a, c) => a + c.loss, 0) / 5;
    expect(last).toBeLessThan(first);
  });

  it('cancels with an AbortError and releases everything', async () => {
    const ds = twoClassDataset(8, 1);
    const controller = new AbortController();
    const run = trainS4L(ds, { config: tinyConfig, epochs: 1000, batchSize: 4 }, {
      signal: controller.signal,
      onStep: (i) => {
        if (i.step === 2) controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
  });
});
