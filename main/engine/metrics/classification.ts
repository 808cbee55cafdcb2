// Scores of predicted class indices against truth indices (points with truth < 0 are left out).

export interface ClassificationReport {
  accuracy: number;
  /** Number of points scored. */
  n: number;
  /** confusion[truth][predicted], k × k. */
  confusion: number[][];
  /** Recall per truth class index (NaN-free: classes without points are absent). */
  perClass: Map<number, number>;
}

export function classificationReport(truth: ArrayLike<number>, predicted: ArrayLike<number>, k: number, include?: (i: number) => boolean): ClassificationReport {
  const confusion = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  let n = 0;
  let correct = 0;
  for (let i = 0; i < truth.length; i++) {
    const t = truth[i]!;
    const p = predicted[i]!;
    if (t < 0 || t >= k || (include && !include(i))) continue;
    n += 1;
    if (p === t) correct += 1;
    if (p >= 0 && p < k) confusion[t]![p]! += 1;
  }
  const perClass = new Map<number, number>();
  for (let t = 0; t < k; t++) {
    const row = confusion[t]!;
    const total = countRow(truth, t, include);
    if (total > 0) perClass.set(t, row[t]! / total);
  }
  return { accuracy: n > 0 ? correct / n : 0, n, confusion, perClass };
}

function countRow(truth: ArrayLike<number>, t: number, include?: (i: number) => boolean): number {
  let c = 0;
  for (let i = 0; i < truth.length; i++) if (truth[i] === t && (!include || include(i))) c += 1;
  return c;
}
