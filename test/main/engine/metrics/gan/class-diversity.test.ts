import { describe, expect, it } from 'vitest';
import { diversityRatio, meanPairwiseDistance } from '../../../../../main/engine/metrics/gan/class-diversity';
import { Prng } from '../../../../../main/engine/base/prng';

/** n points per class around class centres 10·c apart, with the given spread. */
function clusters(classes: number, n: number, spread: number, d: number, seed: number): { f: Float32Array; y: Int32Array } {
  const rng = new Prng(seed);
  const f = new Float32Array(classes * n * d);
  const y = new Int32Array(classes * n);
  for (let c = 0; c < classes; c++) {
    for (let i = 0; i < n; i++) {
      const row = c * n + i;
      y[row] = c;
      for (let k = 0; k < d; k++) f[row * d + k] = 10 * c + spread * (rng.next() - 0.5);
    }
  }
  return { f, y };
}

describe('within-class diversity (diversity_ss)', () => {
  it('mean pairwise distance of a few rows is exact', () => {
    const x = Float32Array.from([0, 0, 3, 4, 6, 8]); // three 2-d points on a line: distances 5, 10, 5
    expect(meanPairwiseDistance(x, 2, [0, 1, 2])).toBeCloseTo(20 / 3, 6);
    expect(meanPairwiseDistance(x, 2, [1])).toBeNaN();
  });

  it('≈ 1 for samples as varied as the data, ≈ the spread ratio for narrower ones, 0 when z is ignored', () => {
    const real = clusters(4, 40, 2, 8, 1);
    expect(diversityRatio(real.f, real.y, clusters(4, 30, 2, 8, 2).f, clusters(4, 30, 2, 8, 2).y, 8)).toBeCloseTo(1, 1);
    const narrow = clusters(4, 30, 0.5, 8, 3);
    expect(diversityRatio(real.f, real.y, narrow.f, narrow.y, 8)).toBeCloseTo(0.25, 1);
    const collapsed = clusters(4, 30, 0, 8, 4);
    expect(diversityRatio(real.f, real.y, collapsed.f, collapsed.y, 8)).toBe(0);
  });

  it('skips classes without two samples on both sides, and rows with no class; NaN when nothing qualifies', () => {
    const real = clusters(2, 5, 2, 3, 5);
    const gen = clusters(3, 4, 2, 3, 6); // class 2 has no real images
    const onlyShared = diversityRatio(real.f, real.y, gen.f.subarray(0, 8 * 3), gen.y.subarray(0, 8), 3);
    expect(diversityRatio(real.f, real.y, gen.f, gen.y, 3)).toBeCloseTo(onlyShared, 10);
    const unlabeled = Int32Array.from(real.y, () => -1);
    expect(diversityRatio(real.f, unlabeled, gen.f, gen.y, 3)).toBeNaN();
  });
});
