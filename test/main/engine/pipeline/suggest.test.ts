import { describe, expect, it } from 'vitest';
import { rankSuggestions, type SuggestInputs } from '../../../../main/engine/pipeline/suggest';

const ids = ['a', 'b', 'c', 'd', 'e', 'f'];

function clusters(assignments: number[], k: number, distances = assignments.map(() => 0)): SuggestInputs['clusters'] {
  return { ids, assignments, distances, k };
}

function infer(margin: number[]): SuggestInputs['infer'] {
  return { ids, predicted: ids.map(() => 'x'), confidence: margin.map((m) => (1 + m) / 2), margin, handLabeled: ids.map(() => false) };
}

describe('rankSuggestions', () => {
  it('orders by classifier uncertainty (small margin first) and never suggests labeled images', () => {
    const r = rankSuggestions({ ids, labeled: [false, false, true, false, false, false], clusters: null, infer: infer([0.9, 0.1, 0.0, 0.5, 0.3, 0.95]) }, 10);
    expect(r.map((s) => s.id)).toEqual(['b', 'e', 'd', 'a', 'f']);
    expect(r[0]!.reason).toMatch(/unsure/);
    expect(r[0]!.predicted).toBe('x');
    expect(r[0]!.cluster).toBeNull();
  });

  it('covers clusters without hand labels first and spreads picks over clusters', () => {
    // Clusters: 0 = {a,b,c} (a labeled), 1 = {d,e,f} (unlabeled). Equal uncertainty everywhere.
    const r = rankSuggestions({ ids, labeled: [true, false, false, false, false, false], clusters: clusters([0, 0, 0, 1, 1, 1], 2), infer: infer([0.5, 0.5, 0.5, 0.5, 0.5, 0.5]) }, 3);
    expect(r[0]!.cluster).toBe(1);
    // Words number clusters from 1, as the cluster cards do: index 1 is "cluster 2" (issue 14).
    expect(r[0]!.reason).toMatch(/^cluster 2 has no hand labels/);
    // After one pick in cluster 1 both clusters have one label: the next pick alternates.
    expect(r.map((s) => s.cluster)).toEqual([1, 0, 1]);
  });

  it('says "cluster N" with N = index + 1 wherever it names a cluster (index 0 is never "cluster 0")', () => {
    const r = rankSuggestions({ ids, labeled: [true, false, true, false, false, false], clusters: clusters([0, 0, 1, 1, 2, 2], 3), infer: null }, 6);
    for (const s of r) expect(s.reason).toContain(`cluster ${s.cluster! + 1} `);
    expect(r.some((s) => /cluster 0\b/.test(s.reason))).toBe(false);
    expect(r.find((s) => s.cluster === 0)!.reason).toBe('cluster 1 has only 1 hand label');
  });

  it('lets a very uncertain image beat coverage, and prefers central images within a cluster', () => {
    const r = rankSuggestions({ ids, labeled: [false, true, false, false, false, false], clusters: clusters([0, 0, 0, 1, 1, 1], 2, [0, 0, 4, 4, 0, 2]), infer: infer([0, 0.9, 0.9, 0.9, 0.9, 0.9]) }, 2);
    expect(r[0]!.id).toBe('a'); // margin 0 outweighs cluster 1's missing labels
    expect(r[1]!.id).toBe('e'); // cluster 1's most central image
  });

  it('works with clusters only and with no stages at all', () => {
    const onlyClusters = rankSuggestions({ ids, labeled: ids.map(() => false), clusters: clusters([0, 1, 2, 0, 1, 2], 3, [3, 1, 0, 1, 3, 3]), infer: null }, 3);
    expect(new Set(onlyClusters.map((s) => s.cluster)).size).toBe(3);
    expect(onlyClusters.every((s) => s.confidence === null)).toBe(true);
    expect(rankSuggestions({ ids, labeled: ids.map(() => true), clusters: null, infer: null }, 5)).toEqual([]);
  });
});
