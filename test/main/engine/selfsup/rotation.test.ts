import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../../main/engine/backend/index';
import {
  deserializeEncoder, disposeEncoder, embedImages, embeddingDim, serializeEncoder, trainRotationEncoder,
} from '../../../../main/engine/selfsup/rotation';
import { tinyConfig, twoClassDataset } from './synthetic';

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('rotation self-supervision', () => {
  beforeAll(async () => {
    await selectBackend({ prefer: 'wasm' });
  });
  afterEach(() => {
    expect(tf.memory().numTensors).toBe(0);
  });

  it('changes the weights and the loss falls on a tiny learnable set', async () => {
    const ds = twoClassDataset(16, 0);
    const steps: number[] = [];
    const { state, curve } = await trainRotationEncoder(ds, { config: tinyConfig, epochs: 40, batchSize: 8, lr: 5e-3 }, { onStep: (i) => steps.push(i.step) });
    expect(curve).toHaveLength(80);
    expect(steps[0]).toBe(1);
    expect(steps[steps.length - 1]).toBe(80);
    const first = mean(curve.slice(0, 8).map((c) => c.loss));
    const last = mean(curve.slice(-8).map((c) => c.loss));
    expect(first).toBeGreaterThan(1.0); // ≈ ln 4 at the start
    expect(last).toBeLessThan(first * 0.5);
    expect(mean(curve.slice(-8).map((c) => c.accuracy))).toBeGreaterThan(0.8);
    disposeEncoder(state);
  });

  it('a single step moves every trainable weight group and the BN running statistics', async () => {
    const ds = twoClassDataset(8, 0);
    const { state: init } = await trainRotationEncoder(ds, { config: tinyConfig, epochs: 1, batchSize: 8 }, {});
    const before = serializeEncoder(init);
    const { state: after } = await trainRotationEncoder(ds, { config: tinyConfig, epochs: 2, batchSize: 8, init, startStep: 1 }, {});
    const now = new Map(serializeEncoder(after).weights.map((w) => [w.name, w.data]));
    for (const w of before.weights) {
      const changed = w.data.some((v, i) => v !== now.get(w.name)![i]);
      expect(changed, w.name).toBe(true);
    }
    // init is not consumed: still readable and unchanged
    expect(Array.from(serializeEncoder(init).weights[0]!.data)).toEqual(Array.from(before.weights[0]!.data));
    disposeEncoder(init);
    disposeEncoder(after);
  });

  it('leaks no tensors over 100 training steps', async () => {
    const ds = twoClassDataset(8, 0);
    const counts: number[] = [];
    const { state } = await trainRotationEncoder(ds, { config: tinyConfig, epochs: 100, batchSize: 8 }, {
      onStep: (i) => {
        if (i.step === 10 || i.step === 100) counts.push(tf.memory().numTensors);
      },
    });
    expect(counts[1]).toBe(counts[0]);
    disposeEncoder(state);
  });

  it('serialize → deserialize gives identical embeddings, L2-normalised', async () => {
    const ds = twoClassDataset(10, 0);
    const { state } = await trainRotationEncoder(ds, { config: tinyConfig, epochs: 2, batchSize: 5 }, {});
    const a = await embedImages(state, ds, 4);
    const s = serializeEncoder(state);
    disposeEncoder(state);
    const restored = deserializeEncoder(JSON.parse(JSON.stringify({ ...s, weights: s.weights.map((w) => ({ ...w, data: Array.from(w.data) })) }), (k, v) => (k === 'data' ? Float32Array.from(v as number[]) : v)));
    const b = await embedImages(restored, ds, 4);
    const otherBatching = await embedImages(restored, ds, 7);
    const dim = embeddingDim(tinyConfig);
    // penultimate features + pooled last-stage map (4·width channels × 2×2 cells)
    expect(dim).toBe(tinyConfig.featureDim + 4 * tinyConfig.width * 4);
    expect(a).toHaveLength(10 * dim);
    expect(Array.from(b)).toEqual(Array.from(a));
    // Another batch size may round differently (a BLAS splits the GEMM by rows), never more than that.
    for (let i = 0; i < a.length; i++) expect(Math.abs(otherBatching[i]! - a[i]!)).toBeLessThan(1e-5);
    for (let i = 0; i < 10; i++) {
      const row = a.subarray(i * dim, (i + 1) * dim);
      expect(Math.hypot(...row)).toBeCloseTo(1, 4);
    }
    disposeEncoder(restored);
    expect(() => deserializeEncoder({ ...s, weights: s.weights.slice(1) })).toThrow(/lacks weight/);
  });

  it('stops promptly with an AbortError when the signal fires', async () => {
    const ds = twoClassDataset(8, 0);
    const controller = new AbortController();
    let seen = 0;
    const run = trainRotationEncoder(ds, { config: tinyConfig, epochs: 1000, batchSize: 4 }, {
      signal: controller.signal,
      onStep: (i) => {
        seen = i.step;
        if (i.step === 3) controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen).toBe(3);
  });

  it('lets a cancel sent from another task land between steps (yields to the event loop)', async () => {
    const ds = twoClassDataset(8, 0);
    const controller = new AbortController();
    let steps = 0;
    setTimeout(() => controller.abort(), 50);
    const run = trainRotationEncoder(ds, { config: tinyConfig, epochs: 100_000, batchSize: 4 }, { signal: controller.signal, onStep: () => steps++ });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(steps).toBeLessThan(200_000);
  });
});
