// Stage 1: rotation self-supervised encoder → L2-normalised embeddings of every image.
// Trains one epoch per call and checkpoints after each, so an interrupted run (cancel, crash, kill -9)
// resumes from the last finished epoch; the learning rate follows one warm-up + cosine over all epochs
// (schedule), not a cycle per epoch. The stage's meta.json is written last and marks it done.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { ContractError, type FeaturesResult } from '../../../shared/contract';
import type { OpenProject } from '../base/engine-context';
import type { JobContext } from '../base/job-context';
import { writeFileAtomic } from '../base/durable-fs';
import { encodeEncoder, readEncoderFile } from './encoder-file';
import type { CurvePoint, EncoderConfig, EncoderState, MlCore } from './ml-core';
import { readFloat32OrNull, readJsonOrNull, removeIfExists, stagePaths, writeFloat32Atomic, writeJsonAtomic } from './stage-files';
import { wrapCancel } from './cancel';
import { DEFAULT_BATCH, openStageWorkers, workerFailure } from './stage-workers';
import { writeFeatureMap } from './feature-map';

/**
 * Rotation epochs when the caller gives none: ~160,000 image passes (5,000 steps of 32), between 8 and
 * 32 epochs — projects up to 5,000 images get 32 (5,000 CIFAR-10 photos, 10 % labels: S⁴L accuracy
 * 0.516 / 0.543 / 0.572 at 8 / 16 / 32 epochs, NMI 0.151 / 0.164 / 0.196, rotation accuracy still
 * climbing; with both cores the 32 take ≈ 16 min, docs/quality-notes.md §6), 10,000 images get 16,
 * 20,000+ keep 8.
 */
export function defaultFeatureEpochs(images: number): number {
  return Math.max(8, Math.min(32, Math.round(160_000 / Math.max(1, images))));
}
/** Peak learning rate of the rotation encoder (the ML core's own default). */
const BASE_LR = 2e-3;

export interface FeaturesMeta {
  ids: string[];
  dim: number;
  config: EncoderConfig;
  curve: CurvePoint[];
  epochs: number;
  labelRevision: number;
  doneAt: string;
  backend: FeaturesResult['backend'];
  /** Data-parallel threads of the run that finished the stage. */
  workers?: number;
  byteOrder: 'LE';
  seconds: number;
}

interface CheckpointProgress {
  fingerprint: string;
  epochsDone: number;
  steps: number;
  curve: CurvePoint[];
  seconds: number;
}

export interface FeaturesOptions {
  epochs?: number;
  /** false: ignore an interrupted run's checkpoint and start over. */
  resume?: boolean;
  batchSize?: number;
  /** Overrides of the ML core's default encoder config (tests use tiny encoders). */
  config?: Partial<EncoderConfig>;
  /** Data-parallel threads (default: one per core). Not part of the checkpoint: a resume may use another count. */
  workers?: number;
}

export async function runFeaturesStage(project: OpenProject, core: MlCore, job: JobContext, opts: FeaturesOptions = {}): Promise<FeaturesResult> {
  const started = Date.now();
  const paths = stagePaths(project.dir);
  const backend = await core.selectBackend({ prefer: project.settings().backend });
  job.progress(0, 1, 'loading images');
  const ds = await project.loadDataset();
  if (ds.n === 0) throw new ContractError('STAGE_MISSING', 'the project has no images to learn from: run `s3gan import` first');
  const labelRevision = project.labelRevision();
  const epochs = opts.epochs ?? defaultFeatureEpochs(ds.n);
  const config = { ...core.defaultEncoderConfig(ds.height, ds.channels), ...opts.config };
  const fingerprint = createHash('sha256').update(JSON.stringify({ ids: ds.ids, config, epochs, batchSize: opts.batchSize ?? null, lrSchedule: 'one-cosine' })).digest('hex');

  let { state, progress } = loadCheckpoint(core, paths, fingerprint, opts.resume !== false);
  const secondsBefore = progress.seconds; // time spent by interrupted earlier runs
  const resumedFromEpoch = progress.epochsDone;
  // Every epoch call starts a fresh Adam and ends with identical ranks, so an epoch checkpoint holds the
  // whole state whatever the worker count: a resume may use another one.
  const workers = await openStageWorkers(core, { requested: opts.workers, backend: backend.backend, batchImages: Math.min(opts.batchSize ?? DEFAULT_BATCH, ds.n) }).catch((e: unknown) => {
    if (state) core.disposeEncoder(state);
    throw workerFailure(e, 'rotation pretraining', 'Run `s3gan features` again');
  });
  try {
    for (let epoch = progress.epochsDone; epoch < epochs; epoch++) {
      job.throwIfCancelled();
      let stepsThisEpoch = 0;
      const train = () => core.trainRotationEncoder(ds, {
        config, epochs: 1, batchSize: opts.batchSize, lr: BASE_LR, schedule: { epoch, epochs }, init: state ?? undefined, ...(workers.ranks ? { workers: workers.ranks } : {}),
      }, {
        signal: job.signal,
        onStep(info) {
          stepsThisEpoch = info.step;
          const done = epoch * info.total + info.step;
          job.progress(done, epochs * info.total, 'rotation pretraining', `epoch ${epoch + 1}/${epochs} loss ${info.loss.toFixed(3)} acc ${info.accuracy.toFixed(3)}${workers.label}`);
        },
      });
      const r = await wrapCancel(job, () => train().catch((e: unknown) => {
        throw workerFailure(e, 'rotation pretraining', `The stage is not marked done: run \`s3gan features\` again to continue from epoch ${epoch + 1}`);
      }));
      if (state && r.state !== state) core.disposeEncoder(state);
      state = r.state;
      progress = {
        fingerprint,
        epochsDone: epoch + 1,
        steps: progress.steps + stepsThisEpoch,
        curve: [...progress.curve, ...r.curve.map((p) => ({ ...p, step: p.step + progress.steps }))],
        seconds: secondsBefore + (Date.now() - started) / 1000,
      };
      await saveCheckpoint(core, paths, state, progress);
    }
    await workers.close(); // the embedding and the map run on this thread
    if (!state) throw new ContractError('INTERNAL', 'no encoder was trained (epochs must be ≥ 1)');
    job.throwIfCancelled();
    job.progress(0, 1, 'embedding');
    const embeddings = await core.embedImages(state, ds);
    const dim = embeddings.length / ds.n;
    if (!Number.isInteger(dim)) throw new ContractError('INTERNAL', `embeddings have ${embeddings.length} values for ${ds.n} images`);
    job.throwIfCancelled();
    const last = progress.curve.at(-1);
    const meta: FeaturesMeta = {
      ids: ds.ids, dim, config, curve: progress.curve, epochs, labelRevision,
      doneAt: new Date().toISOString(), backend: backend.backend, workers: workers.count, byteOrder: 'LE', seconds: progress.seconds,
    };
    // From here the old result is being replaced: un-mark it first, write the data, mark done last.
    removeIfExists(paths.featuresMeta);
    mkdirSync(paths.featuresDir, { recursive: true });
    await writeFloat32Atomic(paths.embeddings, embeddings);
    await writeFileAtomic(paths.encoder, encodeEncoder(core.serializeEncoder(state)));
    await writeJsonAtomic(paths.featuresMeta, meta);
    removeIfExists(paths.checkpointDir);
    await writeFeatureMap(project.dir, ds.ids, embeddings, dim, { onProgress: (f) => { job.throwIfCancelled(); job.progress(f, 1, 'feature map (UMAP)'); } });
    job.progress(1, 1, 'done');
    return {
      backend: backend.backend, images: ds.n, dim, epochs,
      finalLoss: last?.loss ?? Number.NaN, rotationAccuracy: last?.accuracy ?? Number.NaN,
      seconds: Math.round(((Date.now() - started) / 1000) * 10) / 10,
      resumedFromEpoch,
      workers: workers.count,
    };
  } finally {
    await workers.close();
    if (state) core.disposeEncoder(state);
  }
}

function loadCheckpoint(core: MlCore, paths: ReturnType<typeof stagePaths>, fingerprint: string, resume: boolean): { state: EncoderState | null; progress: CheckpointProgress } {
  const fresh: CheckpointProgress = { fingerprint, epochsDone: 0, steps: 0, curve: [], seconds: 0 };
  const saved = resume ? readJsonOrNull<CheckpointProgress>(paths.checkpointProgress) : null;
  if (!saved || saved.fingerprint !== fingerprint || !existsSync(paths.checkpointEncoder)) {
    removeIfExists(paths.checkpointDir);
    return { state: null, progress: fresh };
  }
  try {
    return { state: core.deserializeEncoder(readEncoderFile<EncoderConfig>(paths.checkpointEncoder)), progress: saved };
  } catch {
    removeIfExists(paths.checkpointDir); // damaged checkpoint: start over rather than fail
    return { state: null, progress: fresh };
  }
}

/** Encoder first, progress second: progress.json never points at a checkpoint that is not there. */
async function saveCheckpoint(core: MlCore, paths: ReturnType<typeof stagePaths>, state: EncoderState, progress: CheckpointProgress): Promise<void> {
  mkdirSync(paths.checkpointDir, { recursive: true });
  await writeFileAtomic(paths.checkpointEncoder, encodeEncoder(core.serializeEncoder(state)));
  await writeJsonAtomic(paths.checkpointProgress, progress);
}

/** The finished features stage, or null when it is missing or its files do not match the marker. */
export function readFeatures(projectDir: string): { meta: FeaturesMeta; embeddings: Float32Array } | null {
  const paths = stagePaths(projectDir);
  const meta = readJsonOrNull<FeaturesMeta>(paths.featuresMeta);
  if (!meta || !Array.isArray(meta.ids)) return null;
  const embeddings = readFloat32OrNull(paths.embeddings, meta.ids.length * meta.dim);
  return embeddings ? { meta, embeddings } : null;
}

export function requireFeatures(projectDir: string): { meta: FeaturesMeta; embeddings: Float32Array } {
  const f = readFeatures(projectDir);
  if (!f) throw new ContractError('STAGE_MISSING', 'no features yet: run `s3gan features` first');
  return f;
}

/** Rows of `embeddings` reordered to `ids` (-1 row index where an id has no embedding). */
export function rowsFor(meta: FeaturesMeta, ids: string[]): Int32Array {
  const rowOf = new Map(meta.ids.map((id, i) => [id, i]));
  return Int32Array.from(ids, (id) => rowOf.get(id) ?? -1);
}
