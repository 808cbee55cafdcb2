// How many data-parallel ranks to use by default, and the choice for the encoder stages (features,
// infer). Every rank is single-threaded on the CPU paths (wasm, cpu), so the default is one per core;
// tensorflow threads natively and always trains on one rank.
import { availableParallelism } from 'node:os';

export const MAX_WORKERS = 16;

/** Default rank count: S3GAN_WORKERS (tests pin it to 1), else the machine's cores. */
export function defaultWorkers(env: NodeJS.ProcessEnv = process.env): number {
  const pinned = Number(env.S3GAN_WORKERS);
  if (Number.isInteger(pinned) && pinned >= 1) return Math.min(pinned, MAX_WORKERS);
  return Math.min(availableParallelism(), MAX_WORKERS);
}

export interface StageWorkerChoice {
  workers: number;
  /** Why fewer ranks than asked (shown with the progress line). */
  note?: string;
}

/**
 * Ranks for a features or infer run: `requested` (validated 1..MAX_WORKERS by the request schema) or the
 * default; one on tensorflow, and never more than the images of one batch (a rank needs a share).
 */
export function chooseStageWorkers(o: { requested?: number; backend: string; batchImages: number; fallbackDefault?: number }): StageWorkerChoice {
  const n = o.requested ?? o.fallbackDefault ?? defaultWorkers();
  if (!Number.isInteger(n) || n < 1 || n > MAX_WORKERS) throw new Error(`workers must be a whole number from 1 to ${MAX_WORKERS} (got ${n})`);
  if (o.backend !== 'wasm' && o.backend !== 'cpu') {
    return { workers: 1, ...(n > 1 && o.requested !== undefined ? { note: `--workers ${n} ignored: the ${o.backend} backend uses every core itself` } : {}) };
  }
  if (n > o.batchImages) return { workers: Math.max(1, o.batchImages), note: `${n} workers asked, but a batch has only ${o.batchImages} images` };
  return { workers: n };
}
