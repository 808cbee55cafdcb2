// The 2-D feature map the UI draws: UMAP of the embeddings (umap-js, seeded, so the same features give
// the same map), PCA when there are too few images for a neighbour graph. Computed right after the
// features stage and cached next to it (features/map.json), keyed by a hash of the embeddings, so a
// map is never shown for other features than the ones it was made from.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { UMAP } from 'umap-js';
import { seededRng } from '../base/prng';
import { map2d, pca } from '../cluster/pca';
import { readJsonOrNull, writeJsonAtomic } from './stage-files';

/** Below this many images the neighbour graph is too thin for UMAP to mean much: PCA instead. */
export const UMAP_MIN_IMAGES = 50;
const NEIGHBORS = 15;
/** Embeddings are first reduced to this many PCA components: UMAP's neighbour search is then cheap. */
const PRE_PCA = 32;
const SEED = 42;

export type MapMethod = 'umap' | 'pca';

export interface FeatureMapFile {
  /** sha256 of the embeddings bytes the map was made from. */
  key: string;
  method: MapMethod;
  ids: string[];
  x: number[];
  y: number[];
  seed: number;
  neighbors: number | null;
  doneAt: string;
}

export function featureMapPath(projectDir: string): string {
  return join(projectDir, 'features', 'map.json');
}

export function embeddingsKey(embeddings: Float32Array): string {
  return createHash('sha256').update(new Uint8Array(embeddings.buffer, embeddings.byteOffset, embeddings.byteLength)).digest('hex');
}

/** Scales both axes by one factor into [-1, 1] (keeps shapes) and rounds to 4 decimals (small JSON). */
function normalise(xs: ArrayLike<number>, ys: ArrayLike<number>, n: number): { x: number[]; y: number[] } {
  let cx = 0;
  let cy = 0;
  for (let i = 0; i < n; i++) {
    cx += xs[i]! / n;
    cy += ys[i]! / n;
  }
  let maxAbs = 0;
  for (let i = 0; i < n; i++) maxAbs = Math.max(maxAbs, Math.abs(xs[i]! - cx), Math.abs(ys[i]! - cy));
  const s = maxAbs > 0 ? 1 / maxAbs : 0;
  const r = (v: number) => Math.round(v * s * 1e4) / 1e4;
  return { x: Array.from({ length: n }, (_, i) => r(xs[i]! - cx)), y: Array.from({ length: n }, (_, i) => r(ys[i]! - cy)) };
}

export interface MapOptions {
  /** Called with 0..1 of the layout's epochs (a cancelled job may throw from here). */
  onProgress?: (fraction: number) => void;
}

/** The map of `embeddings` (n × dim): UMAP from UMAP_MIN_IMAGES images up, else PCA. Deterministic. */
export async function computeFeatureMap(embeddings: Float32Array, dim: number, opts: MapOptions = {}): Promise<{ method: MapMethod; x: number[]; y: number[]; neighbors: number | null }> {
  const n = Math.floor(embeddings.length / dim);
  if (n < UMAP_MIN_IMAGES) return { method: 'pca', ...map2d(embeddings, dim), neighbors: null };
  const m = Math.min(PRE_PCA, dim);
  const reduced = m < dim ? pca(embeddings, dim, m, { seed: SEED }).projections : Float64Array.from(embeddings);
  const rows = Array.from({ length: n }, (_, i) => Array.from(reduced.subarray(i * m, (i + 1) * m)));
  const umap = new UMAP({ nComponents: 2, nNeighbors: NEIGHBORS, minDist: 0.1, random: seededRng(SEED) });
  const epochs = umap.initializeFit(rows);
  for (let e = 0; e < epochs; e++) {
    umap.step();
    if (e % 20 === 0) {
      opts.onProgress?.(e / epochs);
      await new Promise((r) => setImmediate(r)); // let job events and cancellation through
    }
  }
  const out = umap.getEmbedding();
  return { method: 'umap', ...normalise(out.map((p) => p[0]!), out.map((p) => p[1]!), n), neighbors: NEIGHBORS };
}

/** Computes the map of these features and caches it; returns the file written. */
export async function writeFeatureMap(projectDir: string, ids: string[], embeddings: Float32Array, dim: number, opts: MapOptions = {}): Promise<FeatureMapFile> {
  const map = await computeFeatureMap(embeddings, dim, opts);
  const file: FeatureMapFile = { key: embeddingsKey(embeddings), ids, seed: SEED, doneAt: new Date().toISOString(), ...map };
  await writeJsonAtomic(featureMapPath(projectDir), file);
  return file;
}

/** The cached map when it was made from exactly these embeddings, else null. */
export function readFeatureMap(projectDir: string, embeddings: Float32Array): FeatureMapFile | null {
  const file = readJsonOrNull<FeatureMapFile>(featureMapPath(projectDir));
  if (!file || !Array.isArray(file.x) || file.x.length !== file.ids?.length) return null;
  return file.key === embeddingsKey(embeddings) ? file : null;
}

/** The cached map, computed first when missing or made from other features (older projects). */
export async function ensureFeatureMap(projectDir: string, ids: string[], embeddings: Float32Array, dim: number, opts: MapOptions = {}): Promise<FeatureMapFile> {
  return readFeatureMap(projectDir, embeddings) ?? writeFeatureMap(projectDir, ids, embeddings, dim, opts);
}
