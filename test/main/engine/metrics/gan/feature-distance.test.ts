import { describe, expect, it } from 'vitest';
import { Prng } from '../../../../../main/engine/base/prng';
import { distinctSample, frechetDistance, kernelInceptionDistance, symmetricEigen } from '../../../../../main/engine/metrics/gan/feature-distance';

function gaussian(n: number, d: number, shift: number, seed: number): Float32Array {
  const rng = new Prng(seed);
  return Float32Array.from({ length: n * d }, () => rng.normal() + shift);
}

describe('feature-space distances', () => {
  it('eigen-decomposes a symmetric matrix', () => {
    const m = Float64Array.of(4, 1, 0, 1, 3, 1, 0, 1, 2);
    const { values, vectors } = symmetricEigen(m, 3);
    for (let j = 0; j < 3; j++) {
      for (let i = 0; i < 3; i++) {
        const mv = [0, 1, 2].reduce((s, k) => s + m[i * 3 + k]! * vectors[k * 3 + j]!, 0);
        expect(mv).toBeCloseTo(values[j]! * vectors[i * 3 + j]!, 8);
      }
    }
  });

  it('FD and KID are ~0 for one distribution and grow with a mean shift (FD ≈ d·shift²)', () => {
    const d = 4;
    const a = gaussian(2000, d, 0, 1);
    const b = gaussian(2000, d, 0, 2);
    const c = gaussian(2000, d, 1, 3);
    const rng = new Prng(4);
    expect(frechetDistance(a, 2000, b, 2000, d)).toBeLessThan(0.05);
    expect(frechetDistance(a, 2000, c, 2000, d)).toBeCloseTo(4, 0);
    const same = kernelInceptionDistance(a, 2000, b, 2000, d, { rng: () => rng.next() });
    const shifted = kernelInceptionDistance(a, 2000, c, 2000, d, { rng: () => rng.next() });
    expect(Math.abs(same)).toBeLessThan(0.05);
    expect(shifted).toBeGreaterThan(0.5);
  });
});

describe('FD-SS floor at the score\'s sample size', () => {
  it('a generator drawing from the real distribution scores at the floor when both use m per side', () => {
    // FD reads higher on smaller samples. The floor (real half B vs half A, m = n/2 each) sat well above
    // the old n-vs-n score of such a generator; scored at m vs half A, as now, it lands on the floor.
    const d = 8;
    const n = 400;
    const m = n / 2;
    let floor = 0;
    let score = 0;
    let oldScore = 0;
    for (let s = 0; s < 8; s++) {
      const real = gaussian(n, d, 0, 100 + s);
      const gen = gaussian(n, d, 0, 200 + s);
      const a = real.subarray(0, m * d);
      floor += frechetDistance(real.subarray(m * d), m, a, m, d);
      score += frechetDistance(gen.subarray(0, m * d), m, a, m, d);
      oldScore += frechetDistance(gen, n, real, n, d);
    }
    expect(score / floor).toBeGreaterThan(0.8);
    expect(score / floor).toBeLessThan(1.25);
    expect(floor / oldScore).toBeGreaterThan(1.5); // the old comparison: a perfect G 'below the floor'
  });
});

describe('KID without replacement', () => {
  it('draws subsets with no repeated row', () => {
    const rng = new Prng(1);
    const s = distinctSample(50, 50, () => rng.next());
    expect([...s].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(new Set(distinctSample(200, 100, () => rng.next())).size).toBe(100);
  });

  it('is unbiased: over 30 pairs of samples of one distribution its mean is within 3 standard errors of 0', () => {
    // With replacement, a repeated row pairs an image with itself in the off-diagonal sums: the same
    // check then read +0.086 ± 0.004 (measured on the old sampler), 20 standard errors above 0.
    const d = 8;
    const n = 200;
    const values = Array.from({ length: 30 }, (_, s) => {
      const rng = new Prng(s);
      return kernelInceptionDistance(gaussian(n, d, 0, 1000 + s), n, gaussian(n, d, 0, 2000 + s), n, d, { subsets: 10, subsetSize: 100, rng: () => rng.next() });
    });
    const mean = values.reduce((a, b) => a + b) / values.length;
    const se = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1) / values.length);
    expect(Math.abs(mean)).toBeLessThan(3 * se);
  });

  it('with subsets as large as the sample, every subset is the whole sample: one value whatever the seed', () => {
    // Deterministic counterpart of the check above: with replacement, rows would repeat and drop out,
    // and two seeds would give two different values.
    const d = 4;
    const n = 40;
    const a = gaussian(n, d, 0, 7);
    const b = gaussian(n, d, 0.5, 8);
    const kid = (seed: number) => {
      const rng = new Prng(seed);
      return kernelInceptionDistance(a, n, b, n, d, { subsets: 3, subsetSize: n, rng: () => rng.next() });
    };
    expect(kid(1)).toBeCloseTo(kid(2), 9);
    expect(kid(1)).toBeGreaterThan(0);
  });
});
