// The raw-pixel baseline: cosine k-nearest-neighbour classification of every evaluation image from the
// hand-labeled ones (majority vote; a tie goes to the class with the larger summed similarity).

/** Row-wise unit vectors (float32) of n × dim values; zero rows stay zero. */
export function unitRows(x: ArrayLike<number>, n: number, dim: number): Float32Array {
  const out = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let d = 0; d < dim; d++) s += x[i * dim + d]! ** 2;
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let d = 0; d < dim; d++) out[i * dim + d] = x[i * dim + d]! * inv;
  }
  return out;
}

/**
 * Accuracy of cosine kNN for each k in `ks`: `unit` holds unit rows, `train` / `trainLabels` the
 * labeled rows, `evalRows` / `evalTruth` the rows scored.
 */
export function cosineKnnAccuracy(
  unit: Float32Array, dim: number, train: ArrayLike<number>, trainLabels: ArrayLike<number>,
  evalRows: ArrayLike<number>, evalTruth: ArrayLike<number>, classes: number, ks: number[],
): Record<number, number> {
  const kMax = Math.min(Math.max(...ks), train.length);
  const correct = ks.map(() => 0);
  const topSim = new Float64Array(kMax);
  const topLabel = new Int32Array(kMax);
  const votes = new Float64Array(classes);
  const sims = new Float64Array(classes);
  for (let e = 0; e < evalRows.length; e++) {
    const a = evalRows[e]! * dim;
    let filled = 0;
    for (let t = 0; t < train.length; t++) {
      const b = train[t]! * dim;
      let s = 0;
      for (let d = 0; d < dim; d++) s += unit[a + d]! * unit[b + d]!;
      if (filled < kMax || s > topSim[filled - 1]!) {
        // insertion into the descending top list
        let j = filled < kMax ? filled++ : kMax - 1;
        while (j > 0 && topSim[j - 1]! < s) {
          topSim[j] = topSim[j - 1]!;
          topLabel[j] = topLabel[j - 1]!;
          j -= 1;
        }
        topSim[j] = s;
        topLabel[j] = trainLabels[t]!;
      }
    }
    ks.forEach((k, ki) => {
      votes.fill(0);
      sims.fill(0);
      for (let j = 0; j < Math.min(k, filled); j++) {
        votes[topLabel[j]!]! += 1;
        sims[topLabel[j]!]! += topSim[j]!;
      }
      let best = 0;
      for (let c = 1; c < classes; c++) if (votes[c]! > votes[best]! || (votes[c] === votes[best] && sims[c]! > sims[best]!)) best = c;
      if (best === evalTruth[e]) correct[ki]! += 1;
    });
  }
  return Object.fromEntries(ks.map((k, ki) => [k, evalRows.length ? correct[ki]! / evalRows.length : NaN]));
}
