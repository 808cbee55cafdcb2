import { describe, expect, it } from 'vitest';
import { seededRng } from '../../../../main/engine/base/prng';
import { pcaWhiten, symmetricEigen } from '../../../../main/engine/cluster/whiten';

describe('symmetricEigen', () => {
  it('finds the eigenpairs of a known symmetric matrix', () => {
    // [[2,1],[1,2]] has eigenvalues 3 (along (1,1)/√2) and 1 (along (1,-1)/√2).
    const { values, vectors } = symmetricEigen(Float64Array.of(2, 1, 1, 2), 2);
    expect(values[0]).toBeCloseTo(3, 10);
    expect(values[1]).toBeCloseTo(1, 10);
    expect(Math.abs(vectors[0]!)).toBeCloseTo(Math.SQRT1_2, 10);
    expect(vectors[0]! * vectors[1]!).toBeGreaterThan(0);
    expect(vectors[2]! * vectors[3]!).toBeLessThan(0);
  });

  it('reconstructs a random symmetric matrix from its decomposition', () => {
    const d = 6;
    const rng = seededRng(2);
    const m = new Float64Array(d * d);
    for (let i = 0; i < d; i++) for (let j = i; j < d; j++) m[i * d + j] = m[j * d + i] = rng() - 0.5;
    const { values, vectors } = symmetricEigen(m, d);
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        let s = 0;
        for (let k = 0; k < d; k++) s += vectors[k * d + i]! * values[k]! * vectors[k * d + j]!;
        expect(s).toBeCloseTo(m[i * d + j]!, 8);
      }
    }
    expect([...values].sort((a, b) => b - a)).toEqual(values);
  });
});

describe('pcaWhiten', () => {
  it('decorrelates and equalises the kept directions, then L2-normalises rows', () => {
    const rng = seededRng(5);
    const n = 400;
    const dim = 4;
    const x = new Float32Array(n * dim);
    for (let i = 0; i < n; i++) {
      const a = rng() - 0.5;
      const b = rng() - 0.5;
      // strongly correlated, very different scales
      x.set([10 * a, 10 * a + 0.5 * b, 0.1 * b, 3], i * dim);
    }
    const { data, dim: m } = pcaWhiten(x, dim, 2);
    expect(m).toBe(2);
    for (let i = 0; i < n; i++) expect(Math.hypot(data[i * 2]!, data[i * 2 + 1]!)).toBeCloseTo(1, 5);
    // Before normalisation both components had unit variance, so neither dominates: mean |value| similar.
    const meanAbs = [0, 1].map((j) => data.filter((_, t) => t % 2 === j).reduce((s, v) => s + Math.abs(v), 0) / n);
    expect(meanAbs[0]! / meanAbs[1]!).toBeGreaterThan(0.6);
    expect(meanAbs[0]! / meanAbs[1]!).toBeLessThan(1.6);
  });
});
