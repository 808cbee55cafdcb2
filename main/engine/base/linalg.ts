// Small dense linear algebra shared by the engine's feature statistics (k-means whitening in
// cluster/whiten.ts, FD-SS in gan/feature-distance.ts): column means and an exact, deterministic
// cyclic Jacobi eigensolver for symmetric matrices. Row-major Float64Arrays throughout.

/** Mean of each of the d columns of an n × d row-major matrix (accumulated as Σ x / n). */
export function columnMeans(x: ArrayLike<number>, n: number, d: number): Float64Array {
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j]! += x[i * d + j]! / n;
  return mean;
}

/**
 * Cyclic Jacobi eigen-decomposition of a symmetric d×d matrix. Returns the eigenvalues in the
 * solver's own (unsorted) order and the eigenvectors as COLUMNS of `vectors` (row-major d×d).
 */
export function jacobiEigen(matrix: Float64Array, d: number, opts: { sweeps?: number; tolerance?: number } = {}): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(matrix);
  const v = new Float64Array(d * d);
  for (let i = 0; i < d; i++) v[i * d + i] = 1;
  const sweeps = opts.sweeps ?? 100;
  const tolerance = opts.tolerance ?? 1e-22;
  for (let sweep = 0; sweep < sweeps; sweep++) {
    let off = 0;
    for (let p = 0; p < d; p++) for (let q = p + 1; q < d; q++) off += a[p * d + q]! ** 2;
    if (off < tolerance) break;
    for (let p = 0; p < d; p++) {
      for (let q = p + 1; q < d; q++) {
        const apq = a[p * d + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * d + q]! - a[p * d + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < d; k++) {
          // rotate columns p and q
          const akp = a[k * d + p]!;
          const akq = a[k * d + q]!;
          a[k * d + p] = c * akp - s * akq;
          a[k * d + q] = s * akp + c * akq;
        }
        for (let k = 0; k < d; k++) {
          // rotate rows p and q
          const apk = a[p * d + k]!;
          const aqk = a[q * d + k]!;
          a[p * d + k] = c * apk - s * aqk;
          a[q * d + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < d; k++) {
          // accumulate the rotation into the eigenvector columns p and q
          const vkp = v[k * d + p]!;
          const vkq = v[k * d + q]!;
          v[k * d + p] = c * vkp - s * vkq;
          v[k * d + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  return { values: Float64Array.from({ length: d }, (_, i) => a[i * d + i]!), vectors: v };
}
