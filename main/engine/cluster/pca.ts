// PCA by orthogonal (block power) iteration on the centred data, never forming the d×d covariance:
// each step costs 2·n·d·m multiply-adds, so 10k×512 → 2-D takes well under a second in plain JS.
import { seededRng } from '../base/prng';

export interface PcaResult {
  /** m × dim principal directions (unit rows), largest variance first; sign fixed so the largest |loading| is positive. */
  components: Float64Array;
  /** n × m projections of the centred points. */
  projections: Float64Array;
  /** Variance along each component. */
  variances: number[];
  mean: Float64Array;
}

export function pca(points: Float32Array, dim: number, m = 2, opts: { iterations?: number; seed?: number } = {}): PcaResult {
  const n = Math.floor(points.length / dim);
  const mean = new Float64Array(dim);
  for (let i = 0; i < n; i++) for (let d = 0; d < dim; d++) mean[d]! += points[i * dim + d]! / n;
  const rng = seededRng(opts.seed ?? 1);
  let basis = new Float64Array(m * dim).map(() => rng() - 0.5);
  orthonormalise(basis, m, dim);
  const scores = new Float64Array(n * m);
  for (let it = 0; it < (opts.iterations ?? 200); it++) {
    project(points, mean, basis, n, dim, m, scores);
    const next = new Float64Array(m * dim); // Xᵀ X basisᵀ, accumulated row by row
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < m; j++) {
        const s = scores[i * m + j]!;
        if (s === 0) continue;
        for (let d = 0; d < dim; d++) next[j * dim + d]! += s * (points[i * dim + d]! - mean[d]!);
      }
    }
    orthonormalise(next, m, dim);
    const delta = 1 - Math.min(...Array.from({ length: m }, (_, j) => Math.abs(dot(next, basis, j * dim, j * dim, dim))));
    basis = next;
    if (delta < 1e-10) break;
  }
  fixSigns(basis, m, dim);
  project(points, mean, basis, n, dim, m, scores);
  const variances = Array.from({ length: m }, (_, j) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += scores[i * m + j]! ** 2;
    return n > 1 ? s / (n - 1) : 0;
  });
  return { components: basis, projections: scores, variances, mean };
}

/** 2-D map for the UI: PCA projections scaled into [-1, 1] (the same scale on both axes keeps shapes). */
export function map2d(points: Float32Array, dim: number): { x: number[]; y: number[] } {
  const n = Math.floor(points.length / dim);
  const { projections } = pca(points, dim, 2);
  let maxAbs = 0;
  for (const v of projections) maxAbs = Math.max(maxAbs, Math.abs(v));
  const scale = maxAbs > 0 ? 1 / maxAbs : 0;
  const round = (v: number) => Math.round(v * scale * 1e4) / 1e4; // 4 decimals keep result.json small
  return {
    x: Array.from({ length: n }, (_, i) => round(projections[i * 2]!)),
    y: Array.from({ length: n }, (_, i) => round(projections[i * 2 + 1]!)),
  };
}

function project(points: Float32Array, mean: Float64Array, basis: Float64Array, n: number, dim: number, m: number, out: Float64Array): void {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let d = 0; d < dim; d++) s += (points[i * dim + d]! - mean[d]!) * basis[j * dim + d]!;
      out[i * m + j] = s;
    }
  }
}

function dot(a: Float64Array, b: Float64Array, ao: number, bo: number, len: number): number {
  let s = 0;
  for (let d = 0; d < len; d++) s += a[ao + d]! * b[bo + d]!;
  return s;
}

/** Gram–Schmidt on the rows; a vanishing row (rank-deficient data) becomes a fresh orthogonal axis. */
function orthonormalise(rows: Float64Array, m: number, dim: number): void {
  for (let j = 0; j < m; j++) {
    for (let attempt = 0; attempt <= dim; attempt++) {
      for (let p = 0; p < j; p++) {
        const c = dot(rows, rows, j * dim, p * dim, dim);
        for (let d = 0; d < dim; d++) rows[j * dim + d]! -= c * rows[p * dim + d]!;
      }
      const norm = Math.sqrt(dot(rows, rows, j * dim, j * dim, dim));
      if (norm > 1e-12) {
        for (let d = 0; d < dim; d++) rows[j * dim + d]! /= norm;
        break;
      }
      for (let d = 0; d < dim; d++) rows[j * dim + d] = d === (j + attempt) % dim ? 1 : 0;
    }
  }
}

function fixSigns(rows: Float64Array, m: number, dim: number): void {
  for (let j = 0; j < m; j++) {
    let best = 0;
    for (let d = 0; d < dim; d++) if (Math.abs(rows[j * dim + d]!) > Math.abs(best)) best = rows[j * dim + d]!;
    if (best < 0) for (let d = 0; d < dim; d++) rows[j * dim + d] = -rows[j * dim + d]!;
  }
}
