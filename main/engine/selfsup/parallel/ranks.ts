// Data-parallel encoder training (rotation pretraining, S⁴L) on N ranks: rank 0 is the calling thread
// with the stage's own encoder, ranks 1..N-1 are worker threads (main/engine/parallel/worker-group.ts),
// started once per stage and reused by every training call. A call opens a session (every rank gets
// rank 0's weights and a fresh Adam, as the single-thread loop makes one per call); each step the
// coordinator draws the full batch exactly as one thread would (same indices, same augmentation
// stream), splits its rows into N near-equal contiguous shards and every rank runs shardStep on its own.
import { AllReduce, allocAllReduce, withCapacity, type AllReduceBuffers } from '../../parallel/allreduce';
import { bundledWorker, WorkerGroup, type WorkerEntry } from '../../parallel/worker-group';
import { serializeEncoder, type EncoderState } from '../rotation';
import type { EncoderFromWorker, EncoderToWorker, EncoderWorkerInit, SessionOptions, ShardInput } from './protocol';
import { closeSession, encoderChecksum, openSession, reduceCapacity, shardStep, type RankSession } from './shard-step';

/** The bundled app ships the worker as encoder-worker.js beside the engine; from sources, tsx boots it. */
const ENCODER_WORKER: WorkerEntry = { bundled: bundledWorker('encoder-worker.js', import.meta.url), source: new URL('./encoder-worker.ts', import.meta.url) };

/** One step's full batch, as the single-thread loop would draw it (images at the dataset's size). */
export interface FullBatch {
  lr: number;
  dims: [number, number, number];
  unlabeled: Float32Array;
  unlabeledCount: number;
  labeled?: { pixels: Float32Array; labels: Int32Array };
}

/** Sizes of n near-equal contiguous shards of `total` rows (the first total mod n get one more). */
export function shardSizes(total: number, n: number): number[] {
  return Array.from({ length: n }, (_, k) => Math.floor(total / n) + (k < total % n ? 1 : 0));
}

/** Rank k's rows of a full batch and its loss scales (share × ranks: 1 for equal shards). */
export function shardOf(b: FullBatch, k: number, n: number): ShardInput {
  const px = b.dims[0] * b.dims[1] * b.dims[2];
  const slice = (total: number) => {
    const sizes = shardSizes(total, n);
    const start = sizes.slice(0, k).reduce((a, s) => a + s, 0);
    return { start, count: sizes[k]! };
  };
  const u = slice(b.unlabeledCount);
  const nLabeled = b.labeled?.labels.length ?? 0;
  const l = slice(nLabeled);
  const share = (part: number, total: number) => (total > 0 ? (part * n) / total : 0);
  const rows = l.count + 4 * u.count;
  if (rows === 0) {
    // fewer images than ranks (an epoch's last batch): this rank still runs the pass (synced batch norm
    // needs every rank at every layer) on a copy of one image, weighted zero everywhere
    const one = b.unlabeledCount > 0 ? { unlabeled: b.unlabeled.subarray(0, px), unlabeledCount: 1 } : { unlabeled: b.unlabeled.subarray(0, 0), unlabeledCount: 0 };
    return {
      lr: b.lr, dims: b.dims, ...one,
      ...(b.labeled ? { labeled: { pixels: b.labeled.pixels.subarray(0, one.unlabeledCount ? 0 : px), labels: b.labeled.labels.subarray(0, one.unlabeledCount ? 0 : 1) } } : {}),
      scale: { rotation: 0, classifier: 0, rows: 0 },
    };
  }
  return {
    lr: b.lr, dims: b.dims,
    unlabeled: b.unlabeled.subarray(u.start * px, (u.start + u.count) * px), unlabeledCount: u.count,
    ...(b.labeled ? { labeled: { pixels: b.labeled.pixels.subarray(l.start * px, (l.start + l.count) * px), labels: b.labeled.labels.subarray(l.start, l.start + l.count) } } : {}),
    scale: { rotation: share(u.count, b.unlabeledCount), classifier: share(l.count, nLabeled), rows: share(rows, nLabeled + 4 * b.unlabeledCount) },
  };
}

export class EncoderRanks {
  private session: RankSession | null = null;

  private constructor(private readonly group: WorkerGroup<EncoderToWorker, EncoderFromWorker>, private readonly buffers: AllReduceBuffers) {}

  /** Starts ranks 1..workers-1 (each with its own `backend`); the caller closes them. */
  static async start(o: { workers: number; backend: 'wasm' | 'cpu'; barrierTimeoutMs?: number }): Promise<EncoderRanks> {
    if (!Number.isInteger(o.workers) || o.workers < 2) throw new Error(`data-parallel encoder training needs at least 2 workers (got ${o.workers})`);
    const buffers = allocAllReduce(o.workers, 0, o.barrierTimeoutMs);
    const inits = Array.from({ length: o.workers - 1 }, (_, i): EncoderWorkerInit => ({ rank: i + 1, backend: o.backend, buffers }));
    return new EncoderRanks(await WorkerGroup.start<EncoderToWorker, EncoderFromWorker, EncoderWorkerInit>(ENCODER_WORKER, inits), buffers);
  }

  /** Ranks including this thread. */
  get count(): number {
    return this.group.size;
  }

  /** Every rank starts a training call from `state` (rank 0 trains `state` itself, in place). */
  async begin(state: EncoderState, options: SessionOptions): Promise<void> {
    if (this.session) throw new Error('an encoder training session is already open on these workers');
    const buffers = withCapacity(this.buffers, reduceCapacity(state));
    const encoder = serializeEncoder(state);
    await this.group.all(() => ({ kind: 'begin', session: options, encoder, buffers }));
    this.session = openSession(state, options, new AllReduce(buffers, 0));
  }

  /** One step on every rank; the full batch's loss and accuracy (shard values averaged). */
  async step(batch: FullBatch): Promise<{ loss: number; accuracy: number }> {
    const s = this.session;
    if (!s) throw new Error('no encoder training session is open');
    const n = this.count;
    const { mine, replies } = await this.group.everyRank((rank) => ({ kind: 'step', shard: shardOf(batch, rank, n) }), () => shardStep(s, shardOf(batch, 0, n)));
    const all = [mine, ...replies.map((r) => r as Extract<EncoderFromWorker, { kind: 'stepped' }>)];
    return { loss: all.reduce((a, r) => a + r.loss, 0) / n, accuracy: all.reduce((a, r) => a + r.accuracy, 0) / n };
  }

  /** Ends the call: the workers drop their copies; rank 0 keeps its (trained) encoder. */
  async end(): Promise<void> {
    const s = this.session;
    if (!s) return;
    this.session = null;
    closeSession(s, false);
    // never masks the error that ended a call: a failed group reports itself at the next request
    if (!this.group.failed) await this.group.all(() => ({ kind: 'end' })).catch(() => undefined);
  }

  /** Debug/test: every rank's encoder checksum (all equal while the ranks are in lockstep). */
  async checksums(): Promise<string[]> {
    if (!this.session) throw new Error('no encoder training session is open');
    const mine = encoderChecksum(this.session.state); // now: the workers answer before their next step
    const others = await this.group.all(() => ({ kind: 'checksum' }));
    return [mine, ...others.map((r) => (r as Extract<EncoderFromWorker, { kind: 'checksum' }>).value)];
  }

  workerTensors(): Promise<number[]> {
    return this.group.workerTensors();
  }

  /** Test hook: make worker `rank` fail inside its next step. */
  injectCrash(rank: number, how: 'throw' | 'exit'): void {
    this.group.injectCrash(rank, how);
  }

  async close(): Promise<void> {
    if (this.session) closeSession(this.session, false);
    this.session = null;
    await this.group.close();
  }
}
