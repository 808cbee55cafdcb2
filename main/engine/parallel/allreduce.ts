// Averaging across data-parallel ranks through one SharedArrayBuffer (the GAN trainer and the encoder
// stages share it). Every rank writes its flat values into its slot, waits at a barrier, then sums all
// slots in rank order — so every rank computes bit-identical averages and the parameters stay identical
// without being sent around. Two alternating buffers let a fast rank write its next values while a slow
// one still reads. An abort flag (set by the coordinator when a worker dies) wakes and fails every
// waiting rank.
import * as tf from '@tensorflow/tfjs';

const ARRIVED = 0;
const GENERATION = 1;
const ABORT = 2;
const CONTROL_INTS = 4;
const WAIT_SLICE_MS = 200;

export interface AllReduceBuffers {
  control: SharedArrayBuffer; // Int32 [arrived, generation, abort, spare]
  data: SharedArrayBuffer; // Float32 [2 buffers][ranks][capacity]
  ranks: number;
  capacity: number; // floats per slot: the most values one round averages
  /** Longest wait at the barrier before giving up (a rank that hangs, or died without a word). */
  timeoutMs: number;
}

export function allocAllReduce(ranks: number, capacity: number, timeoutMs = 10 * 60_000): AllReduceBuffers {
  return {
    control: new SharedArrayBuffer(CONTROL_INTS * 4),
    data: new SharedArrayBuffer(2 * ranks * capacity * 4),
    ranks,
    capacity,
    timeoutMs,
  };
}

/** The same group (barrier, abort flag) with a fresh data area for `capacity` floats per rank. */
export function withCapacity(b: AllReduceBuffers, capacity: number): AllReduceBuffers {
  return { ...b, data: new SharedArrayBuffer(2 * b.ranks * capacity * 4), capacity };
}

export class WorkerAbortedError extends Error {
  override name = 'WorkerAbortedError';
}

export class AllReduce {
  private readonly control: Int32Array;
  private readonly data: Float32Array;
  private round = 0;

  constructor(private readonly b: AllReduceBuffers, private readonly rank: number) {
    this.control = new Int32Array(b.control);
    this.data = new Float32Array(b.data);
  }

  /** Marks the group as failed and wakes every waiting rank (coordinator side). */
  static abort(b: AllReduceBuffers): void {
    const c = new Int32Array(b.control);
    Atomics.store(c, ABORT, 1);
    Atomics.notify(c, GENERATION);
  }

  private barrier(): void {
    const gen = Atomics.load(this.control, GENERATION);
    if (Atomics.add(this.control, ARRIVED, 1) === this.b.ranks - 1) {
      Atomics.store(this.control, ARRIVED, 0);
      Atomics.add(this.control, GENERATION, 1);
      Atomics.notify(this.control, GENERATION);
      return;
    }
    const deadline = Date.now() + this.b.timeoutMs;
    while (Atomics.load(this.control, GENERATION) === gen) {
      if (Atomics.load(this.control, ABORT)) throw new WorkerAbortedError('another data-parallel worker failed');
      if (Date.now() > deadline) {
        AllReduce.abort(this.b);
        throw new WorkerAbortedError(`rank ${this.rank}: no gradients from the other ranks within ${this.b.timeoutMs / 1000} s`);
      }
      Atomics.wait(this.control, GENERATION, gen, WAIT_SLICE_MS);
    }
  }

  /**
   * Averages `values` (keyed like `names`; a missing name counts as zeros) over all ranks; returns new
   * tensors (caller disposes). `scales` multiplies this rank's contribution to a name first (a weighted
   * mean when the ranks' shares differ); an absent scale leaves the values untouched.
   */
  average(names: string[], values: Record<string, tf.Tensor>, shapes: Record<string, number[]>, scales?: Record<string, number>): Record<string, tf.Tensor> {
    if (Atomics.load(this.control, ABORT)) throw new WorkerAbortedError('another data-parallel worker failed');
    const { ranks, capacity } = this.b;
    const base = (this.round++ % 2) * ranks * capacity;
    const mine = base + this.rank * capacity;
    let offset = 0;
    for (const name of names) {
      const size = shapes[name]!.reduce((a, s) => a * s, 1);
      if (offset + size > capacity) throw new Error(`all-reduce slot too small (${capacity} floats)`);
      const g = values[name];
      const at = mine + offset;
      if (g) this.data.set(g.dataSync() as Float32Array, at);
      else this.data.fill(0, at, at + size);
      const scale = scales?.[name];
      if (g && scale !== undefined && scale !== 1) for (let i = at; i < at + size; i++) this.data[i]! *= scale;
      offset += size;
    }
    this.barrier();
    const sum = new Float32Array(offset);
    for (let r = 0; r < ranks; r++) {
      const slot = base + r * capacity;
      for (let i = 0; i < offset; i++) sum[i]! += this.data[slot + i]!;
    }
    for (let i = 0; i < offset; i++) sum[i]! /= ranks;
    const out: Record<string, tf.Tensor> = {};
    offset = 0;
    for (const name of names) {
      const shape = shapes[name]!;
      const size = shape.reduce((a, s) => a * s, 1);
      out[name] = tf.tensor(sum.subarray(offset, offset + size), shape);
      offset += size;
    }
    return out;
  }
}
