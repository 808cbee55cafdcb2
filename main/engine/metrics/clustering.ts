// External cluster-quality scores against ground truth. Points whose truth is unknown (< 0) are
// left out, so a partially labeled evaluation set still gives a meaningful number.

/** Contingency table of (truth, cluster) counts over points with known truth. */
function contingency(truth: ArrayLike<number>, clusters: ArrayLike<number>): { table: Map<string, number>; rows: Map<number, number>; cols: Map<number, number>; n: number } {
  if (truth.length !== clusters.length) throw new Error(`truth (${truth.length}) and clusters (${clusters.length}) differ in length`);
  const table = new Map<string, number>();
  const rows = new Map<number, number>();
  const cols = new Map<number, number>();
  let n = 0;
  for (let i = 0; i < truth.length; i++) {
    const t = truth[i]!;
    const c = clusters[i]!;
    if (t < 0 || c < 0) continue;
    n += 1;
    table.set(`${t},${c}`, (table.get(`${t},${c}`) ?? 0) + 1);
    rows.set(t, (rows.get(t) ?? 0) + 1);
    cols.set(c, (cols.get(c) ?? 0) + 1);
  }
  return { table, rows, cols, n };
}

function entropy(counts: Iterable<number>, n: number): number {
  let h = 0;
  for (const c of counts) if (c > 0) h -= (c / n) * Math.log(c / n);
  return h;
}

/**
 * Normalised mutual information with arithmetic-mean normalisation (sklearn's default):
 * NMI = I(T;C) / ((H(T) + H(C)) / 2). Two single-cluster labelings count as identical (1), as in sklearn.
 */
export function nmi(truth: ArrayLike<number>, clusters: ArrayLike<number>): number {
  const { table, rows, cols, n } = contingency(truth, clusters);
  if (n === 0) return 0;
  if (rows.size <= 1 && cols.size <= 1) return 1;
  let mi = 0;
  for (const [key, nij] of table) {
    const [t, c] = key.split(',').map(Number) as [number, number];
    mi += (nij / n) * Math.log((n * nij) / (rows.get(t)! * cols.get(c)!));
  }
  const denom = (entropy(rows.values(), n) + entropy(cols.values(), n)) / 2;
  return denom > 0 ? Math.max(0, Math.min(1, mi / denom)) : 0;
}

/** Fraction of points whose cluster's majority truth class is their own. */
export function purity(truth: ArrayLike<number>, clusters: ArrayLike<number>): number {
  const { table, n } = contingency(truth, clusters);
  if (n === 0) return 0;
  const majority = new Map<number, number>();
  for (const [key, nij] of table) {
    const c = Number(key.split(',')[1]);
    majority.set(c, Math.max(majority.get(c) ?? 0, nij));
  }
  let sum = 0;
  for (const v of majority.values()) sum += v;
  return sum / n;
}
