// Messages between the data-parallel coordinator (rank 0, the training thread) and its workers.
import type { BnStats } from '../../../models/cbn';
import type { GanConfig } from '../../../models/gan-config';
import type { FakeBatch, RealBatch } from '../batches';
import type { NamedArray } from '../../run/checkpoint-file';
import type { AugmentParams } from '../diffaugment';
import type { Losses, StepWeights } from '../step';
import type { AllReduceBuffers } from './allreduce';

export interface WorkerInit {
  rank: number;
  backend: 'wasm' | 'cpu';
  cfg: GanConfig;
  seed: number;
  lrG: number;
  lrD: number;
  /** The run's loss weights and rotated share: every rank steps exactly as rank 0. */
  weights: StepWeights;
  buffers: AllReduceBuffers;
  /** Full model state of rank 0 (modelArrays) and its Adam step counts: every rank starts identical. */
  state: NamedArray[];
  adamSteps: { g: number; d: number };
  /** Frozen G batch-norm statistics (tests: makes shards equal to the full batch); else per-shard stats. */
  gBnStats?: BnStats;
}

export type ToWorker =
  | { kind: 'd'; real: RealBatch; fake: FakeBatch; augment?: { real: AugmentParams; fake: AugmentParams } }
  | { kind: 'g'; fake: FakeBatch; augment?: AugmentParams; step: number; ema: { decay: number; start: number } }
  | { kind: 'checksum' }
  | { kind: 'memory' }
  | { kind: 'crash'; how: 'throw' | 'exit' } // test hook: fail inside the next step
  | { kind: 'close' };

export type FromWorker =
  | { kind: 'ready' }
  | { kind: 'losses'; losses: Losses }
  | { kind: 'checksum'; value: string }
  | { kind: 'memory'; numTensors: number }
  | { kind: 'error'; message: string; stack?: string };
