import { describe, expect, it } from 'vitest';
import { loadMnistSubset, mnistCounts } from '../../../../main/engine/data/mnist';

describe('loadMnistSubset', () => {
  it('draws a stratified, seeded subset of real 28×28 digits', () => {
    const a = loadMnistSubset({ count: 53, seed: 4 });
    expect(a.n).toBe(53);
    expect(a.images).toHaveLength(53 * 784);
    const perClass = Array.from({ length: 10 }, (_, d) => a.labels.filter((l) => l === d).length);
    expect(perClass).toEqual([6, 6, 6, 5, 5, 5, 5, 5, 5, 5]);
    // Real digits: mostly black background with bright strokes.
    const first = a.images.subarray(0, 784);
    expect(first[0]).toBe(0);
    expect(Math.max(...first)).toBeGreaterThan(200);
    const b = loadMnistSubset({ count: 53, seed: 4 });
    expect(Buffer.from(b.images).equals(Buffer.from(a.images))).toBe(true);
    const c = loadMnistSubset({ count: 53, seed: 5 });
    expect(Buffer.from(c.images).equals(Buffer.from(a.images))).toBe(false);
  });

  it('never picks the same digit twice and rejects impossible sizes', () => {
    const s = loadMnistSubset({ count: 200, seed: 1 });
    const keys = new Set(Array.from(s.labels, (l, i) => `${l}:${s.sourceIndex[i]}`));
    expect(keys.size).toBe(200);
    expect(mnistCounts().reduce((x, y) => x + y, 0)).toBeGreaterThan(9000);
    expect(() => loadMnistSubset({ count: 0 })).toThrow(/1\.\./);
  });
});
