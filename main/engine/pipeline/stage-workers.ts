// Data-parallel threads for the features and infer stages, chosen as train chooses them: the request's
// `workers`, else one per core (S3GAN_WORKERS pins it), one on tensorflow. The progress line names the
// count; a worker that dies ends the stage with a clear error before it writes anything.
import { ContractError } from '../../../shared/contract';
import { chooseStageWorkers } from '../parallel/workers';
import { WorkerCrashedError } from '../parallel/worker-group';
import type { MlCore, StageWorkers } from './ml-core';

/** The ML core's default images per step (rotation pretraining and S⁴L). */
export const DEFAULT_BATCH = 32;

export interface OpenedWorkers {
  count: number;
  /** Passed to the training calls; absent with one worker (the single-thread path). */
  ranks?: StageWorkers;
  /** " · 2 workers", appended to the progress message (with the reason when fewer than asked). */
  label: string;
  close(): Promise<void>;
}

export async function openStageWorkers(core: MlCore, o: { requested?: number; backend: string; batchImages: number }): Promise<OpenedWorkers> {
  const choice = chooseStageWorkers(o);
  const label = ` · ${choice.workers} worker${choice.workers === 1 ? '' : 's'}${choice.note ? ` (${choice.note})` : ''}`;
  if (choice.workers < 2) return { count: 1, label, close: async () => {} };
  const ranks = await core.startWorkers({ workers: choice.workers, backend: o.backend as 'wasm' | 'cpu' });
  return { count: choice.workers, ranks, label, close: () => ranks.close() };
}

/** A dead data-parallel worker as the stage's error: what stopped, and how to go on. */
export function workerFailure(e: unknown, what: string, again: string): unknown {
  if (!(e instanceof WorkerCrashedError)) return e;
  return new ContractError('ENGINE_DIED', `${what} stopped: ${e.message}. ${again} (--workers 1 trains on one thread).`);
}
