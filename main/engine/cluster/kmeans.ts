// k-means with k-means++ init and restarts (best inertia wins). Distances run on tfjs in row chunks,
// so 10k×512 features never materialise an n×k matrix larger than chunkRows×k; the cheap parts
// (centroid means, empty-cluster repair) run in plain JS on the same Float32Array.
import * as tf from '@tensorflow/tfjs';
import { ContractError } from '../../../shared/contract';
import { seededRng, weightedPick, type Rng } from '../base/prng';

export interface KMeansOptions {
  k: number;
  /** Independent k-means++ starts; the lowest inertia is kept (sklearn's n_init). */
  restarts?: number;
  maxIterations?: number;
  seed?: number;
  /** Rows per distance chunk (memory bound: chunkRows × k floats). */
  chunkRows?: number;
  /** Start from these k × dim centres instead of k-means++ (one run; warm starts and tests). */
  initialCentroids?: Float32Array;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

export interface KMeansResult {
  k: number;
  assignments: Int32Array;
  /** k × dim, row-major. */
  centroids: Float32Array;
  /** Sum of squared distances of points to their centroid. */
  inertia: number;
  sizes: number[];
  /** Squared distance of each point to its centroid. */
  distances: Float32Array;
  iterations: number;
}

/** Seed of restart r: exported so tests can check that restarts keep the best single run. */
export function restartSeed(seed: number, restart: number): number {
  return (seed + Math.imul(restart, 0x9e3779b1)) >>> 0;
}

export async function kmeans(points: Float32Array, dim: number, opts: KMeansOptions): Promise<KMeansResult> {
  const n = dim > 0 ? Math.floor(points.length / dim) : 0;
  if (n === 0 || n * dim !== points.length) throw new ContractError('CONFLICT', `k-means needs a non-empty n×${dim} matrix (got ${points.length} values)`);
  if (!Number.isInteger(opts.k) || opts.k < 1) throw new ContractError('INVALID_PAYLOAD', `k must be a positive integer (got ${opts.k})`);
  if (opts.initialCentroids && opts.initialCentroids.length !== opts.k * dim) throw new ContractError('INVALID_PAYLOAD', `initialCentroids must hold k×dim = ${opts.k * dim} values`);
  const restarts = opts.initialCentroids ? 1 : Math.max(1, opts.restarts ?? 10);
  const space = new PointSpace(points, n, dim, opts.chunkRows ?? 2048);
  try {
    let best: KMeansResult | null = null;
    for (let r = 0; r < restarts; r++) {
      throwIfAborted(opts.signal);
      const init = opts.initialCentroids ?? plusPlusInit(space, opts.k, seededRng(restartSeed(opts.seed ?? 0, r)));
      const run = lloyd(space, opts.k, init, opts.maxIterations ?? 100, opts.signal);
      if (!best || run.inertia < best.inertia) best = run;
      opts.onProgress?.(r + 1, restarts);
      await new Promise((resolve) => setImmediate(resolve)); // let progress events and cancels through
    }
    return best!;
  } finally {
    space.dispose();
  }
}

function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new ContractError('CANCELLED', 'clustering was cancelled');
}

/** The points as a tensor plus their squared norms, for chunked nearest-centroid queries. */
class PointSpace {
  readonly x: tf.Tensor2D;
  readonly xx: tf.Tensor1D;
  constructor(readonly data: Float32Array, readonly n: number, readonly dim: number, readonly chunkRows: number) {
    this.x = tf.tensor2d(data, [n, dim]);
    this.xx = tf.tidy(() => this.x.square().sum(1) as tf.Tensor1D);
  }

  /** Squared distance of every point to one point (a new k-means++ centre). */
  distancesTo(centre: Float32Array): Float32Array {
    const out = tf.tidy(() => {
      const c = tf.tensor2d(centre, [this.dim, 1]);
      return this.xx.sub(this.x.matMul(c).reshape([this.n]).mul(2)).add(c.square().sum()).relu();
    });
    const d = out.dataSync() as Float32Array;
    out.dispose();
    return d;
  }

  /** Index of and squared distance to the nearest centroid; ties go to the lowest index. */
  nearest(centroids: Float32Array, k: number): { assignments: Int32Array; distances: Float32Array } {
    const assignments = new Int32Array(this.n);
    const distances = new Float32Array(this.n);
    const c = tf.tensor2d(centroids, [k, this.dim]);
    const cc = tf.tidy(() => c.square().sum(1).reshape([1, k]));
    try {
      for (let start = 0; start < this.n; start += this.chunkRows) {
        const rows = Math.min(this.chunkRows, this.n - start);
        const [idx, dist] = tf.tidy(() => {
          const xs = this.x.slice([start, 0], [rows, this.dim]);
          const xxs = this.xx.slice([start], [rows]).reshape([rows, 1]);
          const d = xxs.sub(xs.matMul(c, false, true).mul(2)).add(cc);
          return [d.argMin(1), d.min(1).relu()];
        });
        assignments.set(idx.dataSync() as Int32Array, start);
        distances.set(dist.dataSync() as Float32Array, start);
        idx.dispose();
        dist.dispose();
      }
    } finally {
      c.dispose();
      cc.dispose();
    }
    return { assignments, distances };
  }

  row(i: number): Float32Array {
    return this.data.subarray(i * this.dim, (i + 1) * this.dim);
  }

  dispose(): void {
    this.x.dispose();
    this.xx.dispose();
  }
}

/** k-means++: each next centre drawn with probability ∝ squared distance to the nearest chosen one. */
function plusPlusInit(space: PointSpace, k: number, rng: Rng): Float32Array {
  const { n, dim } = space;
  const centroids = new Float32Array(k * dim);
  let first = Math.floor(rng() * n);
  centroids.set(space.row(first), 0);
  const nearestSq = space.distancesTo(space.row(first));
  for (let j = 1; j < k; j++) {
    let pick = weightedPick(nearestSq, rng);
    // Fewer distinct points than k: every point already is a centre; duplicate one (left empty later).
    if (pick < 0) pick = first = (first + 1) % n;
    centroids.set(space.row(pick), j * dim);
    if (j + 1 < k) {
      const d = space.distancesTo(space.row(pick));
      for (let i = 0; i < n; i++) if (d[i]! < nearestSq[i]!) nearestSq[i] = d[i]!;
    }
  }
  return centroids;
}

function lloyd(space: PointSpace, k: number, init: Float32Array, maxIterations: number, signal?: AbortSignal): KMeansResult {
  let centroids = init;
  let { assignments, distances } = space.nearest(centroids, k);
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    throwIfAborted(signal);
    centroids = updateCentroids(space, assignments, distances, centroids, k);
    const next = space.nearest(centroids, k);
    const changed = next.assignments.some((a, i) => a !== assignments[i]);
    assignments = next.assignments;
    distances = next.distances;
    if (!changed) break;
  }
  // The centroids are the means of the final assignment (sklearn reports the same pair).
  centroids = updateCentroids(space, assignments, distances, centroids, k, false);
  const sizes = new Array<number>(k).fill(0);
  let inertia = 0;
  for (let i = 0; i < space.n; i++) {
    sizes[assignments[i]!]! += 1;
    inertia += distances[i]!;
  }
  return { k, assignments, centroids, inertia, sizes, distances, iterations };
}

/**
 * Means of the assigned points. An empty cluster is re-seeded at the point farthest from its own
 * centroid (each such point used once); when every point sits on a centroid (k > distinct points)
 * the empty cluster keeps its old centre and stays empty.
 */
function updateCentroids(space: PointSpace, assignments: Int32Array, distances: Float32Array, previous: Float32Array, k: number, reseed = true): Float32Array {
  const { n, dim, data } = space;
  const sums = new Float64Array(k * dim);
  const counts = new Int32Array(k);
  for (let i = 0; i < n; i++) {
    const c = assignments[i]!;
    counts[c]! += 1;
    const off = i * dim;
    const coff = c * dim;
    for (let d = 0; d < dim; d++) sums[coff + d]! += data[off + d]!;
  }
  const centroids = new Float32Array(k * dim);
  let farthest: number[] | null = null;
  let nextFarthest = 0;
  for (let c = 0; c < k; c++) {
    if (counts[c]! > 0) {
      for (let d = 0; d < dim; d++) centroids[c * dim + d] = sums[c * dim + d]! / counts[c]!;
      continue;
    }
    centroids.set(previous.subarray(c * dim, (c + 1) * dim), c * dim);
    if (!reseed) continue;
    farthest ??= Array.from({ length: n }, (_, i) => i).sort((a, b) => distances[b]! - distances[a]!);
    const p = farthest[nextFarthest];
    if (p !== undefined && distances[p]! > 0) {
      centroids.set(space.row(p), c * dim);
      nextFarthest += 1;
    }
  }
  return centroids;
}
