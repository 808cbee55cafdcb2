// How many data-parallel ranks a training run uses, and the stepper that drives them. The default is one
// rank per core on the CPU paths (wasm, cpu: each rank is single-threaded); tensorflow threads natively,
// so it always trains on one rank. A default that cannot split the batch falls back to one rank with a
// log line; an explicit --workers that cannot is a clear error.
import { ContractError } from '../../../../../shared/contract';
import { defaultWorkers } from '../../../parallel/workers';
import { labeledPerBatch, localStepper, type Stepper } from '../loop';
import { rotatedCount } from '../rotation';
import type { GanConfig } from '../../../models/gan-config';
import type { TrainSettings } from '../../run/run-config';
import { stepWeights, type GanModels, type StepWeights } from '../step';
import { shardProblem } from './shard';
import { ParallelTrainer } from './trainer';

export { defaultWorkers, MAX_WORKERS } from '../../../parallel/workers';

export interface WorkerChoice {
  workers: number;
  /** Why the run uses fewer ranks than asked or than the default (for the log). */
  note?: string;
}

export function chooseWorkers(o: {
  requested?: number;
  backend: string;
  cfg: Pick<GanConfig, 'heads'>;
  settings: Pick<TrainSettings, 'batch' | 'labeledFraction' | 'rotatedFraction'>;
  coTraining: boolean;
  fallbackDefault?: number;
}): WorkerChoice {
  const n = o.requested ?? o.fallbackDefault ?? defaultWorkers();
  if (o.backend !== 'wasm' && o.backend !== 'cpu') {
    return { workers: 1, ...(n > 1 && o.requested !== undefined ? { note: `--workers ${n} ignored: the ${o.backend} backend uses every core itself` } : {}) };
  }
  if (n <= 1) return { workers: 1 };
  const problem = shardProblem(o.settings.batch, n, labeledFor(o), rotatedFor(o));
  if (!problem) return { workers: n };
  if (o.requested !== undefined) {
    throw new ContractError('INVALID_PAYLOAD', `--workers ${n}: cannot split the batch evenly (${problem}); choose a batch divisible by ${n} or fewer workers`);
  }
  return { workers: 1, note: `training on one core: the batch cannot be split over ${n} workers (${problem}); pass --workers or a batch divisible by ${n}` };
}

function labeledFor(o: { settings: Pick<TrainSettings, 'batch' | 'labeledFraction'>; coTraining: boolean }): number {
  return o.coTraining ? labeledPerBatch(o.settings) : 0;
}

function rotatedFor(o: { cfg: Pick<GanConfig, 'heads'>; settings: Pick<TrainSettings, 'batch' | 'rotatedFraction'> }): number {
  return o.cfg.heads.rotation ? rotatedCount(o.settings.batch, o.settings.rotatedFraction) : 0;
}

export interface RunStepper {
  stepper: Stepper;
  trainer: ParallelTrainer | null;
  close(): Promise<void>;
}

/** Starts the ranks from the models' current (fresh or restored) state. */
export async function startStepper(o: {
  workers: number;
  backend: string;
  models: GanModels;
  settings: Pick<TrainSettings, 'batch' | 'labeledFraction' | 'seed' | 'lrG' | 'lrD'> & StepWeights;
  coTraining: boolean;
  env?: NodeJS.ProcessEnv;
}): Promise<RunStepper> {
  if (o.workers <= 1) return { stepper: localStepper(o.models, { weights: stepWeights(o.settings) }), trainer: null, close: async () => {} };
  const trainer = await ParallelTrainer.start(o.models, {
    workers: o.workers, backend: o.backend as 'wasm' | 'cpu', seed: o.settings.seed, lrG: o.settings.lrG, lrD: o.settings.lrD,
    batch: o.settings.batch, labeled: labeledFor(o), weights: stepWeights(o.settings),
  });
  const checkEvery = debugCheckEvery(o.env ?? process.env);
  let gSteps = 0;
  return {
    stepper: {
      d: (input) => trainer.discriminatorStep(input),
      g: async (input) => {
        const losses = await trainer.generatorStep(input);
        if (checkEvery > 0 && ++gSteps % checkEvery === 0) await assertRanksIdentical(trainer, input.step);
        return losses;
      },
    },
    trainer,
    close: () => trainer.close(),
  };
}

/** Debug mode S3GAN_PARALLEL_CHECK=K: compare every rank's parameter checksum every K G steps. */
export function debugCheckEvery(env: NodeJS.ProcessEnv): number {
  const k = Number(env.S3GAN_PARALLEL_CHECK);
  return Number.isInteger(k) && k > 0 ? k : 0;
}

export class RanksDivergedError extends Error {
  override name = 'RanksDivergedError';
}

async function assertRanksIdentical(trainer: ParallelTrainer, step: number): Promise<void> {
  const sums = await trainer.checksums();
  if (sums.some((s) => s !== sums[0])) {
    throw new RanksDivergedError(`data-parallel ranks hold different parameters after step ${step} (checksums ${sums.join(', ')})`);
  }
}
