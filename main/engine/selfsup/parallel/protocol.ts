// Messages between the encoder stages' data-parallel coordinator (rank 0: rotation pretraining or S⁴L
// on the calling thread) and its workers, on top of the shared ones (main/engine/parallel/protocol.ts).
import type { AllReduceBuffers } from '../../parallel/allreduce';
import type { BaseFromWorker, BaseToWorker, BaseWorkerInit } from '../../parallel/protocol';
import type { SerializedEncoder } from '../rotation';

export type EncoderWorkerInit = BaseWorkerInit;

export type BatchNormMode = 'synced' | 'per-shard';

/** One training call (an epoch of rotation pretraining, or the S⁴L run): the same on every rank. */
export interface SessionOptions {
  task: 'rotation' | 's4l';
  /** Adam's base rate (each step sends the scheduled one). */
  lr: number;
  /** S⁴L: weight of the rotation loss next to the classification loss. */
  rotationWeight: number;
  /**
   * 'synced' (default): every rank normalises with the full batch's statistics (all-reduced per layer,
   * forward and back), so N ranks compute what one thread does up to the order of sums. 'per-shard':
   * each rank normalises its own rows (as the GAN's workers; fewer barriers, other numbers).
   */
  batchNorm: BatchNormMode;
}

/** One rank's share of a step's batch: images at the dataset's size, row-major [count, h, w, c]. */
export interface ShardInput {
  lr: number;
  dims: [number, number, number];
  unlabeled: Float32Array;
  unlabeledCount: number;
  /** S⁴L's hand-labeled images of this shard and their classes. */
  labeled?: { pixels: Float32Array; labels: Int32Array };
  /**
   * This shard's share of the full batch × ranks, per loss term and for the batch-norm rows: a rank's
   * loss is scaled so that the plain mean over ranks is the full batch's loss (1 when shards are equal).
   */
  scale: { rotation: number; classifier: number; rows: number };
}

export type EncoderToWorker =
  | { kind: 'begin'; session: SessionOptions; encoder: SerializedEncoder; buffers: AllReduceBuffers }
  | { kind: 'step'; shard: ShardInput }
  | { kind: 'end' }
  | { kind: 'checksum' };

export type EncoderFromWorker =
  | { kind: 'begun' }
  | { kind: 'stepped'; loss: number; accuracy: number }
  | { kind: 'ended' }
  | { kind: 'checksum'; value: string };

export type ToWorker = EncoderToWorker | BaseToWorker;
export type FromWorker = EncoderFromWorker | BaseFromWorker;
