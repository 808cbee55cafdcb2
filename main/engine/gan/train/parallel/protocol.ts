// Messages between the GAN's data-parallel coordinator (rank 0, the training thread) and its workers,
// on top of the ones every worker understands (main/engine/parallel/protocol.ts).
import type { BnStats } from '../../../models/cbn';
import type { GanConfig } from '../../../models/gan-config';
import type { BaseFromWorker, BaseToWorker, BaseWorkerInit } from '../../../parallel/protocol';
import type { FakeBatch, RealBatch } from '../batches';
import type { NamedArray } from '../../run/checkpoint-file';
import type { AugmentParams } from '../diffaugment';
import type { Losses, StepWeights } from '../step';

export interface WorkerInit extends BaseWorkerInit {
  cfg: GanConfig;
  seed: number;
  lrG: number;
  lrD: number;
  /** The run's loss weights and rotated share: every rank steps exactly as rank 0. */
  weights: StepWeights;
  /** Full model state of rank 0 (modelArrays) and its Adam step counts: every rank starts identical. */
  state: NamedArray[];
  adamSteps: { g: number; d: number };
  /** Frozen G batch-norm statistics (tests: makes shards equal to the full batch); else per-shard stats. */
  gBnStats?: BnStats;
}

export type GanToWorker =
  | { kind: 'd'; real: RealBatch; fake: FakeBatch; augment?: { real: AugmentParams; fake: AugmentParams } }
  | { kind: 'g'; fake: FakeBatch; augment?: AugmentParams; step: number; ema: { decay: number; start: number } }
  | { kind: 'checksum' };

export type GanFromWorker =
  | { kind: 'losses'; losses: Losses }
  | { kind: 'checksum'; value: string };

export type ToWorker = GanToWorker | BaseToWorker;
export type FromWorker = GanFromWorker | BaseFromWorker;
