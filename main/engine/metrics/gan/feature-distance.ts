// Fréchet distance and KID between two sets of feature vectors (rows of n × d Float32Arrays).
// Here the features are the project's own frozen self-supervised embedding, so the numbers are
// FD-SS / KID-SS: comparable within a project, never Inception FID.
import { columnMeans, jacobiEigen } from '../../base/linalg';

function meanCov(x: Float32Array, n: number, d: number): { mean: Float64Array; cov: Float64Array } {
  const mean = columnMeans(x, n, d);
  const cov = new Float64Array(d * d);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < d; a++) {
      const da = x[i * d + a]! - mean[a]!;
      for (let b = a; b < d; b++) cov[a * d + b]! += (da * (x[i * d + b]! - mean[b]!)) / Math.max(1, n - 1);
    }
  }
  for (let a = 0; a < d; a++) for (let b = 0; b < a; b++) cov[a * d + b] = cov[b * d + a]!;
  return { mean, cov };
}

/** Eigen-decomposition of a symmetric matrix (cyclic Jacobi): values and column eigenvectors. */
export function symmetricEigen(m: Float64Array, d: number): { values: Float64Array; vectors: Float64Array } {
  return jacobiEigen(m, d, { sweeps: 100 });
}

function matMul(a: Float64Array, b: Float64Array, d: number): Float64Array {
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let k = 0; k < d; k++) {
    const aik = a[i * d + k]!;
    if (aik !== 0) for (let j = 0; j < d; j++) out[i * d + j]! += aik * b[k * d + j]!;
  }
  return out;
}

/** PSD square root through the eigen-decomposition (negative rounding noise clipped to 0). */
function sqrtPsd(m: Float64Array, d: number): Float64Array {
  const { values, vectors } = symmetricEigen(m, d);
  const scaled = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) scaled[i * d + j] = vectors[i * d + j]! * Math.sqrt(Math.max(0, values[j]!));
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) {
    let s = 0;
    for (let k = 0; k < d; k++) s += scaled[i * d + k]! * vectors[j * d + k]!;
    out[i * d + j] = s;
  }
  return out;
}

/** ‖μa − μb‖² + tr(Σa + Σb − 2 (Σa^½ Σb Σa^½)^½). */
export function frechetDistance(a: Float32Array, nA: number, b: Float32Array, nB: number, d: number): number {
  const A = meanCov(a, nA, d);
  const B = meanCov(b, nB, d);
  let dist = 0;
  for (let j = 0; j < d; j++) dist += (A.mean[j]! - B.mean[j]!) ** 2;
  const rootA = sqrtPsd(A.cov, d);
  const inner = matMul(matMul(rootA, B.cov, d), rootA, d);
  for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) inner[i * d + j] = inner[j * d + i] = (inner[i * d + j]! + inner[j * d + i]!) / 2;
  const { values } = symmetricEigen(inner, d);
  let trRoot = 0;
  for (const v of values) trRoot += Math.sqrt(Math.max(0, v));
  for (let j = 0; j < d; j++) dist += A.cov[j * d + j]! + B.cov[j * d + j]!;
  return Math.max(0, dist - 2 * trRoot);
}

/** m distinct indices of 0..n-1 (partial Fisher–Yates): a subset drawn without replacement. */
export function distinctSample(n: number, m: number, rng: () => number): Int32Array {
  const pool = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < m; i++) {
    const j = i + Math.floor(rng() * (n - i));
    const t = pool[i]!;
    pool[i] = pool[j]!;
    pool[j] = t;
  }
  return pool.slice(0, m);
}

/**
 * Unbiased MMD² with the cubic polynomial kernel (x·y/d + 1)³, averaged over subsets (Bińkowski et al.).
 * Each subset is drawn without replacement: a repeated row would pair an image with itself in the
 * off-diagonal sums and bias the estimator that is meant to be unbiased.
 */
export function kernelInceptionDistance(a: Float32Array, nA: number, b: Float32Array, nB: number, d: number, opts: { subsets?: number; subsetSize?: number; rng?: () => number } = {}): number {
  const m = Math.min(opts.subsetSize ?? 200, nA, nB);
  if (m < 2) return Number.NaN;
  const subsets = opts.subsets ?? 10;
  const rng = opts.rng ?? Math.random;
  const k = (x: Float32Array, i: number, y: Float32Array, j: number) => {
    let s = 0;
    for (let t = 0; t < d; t++) s += x[i * d + t]! * y[j * d + t]!;
    return (s / d + 1) ** 3;
  };
  const pick = (n: number) => distinctSample(n, m, rng);
  let total = 0;
  for (let s = 0; s < subsets; s++) {
    const ia = pick(nA);
    const ib = pick(nB);
    let kxx = 0;
    let kyy = 0;
    let kxy = 0;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < m; j++) {
        if (i !== j) {
          kxx += k(a, ia[i]!, a, ia[j]!);
          kyy += k(b, ib[i]!, b, ib[j]!);
        }
        kxy += k(a, ia[i]!, b, ib[j]!);
      }
    }
    total += kxx / (m * (m - 1)) + kyy / (m * (m - 1)) - (2 * kxy) / (m * m);
  }
  return total / subsets;
}
