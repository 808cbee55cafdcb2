// The app's side of an equivalence case: a tiny run config for a preset, its training data, and the
// app's trainer (tfjs) run from a checkpoint it saved — the same checkpoint the PyTorch job resumes.
import { join } from 'node:path';
import { resolveTrainConfig, type Method, type TrainConfig } from '../../../shared/contract';
import { BatchSampler, type TrainingData } from '../../../main/engine/gan/train/batches';
import { loadTrainingCheckpoint, modelArrays, restoreInto, saveCheckpoint } from '../../../main/engine/gan/train/checkpoint-state';
import { latestCheckpoint } from '../../../main/engine/gan/run/checkpoint';
import { trainLoop, type LogRow } from '../../../main/engine/gan/train/loop';
import { createModels, disposeModels } from '../../../main/engine/gan/train/models';
import { PRESETS } from '../../../main/engine/gan/train/presets';
import type { NamedArray } from '../../../main/engine/gan/run/checkpoint-file';
import { trainSection, type RunConfig } from '../../../main/engine/gan/run/run-config';
import { writeRunConfig } from '../../../main/engine/gan/run/run-store';
import { makeGanConfig } from '../../../main/engine/models/gan-config';
import { stripes } from '../../main/engine/gan/helpers';
import { writeJob } from './job-fixture';

/** A run config as the app resolves it (TrainConfig → RunConfig), for 8 px, ch 4 and `over`. */
export function tinyRunConfig(method: Method, over: Partial<TrainConfig> & { channels?: 1 | 3 } = {}): RunConfig {
  const { channels = 1, ...fields } = over;
  const t = resolveTrainConfig({ backend: 'cpu', gpu: false, projectResolution: 8 }, {
    method, resolution: 8, ch: 4, dCh: 4, steps: 1, batch: 8, dSteps: 1, emaDecay: 0.9, emaStart: 0, logEvery: 1, checkpointEvery: 1,
    gridEvery: 0, evalEvery: 0, seed: 5, ...fields,
  });
  const numClasses = method === 'single' ? 1 : 3;
  const gan = makeGanConfig({ resolution: 8, channels, ch: t.ch, dCh: t.dCh, numClasses, embedYDim: 4, heads: PRESETS[method].heads });
  return {
    format: 1, run: `eq-${method}`, method, labels: 'project', benchmark: false, gan, train: trainSection(t),
    classNames: Array.from({ length: numClasses }, (_, i) => `c${i}`), classIds: [], createdAt: '2025-01-01T00:00:00.000Z',
  };
}

/** Stripes labelled as the preset's label source would: all known, one class, or hand labels + pool. */
export function presetData(c: RunConfig, n = 24): TrainingData {
  const k = c.gan.numClasses;
  const s = stripes(n, c.gan.resolution, k, c.gan.channels);
  const kind = PRESETS[c.method].labels;
  if (kind === 'co-training') return s;
  return { ...s, labels: kind === 'single' ? new Int32Array(n) : s.truth, labeledPool: new Int32Array(0) };
}

export interface AppResult { row: LogRow; arrays: NamedArray[] }

/**
 * Writes the job folder (config + data) and, unless `fresh`, the app's step-0 checkpoint in job/run so
 * the job resumes from exactly these weights; then trains `config.train.steps` steps on tfjs.
 */
export async function appRun(jobDir: string, config: RunConfig, data: TrainingData, fresh = false): Promise<AppResult> {
  const s = config.train;
  writeJob(jobDir, config, data);
  const m = createModels(config.gan, { seed: s.seed, lrG: s.lrG, lrD: s.lrD });
  try {
    const sampler = new BatchSampler(data, s.seed);
    if (!fresh) {
      await saveCheckpoint(join(jobDir, 'run'), m, { step: 0, sampler: sampler.state(), config });
      await writeRunConfig(join(jobDir, 'run'), config);
    }
    const rows: LogRow[] = [];
    await trainLoop({ models: m, sampler, settings: s, startStep: 0, control: { paused: false, stopped: false }, callbacks: { onLog: (r) => { rows.push(r); } } });
    return { row: rows.at(-1)!, arrays: modelArrays(m).map((a) => ({ ...a, data: Float32Array.from(a.data) })) };
  } finally {
    disposeModels(m);
  }
}

/** The app continuing a job's run on tfjs: restores job/run's newest checkpoint and trains to `steps`. */
export async function appContinue(jobDir: string, config: RunConfig, data: TrainingData, steps: number): Promise<NamedArray[]> {
  const s = { ...config.train, steps };
  const m = createModels(config.gan, { seed: s.seed, lrG: s.lrG, lrD: s.lrD });
  try {
    const latest = latestCheckpoint(join(jobDir, 'run'));
    if (!latest) throw new Error(`no checkpoint in ${jobDir}/run`);
    const { meta, arrays } = loadTrainingCheckpoint(latest.path);
    restoreInto(m, arrays, meta);
    const sampler = new BatchSampler(data, s.seed, meta.sampler);
    await trainLoop({ models: m, sampler, settings: s, startStep: meta.step, control: { paused: false, stopped: false } });
    return modelArrays(m).map((a) => ({ ...a, data: Float32Array.from(a.data) }));
  } finally {
    disposeModels(m);
  }
}
