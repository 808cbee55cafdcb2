// A ridge (least-squares) classifier on frozen features: closed form, deterministic, fast enough to
// refit per cross-validation fold. Solved in whichever of the primal (d×d) or dual (n×n) forms is smaller.

export interface RidgeModel {
  /** (dim + 1) × k weights, the last row is the bias. */
  weights: Float64Array;
  dim: number;
  k: number;
}

/** Fits one-vs-rest targets in {-1, +1} (as sklearn's RidgeClassifier). */
export function fitRidge(features: Float32Array, dim: number, labels: ArrayLike<number>, k: number, lambda = 0.1): RidgeModel {
  const n = labels.length;
  const p = dim + 1; // + bias column
  const x = (i: number, d: number) => (d === dim ? 1 : features[i * dim + d]!);
  const y = (i: number, c: number) => (labels[i] === c ? 1 : -1);
  const weights = new Float64Array(p * k);
  if (n <= p) {
    // Dual: W = Xᵀ (X Xᵀ + λI)⁻¹ Y
    const gram = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j <= i; j++) {
        let s = 0;
        for (let d = 0; d < p; d++) s += x(i, d) * x(j, d);
        gram[i * n + j] = gram[j * n + i] = s + (i === j ? lambda : 0);
      }
    }
    const alpha = solveSpd(gram, n, Float64Array.from({ length: n * k }, (_, t) => y(Math.floor(t / k), t % k)), k);
    for (let i = 0; i < n; i++) for (let d = 0; d < p; d++) for (let c = 0; c < k; c++) weights[d * k + c]! += x(i, d) * alpha[i * k + c]!;
  } else {
    // Primal: W = (Xᵀ X + λI)⁻¹ Xᵀ Y
    const cov = new Float64Array(p * p);
    const xty = new Float64Array(p * k);
    for (let i = 0; i < n; i++) {
      for (let a = 0; a < p; a++) {
        const xa = x(i, a);
        for (let b = 0; b <= a; b++) cov[a * p + b]! += xa * x(i, b);
        for (let c = 0; c < k; c++) xty[a * k + c]! += xa * y(i, c);
      }
    }
    for (let a = 0; a < p; a++) {
      cov[a * p + a]! += lambda;
      for (let b = 0; b < a; b++) cov[b * p + a] = cov[a * p + b]!;
    }
    weights.set(solveSpd(cov, p, xty, k));
  }
  return { weights, dim, k };
}

/** Class index with the highest score for each row. */
export function predictRidge(model: RidgeModel, features: Float32Array): Int32Array {
  const { dim, k, weights } = model;
  const n = Math.floor(features.length / dim);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = -Infinity;
    for (let c = 0; c < k; c++) {
      let s = weights[dim * k + c]!;
      for (let d = 0; d < dim; d++) s += features[i * dim + d]! * weights[d * k + c]!;
      if (s > best) {
        best = s;
        out[i] = c;
      }
    }
  }
  return out;
}

/** Solves A X = B for symmetric positive definite A (m×m) and B (m×cols) by Cholesky. */
function solveSpd(a: Float64Array, m: number, b: Float64Array, cols: number): Float64Array {
  const l = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * m + j]!;
      for (let t = 0; t < j; t++) s -= l[i * m + t]! * l[j * m + t]!;
      l[i * m + j] = i === j ? Math.sqrt(Math.max(s, 1e-12)) : s / l[j * m + j]!;
    }
  }
  const out = new Float64Array(b);
  for (let c = 0; c < cols; c++) {
    for (let i = 0; i < m; i++) {
      let s = out[i * cols + c]!;
      for (let t = 0; t < i; t++) s -= l[i * m + t]! * out[t * cols + c]!;
      out[i * cols + c] = s / l[i * m + i]!;
    }
    for (let i = m - 1; i >= 0; i--) {
      let s = out[i * cols + c]!;
      for (let t = i + 1; t < m; t++) s -= l[t * m + i]! * out[t * cols + c]!;
      out[i * cols + c] = s / l[i * m + i]!;
    }
  }
  return out;
}
