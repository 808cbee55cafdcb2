// Stage 2a: k-means on the saved embeddings (+ the features' 2-D map for the UI, made here if missing). NMI / purity are computed
// against evaluation truth when the project has some; truth never influences the clustering.
import { ContractError, type ClusterResult } from '../../../shared/contract';
import { kmeans } from '../cluster/kmeans';
import { pcaWhiten } from '../cluster/whiten';
import type { OpenProject } from '../base/engine-context';
import type { JobContext } from '../base/job-context';
import { nmi, purity } from '../metrics/clustering';
import { ensureFeatureMap } from './feature-map';
import { requireFeatures } from './features-stage';
import type { MlCore } from './ml-core';
import { readJsonOrNull, stagePaths, writeJsonAtomic } from './stage-files';

export const DEFAULT_RESTARTS = 10;
/** PCA-whitening components before k-means (0 = cluster the raw embeddings). */
export const DEFAULT_WHITEN_COMPONENTS = 32;

export interface ClustersFile {
  k: number;
  ids: string[];
  assignments: number[];
  /** Squared distance of each image to its centroid (suggestions prefer central images). */
  distances: number[];
  inertia: number;
  sizes: number[];
  map2d: { x: number[]; y: number[] };
  restarts: number;
  seed: number;
  /** Components of the PCA whitening the clustering ran on (0: raw embeddings). */
  whiten: number;
  featuresDoneAt: string;
  doneAt: string;
  backend: ClusterResult['backend'];
  nmi?: number;
  purity?: number;
}

export interface ClusterOptions {
  k?: number;
  restarts?: number;
  seed?: number;
  whiten?: number;
}

export async function runClusterStage(project: OpenProject, core: Pick<MlCore, 'selectBackend'>, job: JobContext, opts: ClusterOptions = {}): Promise<ClusterResult> {
  const backend = await core.selectBackend({ prefer: project.settings().backend });
  const { meta, embeddings } = requireFeatures(project.dir);
  const n = meta.ids.length;
  // More clusters than images would leave some empty: refuse an explicit k, fit the default one.
  if (opts.k !== undefined && opts.k > n) {
    throw new ContractError('INVALID_PAYLOAD', `k = ${opts.k} clusters is more than the ${n} image${n === 1 ? '' : 's'} with features: choose k between 1 and ${n}.`);
  }
  const k = opts.k ?? Math.min(project.classes().length || 10, n);
  const restarts = opts.restarts ?? DEFAULT_RESTARTS;
  const seed = opts.seed ?? 0;
  const whitenComponents = Math.min(opts.whiten ?? DEFAULT_WHITEN_COMPONENTS, meta.dim);
  const space = whitenComponents > 0 ? pcaWhiten(embeddings, meta.dim, whitenComponents) : { data: embeddings, dim: meta.dim };
  const result = await kmeans(space.data, space.dim, {
    k, restarts, seed, signal: job.signal,
    onProgress: (done, total) => job.progress(done, total + 1, 'k-means', `restart ${done}/${total}`),
  });
  job.throwIfCancelled();
  job.progress(restarts, restarts + 1, '2-D map');
  // Features made before the map existed get theirs now (cached: later runs read it).
  const fmap = await ensureFeatureMap(project.dir, meta.ids, embeddings, meta.dim, { onProgress: () => job.throwIfCancelled() });
  const map = { x: fmap.x, y: fmap.y };
  const scores = await scoreAgainstTruth(project, meta.ids, result.assignments);
  const file: ClustersFile = {
    k, ids: meta.ids, assignments: Array.from(result.assignments),
    distances: Array.from(result.distances, (d) => Math.round(d * 1e5) / 1e5),
    inertia: result.inertia, sizes: result.sizes, map2d: map, restarts, seed, whiten: whitenComponents > 0 ? space.dim : 0,
    featuresDoneAt: meta.doneAt, doneAt: new Date().toISOString(), backend: backend.backend, ...scores,
  };
  job.throwIfCancelled();
  await writeJsonAtomic(stagePaths(project.dir).clustersResult, file);
  job.progress(1, 1, 'done');
  return { backend: backend.backend, k, inertia: result.inertia, sizes: result.sizes, ...scores };
}

/** NMI and purity over the images that have truth; {} when none has. */
async function scoreAgainstTruth(project: OpenProject, ids: string[], assignments: Int32Array): Promise<{ nmi?: number; purity?: number }> {
  const ds = await project.loadDataset({ includeTruth: true });
  if (!ds.truth || !ds.truth.some((t) => t >= 0)) return {};
  const truthById = new Map(ds.ids.map((id, i) => [id, ds.truth![i]!]));
  const truth = Int32Array.from(ids, (id) => truthById.get(id) ?? -1);
  if (!truth.some((t) => t >= 0)) return {};
  return { nmi: nmi(truth, assignments), purity: purity(truth, assignments) };
}

export function readClusters(projectDir: string): ClustersFile | null {
  const file = readJsonOrNull<ClustersFile>(stagePaths(projectDir).clustersResult);
  return file && Array.isArray(file.assignments) && file.assignments.length === file.ids?.length ? file : null;
}
