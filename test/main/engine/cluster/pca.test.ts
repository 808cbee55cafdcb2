import { describe, expect, it } from 'vitest';
import { map2d, pca } from '../../../../main/engine/cluster/pca';

describe('pca', () => {
  it('finds the known principal directions and variances', () => {
    // Points on a 3-D grid stretched 3× along (1,1,0)/√2 and 1× along (0,0,1); nothing along (1,-1,0).
    const pts: number[] = [];
    for (const a of [-2, -1, 0, 1, 2]) for (const b of [-1, 0, 1]) pts.push((3 * a) / Math.SQRT2 + 7, (3 * a) / Math.SQRT2 - 2, b + 1);
    const r = pca(new Float32Array(pts), 3, 2);
    expect(Math.abs(r.components[0]!)).toBeCloseTo(Math.SQRT1_2, 5);
    expect(Math.abs(r.components[1]!)).toBeCloseTo(Math.SQRT1_2, 5);
    expect(Math.abs(r.components[5]!)).toBeCloseTo(1, 5);
    // variance of 3a over a ∈ {-2..2} repeated 3 times (n-1 = 14): 9 * 30 / 14
    expect(r.variances[0]).toBeCloseTo((9 * 30) / 14, 4);
    expect(r.variances[1]).toBeCloseTo(10 / 14, 4);
    expect(Array.from(r.mean).map((v) => Math.round(v * 1e6) / 1e6)).toEqual([7, -2, 1]);
  });

  it('maps into [-1, 1] with one point per input row', () => {
    const pts = new Float32Array([0, 0, 0, 2, 0, 0, 4, 0, 1, 6, 0, 0]);
    const m = map2d(pts, 3);
    expect(m.x).toHaveLength(4);
    expect(Math.max(...m.x.map(Math.abs), ...m.y.map(Math.abs))).toBeCloseTo(1, 6);
    // The first axis orders the points along the stretched x direction.
    const order = [...m.x.keys()].sort((a, b) => m.x[a]! - m.x[b]!).join();
    expect(['0,1,2,3', '3,2,1,0']).toContain(order);
  });
});
