import { describe, expect, it } from 'vitest';
import { seededRng } from '../../../../main/engine/base/prng';
import { crossValidatedAccuracy, stratifiedFolds } from '../../../../main/engine/metrics/cross-validation';
import { fitRidge, predictRidge } from '../../../../main/engine/metrics/ridge';

function separable(nPerClass: number, k: number, dim: number, noise: number, seed = 1): { x: Float32Array; y: Int32Array } {
  const rng = seededRng(seed);
  const x = new Float32Array(nPerClass * k * dim);
  const y = new Int32Array(nPerClass * k);
  for (let i = 0; i < y.length; i++) {
    y[i] = i % k;
    for (let d = 0; d < dim; d++) x[i * dim + d] = (d === y[i] ? 1 : 0) + (rng() - 0.5) * noise;
  }
  return { x, y };
}

describe('stratifiedFolds', () => {
  it('spreads each class over the folds and balances fold sizes', () => {
    const labels = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2];
    const f = stratifiedFolds(labels, 5, 3);
    for (const cls of [0, 1]) expect(new Set(labels.map((l, i) => (l === cls ? f[i] : -1)).filter((v) => v >= 0)).size).toBe(5);
    const sizes = [0, 1, 2, 3, 4].map((k) => f.filter((v) => v === k).length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
  });
});

describe('ridge + cross-validation', () => {
  it('separates separable classes in both the dual (n ≤ d) and primal forms', () => {
    const small = separable(2, 3, 8, 0.2); // n = 6 < d + 1
    expect(Array.from(predictRidge(fitRidge(small.x, 8, small.y, 3), small.x))).toEqual(Array.from(small.y));
    const big = separable(30, 3, 4, 0.2); // n = 90 > d + 1
    expect(Array.from(predictRidge(fitRidge(big.x, 4, big.y, 3), big.x))).toEqual(Array.from(big.y));
  });

  it('gives ~1 on separable data and ~chance on random labels', () => {
    const { x, y } = separable(10, 4, 6, 0.3);
    expect(crossValidatedAccuracy(x, 6, y, 4)!.accuracy).toBe(1);
    // A class with a single label is left out of the score instead of counting as an error.
    const withSingleton = crossValidatedAccuracy(Float32Array.from([...x, 0, 0, 0, 0, 0, 9]), 6, [...y, 5], 6)!;
    expect(withSingleton.n).toBe(y.length);
    expect(withSingleton.accuracy).toBe(1);
    const rng = seededRng(9);
    const random = Int32Array.from(y, () => Math.floor(rng() * 4));
    expect(crossValidatedAccuracy(x, 6, random, 4)!.accuracy).toBeLessThan(0.6);
  });

  it('reports the held-out predictions as a confusion matrix (rows = true class)', () => {
    const { x, y } = separable(10, 4, 6, 0.3);
    const rng = seededRng(3);
    const noisy = Int32Array.from(y, (c) => (rng() < 0.3 ? (c + 1) % 4 : c));
    const cv = crossValidatedAccuracy(x, 6, noisy, 4)!;
    expect(cv.confusion).toHaveLength(4);
    const total = cv.confusion.flat().reduce((a, b) => a + b, 0);
    expect(total).toBe(noisy.length);
    const diagonal = cv.confusion.reduce((a, row, i) => a + row[i]!, 0);
    expect(diagonal / total).toBeCloseTo(cv.accuracy, 10);
    cv.confusion.forEach((row, c) => expect(row.reduce((a, b) => a + b, 0)).toBe(noisy.filter((l) => l === c).length));
  });

  it('returns null when there is nothing to estimate', () => {
    expect(crossValidatedAccuracy(new Float32Array(4), 2, [1, 1], 2)).toBeNull();
    expect(crossValidatedAccuracy(new Float32Array(2), 2, [0], 2)).toBeNull();
    // One label per class: no fold can train on the class it tests, so there is no estimate.
    expect(crossValidatedAccuracy(new Float32Array([1, 0, 0, 1, 1, 1]), 2, [0, 1, 2], 3)).toBeNull();
  });
});
