import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { kmeans, restartSeed } from '../../../../main/engine/cluster/kmeans';
import { seededRng } from '../../../../main/engine/base/prng';
import { nmi } from '../../../../main/engine/metrics/clustering';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** n points around each centre with Gaussian-ish noise; returns points and the blob index of each. */
function blobs(centres: number[][], perBlob: number, spread: number, seed = 3): { points: Float32Array; truth: Int32Array; dim: number } {
  const rng = seededRng(seed);
  const dim = centres[0]!.length;
  const points = new Float32Array(centres.length * perBlob * dim);
  const truth = new Int32Array(centres.length * perBlob);
  centres.forEach((c, b) => {
    for (let j = 0; j < perBlob; j++) {
      const i = b * perBlob + j;
      truth[i] = b;
      for (let d = 0; d < dim; d++) points[i * dim + d] = c[d]! + (rng() + rng() + rng() - 1.5) * spread;
    }
  });
  return { points, truth, dim };
}

describe('kmeans', () => {
  it('recovers three separated blobs exactly', async () => {
    const { points, truth, dim } = blobs([[0, 0], [10, 0], [0, 10]], 30, 1);
    const r = await kmeans(points, dim, { k: 3, seed: 1 });
    expect(nmi(truth, r.assignments)).toBeCloseTo(1, 6);
    expect([...r.sizes].sort()).toEqual([30, 30, 30]);
    // Centroids are the blob means (within noise).
    const centres = Array.from({ length: 3 }, (_, c) => [r.centroids[c * 2]!, r.centroids[c * 2 + 1]!].map(Math.round).join(','));
    expect(centres.sort()).toEqual(['0,0', '0,10', '10,0']);
  });

  it('reports inertia as the sum of squared distances to the returned centroids', async () => {
    const { points, dim } = blobs([[0, 0, 0], [5, 5, 5]], 20, 2);
    const r = await kmeans(points, dim, { k: 2, seed: 4, restarts: 2 });
    let inertia = 0;
    for (let i = 0; i < r.assignments.length; i++) {
      const c = r.assignments[i]!;
      for (let d = 0; d < dim; d++) inertia += (points[i * dim + d]! - r.centroids[c * dim + d]!) ** 2;
    }
    expect(r.inertia).toBeCloseTo(inertia, 2);
  });

  it('handles k larger than the number of distinct points (duplicates, k > n)', async () => {
    const points = new Float32Array([1, 1, 1, 1, 1, 1, 5, 5, 5, 5, 9, 0]); // 6 points, 3 distinct
    const r = await kmeans(points, 2, { k: 5, seed: 2 });
    expect(r.inertia).toBe(0);
    expect(r.sizes.filter((s) => s > 0)).toHaveLength(3);
    expect(r.sizes.reduce((a, b) => a + b, 0)).toBe(6);
    expect(r.centroids.every(Number.isFinite)).toBe(true);
    const tiny = await kmeans(new Float32Array([0, 0, 3, 3]), 2, { k: 4, seed: 0 });
    expect(tiny.inertia).toBe(0);
    expect(tiny.assignments[0]).not.toBe(tiny.assignments[1]);
  });

  it('re-seeds empty clusters from the farthest point', async () => {
    // Two tight groups plus one outlier; with k = 3 every restart must end with 3 non-empty clusters.
    const points = new Float32Array([0, 0, 0.1, 0, 0, 0.1, 10, 10, 10.1, 10, 10, 10.1, 50, 50]);
    const r = await kmeans(points, 2, { k: 3, seed: 7, restarts: 4 });
    expect(r.sizes.every((s) => s > 0)).toBe(true);
    expect(r.inertia).toBeLessThan(0.1);
    // A start with a centre far from every point: that cluster is empty after the first assignment.
    const start = new Float32Array([5, 5, -100, -100, 30, 30]);
    const fixed = await kmeans(points, 2, { k: 3, initialCentroids: start });
    expect(fixed.sizes.every((s) => s > 0)).toBe(true);
    expect(fixed.inertia).toBeLessThan(0.1);
  });

  it('keeps the restart with the best inertia', async () => {
    const { points, dim } = blobs([[0, 0], [3, 0], [0, 3], [3, 3], [8, 8]], 12, 2.5, 9);
    const best = await kmeans(points, dim, { k: 5, seed: 11, restarts: 6 });
    const singles = await Promise.all(Array.from({ length: 6 }, (_, r) => kmeans(points, dim, { k: 5, seed: restartSeed(11, r), restarts: 1 })));
    const minSingle = Math.min(...singles.map((s) => s.inertia));
    expect(best.inertia).toBeCloseTo(minSingle, 5);
    expect(Math.max(...singles.map((s) => s.inertia))).toBeGreaterThanOrEqual(best.inertia);
  });

  it('is deterministic for a seed and works in small chunks', async () => {
    const { points, dim } = blobs([[0, 0], [4, 4]], 25, 3, 5);
    const a = await kmeans(points, dim, { k: 2, seed: 3, chunkRows: 7 });
    const b = await kmeans(points, dim, { k: 2, seed: 3, chunkRows: 1000 });
    expect(Array.from(a.assignments)).toEqual(Array.from(b.assignments));
  });

  it('does not leak tensors', async () => {
    const { points, dim } = blobs([[0, 0], [4, 4], [9, 0]], 10, 1);
    await kmeans(points, dim, { k: 3, restarts: 1 });
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) await kmeans(points, dim, { k: 3, restarts: 3, seed: i, chunkRows: 8 });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects empty input and honours cancellation', async () => {
    await expect(kmeans(new Float32Array(0), 2, { k: 2 })).rejects.toMatchObject({ code: 'CONFLICT' });
    const ctl = new AbortController();
    ctl.abort();
    await expect(kmeans(new Float32Array([0, 0, 1, 1]), 2, { k: 2, signal: ctl.signal })).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});
