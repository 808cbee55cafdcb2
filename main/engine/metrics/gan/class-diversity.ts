// Within-class diversity of generated images, in the project's self-supervised feature space. FD-SS
// mixes quality and coverage into one number; a generator that ignores z inside a class (one digit
// shape per row of the grid) needs a metric of its own: per class, the mean pairwise feature distance
// among generated samples over the same among real images of that class.

/** Mean Euclidean distance over all pairs of the given rows of x (n × d); NaN for fewer than 2 rows. */
export function meanPairwiseDistance(x: Float32Array, d: number, rows: number[]): number {
  if (rows.length < 2) return Number.NaN;
  let sum = 0;
  for (let i = 0; i < rows.length; i++) {
    const a = rows[i]! * d;
    for (let j = i + 1; j < rows.length; j++) {
      const b = rows[j]! * d;
      let s = 0;
      for (let k = 0; k < d; k++) {
        const diff = x[a + k]! - x[b + k]!;
        s += diff * diff;
      }
      sum += Math.sqrt(s);
    }
  }
  return sum / ((rows.length * (rows.length - 1)) / 2);
}

function rowsByClass(classes: ArrayLike<number>): Map<number, number[]> {
  const by = new Map<number, number[]>();
  for (let i = 0; i < classes.length; i++) {
    const c = classes[i]!;
    if (c < 0) continue;
    const rows = by.get(c);
    if (rows) rows.push(i);
    else by.set(c, [i]);
  }
  return by;
}

/**
 * Mean over classes (with ≥ 2 real and ≥ 2 generated samples) of generated / real within-class mean
 * pairwise distance. ≈ 1: samples of a class vary as much as the data; → 0: G ignores z within a class.
 * NaN when no class qualifies. Real images are grouped by whatever labels the caller has (never truth).
 */
export function diversityRatio(realF: Float32Array, realClass: ArrayLike<number>, genF: Float32Array, genClass: ArrayLike<number>, d: number): number {
  const real = rowsByClass(realClass);
  const ratios: number[] = [];
  for (const [c, genRows] of rowsByClass(genClass)) {
    const realRows = real.get(c);
    if (!realRows || realRows.length < 2 || genRows.length < 2) continue;
    const spread = meanPairwiseDistance(realF, d, realRows);
    if (spread > 0) ratios.push(meanPairwiseDistance(genF, d, genRows) / spread);
  }
  return ratios.length ? ratios.reduce((a, b) => a + b, 0) / ratios.length : Number.NaN;
}
