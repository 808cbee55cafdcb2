// Starts or resumes a training run in a project: resolves the preset's labels, builds (or restores)
// models, runs the loop and keeps the run folder up to date (metrics, checkpoints, grids, state).
import { loadTrainingCheckpoint } from './checkpoint-state';
import { ContractError, resolveTrainConfig, TRAIN_FIELD_NAMES, TRAIN_FIELDS, type BackendName, type Chosen, type TrainResult } from '../../../../shared/contract';
import type { OpenProject } from '../../base/engine-context';
import { makeGanConfig } from '../../models/gan-config';
import { BatchSampler, type TrainingData } from './batches';
import { latestCheckpoint, } from '../run/checkpoint';
import { restoreInto } from './checkpoint-state';
import { DivergedError, trainLoop, type LogRow, type LoopControl } from './loop';
import { chooseWorkers, startStepper, type RunStepper, type WorkerChoice } from './parallel/run-workers';
import { WorkerCrashedError } from './parallel/trainer';
import { createModels, disposeModels } from './models';
import { PRESETS } from './presets';
import { trainSection, type RunConfig } from '../run/run-config';
import { RunRecorder } from './run-recorder';
import { createRunFolder, newRunId, readRunConfig, readRunLabels, runDir, writeRunConfig, type RunLabels } from '../run/run-store';
import { checkResumeFlags, resumedConfig, type TrainRequest } from './train-request';
import { resolveLabels, trainingData, type ResolvedLabels } from './training-data';

export type { TrainRequest } from './train-request';

export interface TrainHooks {
  control: LoopControl;
  /** Called once the run folder exists (handlers map run id → control). */
  onRun?(run: string): void;
  onLog?(run: string, row: LogRow): void;
  progress?(done: number, total: number, message: string): void;
  log?(message: string): void;
  /** Activates a backend and returns its name; default: the project's backend preference. */
  selectBackend?(): Promise<string>;
  stepDelayMs?: number;
  /** Test hook: sees the data-parallel ranks once they run (e.g. to make one crash). */
  onParallel?(stepper: RunStepper): void;
}

async function defaultBackend(project: OpenProject): Promise<string> {
  const { selectBackend } = await import('../../backend');
  return (await selectBackend({ prefer: project.settings().backend })).backend;
}

/** The request's run fields (not `resume`, not run-time `workers`). */
function requestedFields(req: TrainRequest): Chosen {
  return Object.fromEntries(TRAIN_FIELD_NAMES.filter((k) => TRAIN_FIELDS[k].home !== 'none' && req[k] !== undefined).map((k) => [k, req[k]]));
}

function backendName(backend: string): BackendName {
  return backend === 'tensorflow' || backend === 'cpu' ? backend : 'wasm';
}

interface PreparedRun {
  dir: string;
  config: RunConfig;
  data: TrainingData;
  choice: WorkerChoice;
  missing: number;
}

function workerChoice(req: TrainRequest, backend: string, config: Pick<RunConfig, 'gan' | 'train'>, data: TrainingData): WorkerChoice {
  return chooseWorkers({
    ...(req.workers !== undefined ? { requested: req.workers } : {}), backend, cfg: config.gan, settings: config.train, coTraining: data.labeledPool.length > 0,
  });
}

/** A new run's config, labels and data, as the trainer would use them for `req` — nothing written yet. */
export async function planNewRun(project: OpenProject, req: TrainRequest, backend: string): Promise<{ config: RunConfig; data: TrainingData; labels: RunLabels }> {
  const info = (await import('../../backend')).currentBackendInfo();
  const ctx = { backend: backendName(backend), gpu: info?.backend === backend && info.gpu === true, projectResolution: project.settings().resolution };
  const resolved = resolveTrainConfig(ctx, { ...requestedFields(req), seed: req.seed ?? Math.floor(Math.random() * 2 ** 31) });
  const { method } = resolved;
  const preset = PRESETS[method];
  const truth = resolved.labels === 'truth';
  const train = trainSection(resolved);
  const ds = await project.loadDataset({ resolution: resolved.resolution, includeTruth: truth });
  const labels = resolveLabels(ds, preset.labels, { projectDir: project.dir, seed: train.seed, truth });
  const { data } = trainingData(ds, labels);
  if (data.n === 0) throw new ContractError('STAGE_MISSING', `no images to train on with --method ${method}: import images first (\`s3gan import\`)`);
  const gan = makeGanConfig({ resolution: resolved.resolution, channels: ds.channels, ch: resolved.ch, dCh: resolved.dCh, numClasses: labels.numClasses, heads: preset.heads });
  const config: RunConfig = {
    format: 1, run: newRunId(project.dir, method), method, labels: truth ? 'truth' : 'project', benchmark: truth, gan, train,
    classNames: labels.classNames, classIds: labels.classIds, createdAt: new Date().toISOString(),
  };
  return { config, data, labels: { ids: labels.ids, labels: Array.from(labels.labels), labeledIds: Array.from(labels.labeledPool, (i) => labels.ids[i]!) } };
}

async function newRun(project: OpenProject, req: TrainRequest, backend: string): Promise<PreparedRun> {
  const { config, data, labels } = await planNewRun(project, req, backend);
  const dir = runDir(project.dir, config.run);
  const choice = workerChoice(req, backend, config, data); // an impossible --workers fails before the run exists
  await createRunFolder(dir, config, labels);
  return { dir, config, data, choice, missing: 0 };
}

/** A run continued from its newest checkpoint: its stored config with the request's changes, its own training set. */
export async function planResumedRun(project: OpenProject, req: TrainRequest & { resume: string }): Promise<{ dir: string; stored: RunConfig; config: RunConfig; data: TrainingData; labels: RunLabels; missing: number }> {
  const dir = runDir(project.dir, req.resume);
  const stored = readRunConfig(dir);
  checkResumeFlags(stored, req);
  const config = resumedConfig(stored, req);
  const ds = await project.loadDataset({ resolution: config.gan.resolution, includeTruth: config.labels === 'truth' });
  const saved = readRunLabels(dir);
  const index = new Map(saved.ids.map((id, i) => [id, i]));
  const resolved: ResolvedLabels = {
    ids: saved.ids, labels: Int32Array.from(saved.labels), labeledPool: Int32Array.from(saved.labeledIds, (id) => index.get(id) ?? -1).filter((i) => i >= 0),
    numClasses: config.gan.numClasses, classNames: config.classNames, classIds: config.classIds,
  };
  const { data, missingIds } = trainingData(ds, resolved);
  return { dir, stored, config, data, labels: saved, missing: missingIds };
}

async function resumedRun(project: OpenProject, req: TrainRequest & { resume: string }, backend: string): Promise<PreparedRun> {
  const { dir, stored, config, data, missing } = await planResumedRun(project, req);
  if (JSON.stringify(config.train) !== JSON.stringify(stored.train)) await writeRunConfig(dir, config);
  return { dir, config, data, choice: workerChoice(req, backend, config, data), missing };
}

export async function runTraining(project: OpenProject, req: TrainRequest, hooks: TrainHooks): Promise<TrainResult> {
  const resuming = req.resume !== undefined;
  const backend = await (hooks.selectBackend ? hooks.selectBackend() : defaultBackend(project));
  const { dir, config, data, missing, choice } = resuming ? await resumedRun(project, req as TrainRequest & { resume: string }, backend) : await newRun(project, req, backend);
  if (missing > 0) hooks.log?.(`${missing} training images of this run are no longer in the project; continuing without them`);
  hooks.onRun?.(config.run);
  const s = config.train;
  const models = createModels(config.gan, { seed: s.seed, lrG: s.lrG, lrD: s.lrD });
  let recorder: RunRecorder | null = null;
  let ranks: RunStepper | null = null;
  try {
    let startStep = 0;
    let sampler = new BatchSampler(data, s.seed);
    const latest = resuming ? latestCheckpoint(dir) : null;
    if (latest) {
      const { meta, arrays } = loadTrainingCheckpoint(latest.path);
      restoreInto(models, arrays, meta);
      startStep = meta.step;
      sampler = new BatchSampler(data, s.seed, meta.sampler);
      hooks.log?.(`resuming ${config.run} at step ${startStep} of ${s.steps}`);
    }
    recorder = new RunRecorder({ dir, config, models, hooks, backend, project, ...(latest ? { resumedFrom: latest } : {}) });
    const rec = recorder;
    if (choice.note) hooks.log?.(choice.note);
    ranks = await startStepper({ workers: choice.workers, backend, models, settings: s, coTraining: data.labeledPool.length > 0 });
    if (choice.workers > 1) hooks.log?.(`data-parallel: ${choice.workers} workers, ${s.batch / choice.workers} images each (batch-norm statistics per shard)`);
    hooks.onParallel?.(ranks);
    await rec.started(startStep);
    const result = await trainLoop({
      models, sampler, settings: s, startStep, control: hooks.control, stepper: ranks.stepper,
      callbacks: { onLog: (row) => rec.log(row), afterStep: (step) => rec.afterStep(step, sampler) },
      ...(hooks.stepDelayMs ? { stepDelayMs: hooks.stepDelayMs } : {}),
    }).catch(async (e: unknown) => {
      if (e instanceof DivergedError) throw await rec.diverged(e);
      const err = e instanceof WorkerCrashedError ? crashed(e, config.run, dir) : e;
      await rec.failed(err);
      throw err;
    });
    const checkpoint = await rec.finished(result.step, sampler, result.stopped);
    return {
      run: config.run, step: result.step, method: config.method, backend, img_per_s: round(result.imgPerS), losses: roundAll(result.losses),
      checkpoint, state: result.stopped ? 'stopped' : 'done', benchmark: config.benchmark, workers: choice.workers,
      ...(rec.lastEval?.step === result.step && Object.keys(rec.lastEval.metrics).length > 0 ? { metrics: rec.lastEval.metrics } : {}),
    };
  } finally {
    await ranks?.close();
    await recorder?.close();
    disposeModels(models);
  }
}

/** A dead rank ends the run with where to pick it up: its newest checkpoint. */
function crashed(e: WorkerCrashedError, run: string, dir: string): ContractError {
  const last = latestCheckpoint(dir);
  const from = last ? `its checkpoint at step ${last.step}` : 'the start (no checkpoint yet)';
  return new ContractError('ENGINE_DIED', `${e.message}. Resume from ${from} with \`s3gan train <project> --resume ${run}\` (optionally --workers 1).`);
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}

function roundAll(losses: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(losses).map(([k, v]) => [k, Math.round(v * 1e5) / 1e5]));
}
