import { describe, expect, it } from 'vitest';
import { nmi, purity } from '../../../../main/engine/metrics/clustering';
import { classificationReport } from '../../../../main/engine/metrics/classification';

describe('nmi', () => {
  it('is 1 for identical partitions up to renaming and 0 for independent ones', () => {
    expect(nmi([0, 0, 1, 1, 2, 2], [5, 5, 3, 3, 9, 9])).toBeCloseTo(1, 10);
    expect(nmi([0, 0, 1, 1], [0, 1, 0, 1])).toBeCloseTo(0, 10);
  });

  it('matches sklearn on a known case', () => {
    // sklearn.metrics.normalized_mutual_info_score([0,0,0,1,1,1],[0,0,1,1,2,2]) = 0.5158037429793889
    expect(nmi([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2])).toBeCloseTo(0.5158037429793889, 10);
  });

  it('skips unknown truth and treats two single clusters as identical', () => {
    expect(nmi([0, 0, -1, 1, 1], [1, 1, 0, 2, 2])).toBeCloseTo(1, 10);
    expect(nmi([3, 3, 3], [1, 1, 1])).toBe(1);
  });
});

describe('purity', () => {
  it('counts the majority class of each cluster', () => {
    expect(purity([0, 0, 1, 1, 1, 2], [0, 0, 0, 1, 1, 1])).toBeCloseTo(4 / 6, 10);
    expect(purity([0, 1, 2], [0, 0, 0])).toBeCloseTo(1 / 3, 10);
  });
});

describe('classificationReport', () => {
  it('gives accuracy, confusion (truth × predicted) and per-class recall', () => {
    const r = classificationReport([0, 0, 1, 1, 2, -1], [0, 1, 1, 1, 0, 2], 3);
    expect(r.n).toBe(5);
    expect(r.accuracy).toBeCloseTo(3 / 5, 10);
    expect(r.confusion).toEqual([[1, 1, 0], [0, 2, 0], [1, 0, 0]]);
    expect(Object.fromEntries(r.perClass)).toEqual({ 0: 0.5, 1: 1, 2: 0 });
  });

  it('scores only the included points', () => {
    const r = classificationReport([0, 1, 1], [0, 0, 1], 2, (i) => i !== 1);
    expect(r.accuracy).toBe(1);
    expect(r.n).toBe(2);
  });
});
