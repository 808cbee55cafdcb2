// Clusters view logic: cards (typical members nearest the centroid, outliers, majority + purity),
// labeling a cluster or a selection, and the map's lasso geometry.
import { describe, expect, it, vi } from 'vitest';
import type { ImageItem } from '../../../../shared/contract';

import { buildCards, clusterName, ClustersState } from '../../../../renderer/src/lib/state/clusters.svelte';
import { lassoSelect, insidePolygon, nearest, fitter, bounds } from '../../../../renderer/src/lib/charts/geometry';

const ann = (id: string, cluster: number | null, distance: number) => ({ id, cluster, distance });

describe('buildCards', () => {
  const items = [ann('a', 0, 0.5), ann('b', 0, 0.1), ann('c', 0, 0.9), ann('d', 1, 0.2), ann('e', null, 0), ann('f', 0, 0.3)];
  const labels = new Map<string, string | null>([['a', 'cat'], ['b', 'cat'], ['c', 'dog']]);

  it('orders members by distance, splits typical and outliers, counts majority and purity', () => {
    const cards = buildCards(items, (id) => labels.get(id) ?? null, 2, 1);
    expect(cards.map((c) => c.index)).toEqual([0, 1]);
    const c0 = cards[0]!;
    expect(c0.size).toBe(4);
    expect(c0.typical).toEqual(['b', 'f']);
    expect(c0.outliers).toEqual(['c']);
    expect(c0).toMatchObject({ labeled: 3, majority: 'cat', majorityCount: 2 });
    expect(c0.purity).toBeCloseTo(2 / 3);
    expect(cards[1]).toMatchObject({ size: 1, labeled: 0, majority: null, purity: null, outliers: [] });
  });
});

describe('ClustersState', () => {
  it('labels every member of a cluster, or the selection, through the writer', async () => {
    const set = vi.fn(async () => true);
    const pipeline = { annotations: { stages: { features: null, cluster: null, infer: null }, items: [ann('a', 0, 0.1), ann('b', 0, 0.2), ann('c', 1, 0.1)].map((a) => ({ ...a, inferred: null, confidence: null, x: 0, y: 0 })) } };
    const items = [] as ImageItem[];
    const s = new ClustersState(pipeline as never, () => items, { set });
    const cls = { id: 'k1', name: 'cat', color: '#000000' };
    await s.labelCluster(s.cards[0]!, cls);
    expect(set).toHaveBeenCalledWith(['a', 'b'], 'k1');
    expect(await s.labelSelection(cls)).toBe(false); // nothing selected
    s.select(['c']);
    s.toggle('a');
    expect([...s.selected]).toEqual(['c', 'a']);
    expect(await s.labelSelection(cls)).toBe(true);
    expect(set).toHaveBeenLastCalledWith(['c', 'a'], 'k1');
    expect(s.selected.size).toBe(0);
  });
});

describe('map geometry', () => {
  it('selects the points inside a lasso polygon', () => {
    const square = [{ x: 0, y: 0 }, { x: 10, y: 0 }, { x: 10, y: 10 }, { x: 0, y: 10 }];
    expect(insidePolygon({ x: 5, y: 5 }, square)).toBe(true);
    expect(insidePolygon({ x: 15, y: 5 }, square)).toBe(false);
    expect(lassoSelect([{ x: 1, y: 1 }, { x: 20, y: 1 }, { x: 9, y: 9 }], square)).toEqual([0, 2]);
    expect(lassoSelect([{ x: 1, y: 1 }], square.slice(0, 2))).toEqual([]);
  });

  it('fits data into the canvas (y up) and finds the nearest point within a radius', () => {
    const pts = [{ x: -1, y: -1 }, { x: 1, y: 1 }];
    const fit = fitter(bounds(pts), 120, 120, 10);
    expect(fit(pts[0]!)).toEqual({ x: 10, y: 110 });
    expect(fit(pts[1]!)).toEqual({ x: 110, y: 10 });
    const screen = pts.map(fit);
    expect(nearest(screen, { x: 108, y: 12 }, 5)).toBe(1);
    expect(nearest(screen, { x: 60, y: 60 }, 5)).toBe(-1);
  });
});

describe('clusterName (issue 14: one numbering everywhere)', () => {
  it('names the 0-based index + 1, as the cards and the engine\'s suggestion reasons do', () => {
    expect(clusterName(0)).toBe('Cluster 1');
    expect(clusterName(9)).toBe('Cluster 10');
    expect(clusterName(null)).toBe('no cluster');
    expect(clusterName(undefined)).toBe('no cluster');
  });
});
