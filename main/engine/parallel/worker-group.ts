// The coordinator side of data-parallel training, whatever is trained: rank 0 is the calling thread,
// ranks 1..N-1 are worker threads started here. Requests get replies in order; a worker that throws,
// exits or fails to start marks the whole group failed (and wakes every rank waiting in the all-reduce),
// so every later request fails fast with the first failure's words.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AllReduce, type AllReduceBuffers } from './allreduce';
import type { BaseFromWorker, BaseToWorker, BaseWorkerInit, WorkerData } from './protocol';

export class WorkerCrashedError extends Error {
  override name = 'WorkerCrashedError';
}

/**
 * A task's worker module: the packaged app's own file (electron-vite entry) where it exists, else `source`
 * through tsx. The bundle puts the code that starts workers in out/main/chunks/, the worker files in
 * out/main/: bundledWorker looks in both.
 */
export interface WorkerEntry {
  bundled: URL[];
  source: URL;
}

/** Where the bundle may hold `file` (an electron-vite entry) seen from a module at `from`. */
export function bundledWorker(file: string, from: string): URL[] {
  return [new URL(`./${file}`, from), new URL(`../${file}`, from)];
}

interface Peer<F> {
  worker: Worker;
  pending: ((msg: F | BaseFromWorker) => void)[];
  dead: string | null;
}

export class WorkerGroup<T extends { kind: string }, F extends { kind: string }> {
  private readonly peers: Peer<F>[] = [];
  private failure: string | null = null;

  private constructor(private readonly buffers: AllReduceBuffers) {}

  /** Starts one worker per init (ranks 1..N-1) and waits until every one is ready. */
  static async start<T extends { kind: string }, F extends { kind: string }, I extends BaseWorkerInit>(entry: WorkerEntry, inits: I[]): Promise<WorkerGroup<T, F>> {
    const g = new WorkerGroup<T, F>(inits[0]!.buffers);
    const bundled = entry.bundled.find((u) => existsSync(fileURLToPath(u)));
    const file = bundled ?? new URL('./worker-boot.mjs', import.meta.url);
    if (!existsSync(fileURLToPath(file))) throw new WorkerCrashedError(`data-parallel workers cannot start: no worker file (${entry.bundled.map((u) => fileURLToPath(u)).join(' or ')})`);
    for (const init of inits) g.peers.push(g.spawn(init.rank, new Worker(file, { workerData: { init, source: entry.source.href } satisfies WorkerData<I> })));
    try {
      await Promise.all(g.peers.map((p) => g.request(p, null)));
    } catch (e) {
      await g.close();
      throw e;
    }
    return g;
  }

  get size(): number {
    return this.peers.length + 1;
  }

  /** The first failure, once a worker failed (every later request rejects with it). */
  get failed(): string | null {
    return this.failure;
  }

  private spawn(rank: number, worker: Worker): Peer<F> {
    const peer: Peer<F> = { worker, pending: [], dead: null };
    const fail = (why: string) => {
      if (peer.dead) return;
      peer.dead = why;
      this.failure ??= `data-parallel worker ${rank} crashed: ${why}`;
      AllReduce.abort(this.buffers);
      for (const f of peer.pending.splice(0)) f({ kind: 'error', message: why });
    };
    worker.on('message', (msg: F | BaseFromWorker) => {
      if (msg.kind === 'error') fail((msg as Extract<BaseFromWorker, { kind: 'error' }>).message);
      else peer.pending.shift()?.(msg);
    });
    worker.on('error', (e) => fail(e.message));
    worker.on('exit', (code) => fail(`exited with code ${code}`));
    return peer;
  }

  /** Sends msg (or nothing, to await 'ready') to a peer and resolves with its next reply. */
  private request(p: Peer<F>, msg: T | BaseToWorker | null): Promise<F | BaseFromWorker> {
    return new Promise((resolve, reject) => {
      if (p.dead) return reject(new WorkerCrashedError(this.failure ?? p.dead));
      p.pending.push((reply) => (reply.kind === 'error' ? reject(new WorkerCrashedError(this.failure ?? (reply as { message: string }).message)) : resolve(reply)));
      if (msg) p.worker.postMessage(msg);
    });
  }

  /** The same kind of request to ranks 1..N-1 (msgFor(rank)), their replies in rank order. */
  async all(msgFor: (rank: number) => T | BaseToWorker): Promise<(F | BaseFromWorker)[]> {
    if (this.failure) throw new WorkerCrashedError(this.failure);
    return Promise.all(this.peers.map((p, i) => this.request(p, msgFor(i + 1))));
  }

  /**
   * One collective step: every worker gets its message, then `local` runs rank 0's share on this thread
   * (it blocks in the all-reduce until every rank has contributed). Returns rank 0's result and the
   * workers' replies; a failed worker turns into a WorkerCrashedError naming it.
   */
  async everyRank<R>(msgFor: (rank: number) => T, local: () => R): Promise<{ mine: R; replies: F[] }> {
    if (this.failure) throw new WorkerCrashedError(this.failure);
    const replies = this.peers.map((p, i) => this.request(p, msgFor(i + 1)));
    replies.forEach((r) => r.catch(() => undefined)); // observed below; avoid unhandled rejections meanwhile
    let mine: R;
    try {
      mine = local();
    } catch (e) {
      await Promise.allSettled(replies);
      throw this.failure ? new WorkerCrashedError(this.failure) : e;
    }
    return { mine, replies: (await Promise.all(replies)) as F[] };
  }

  /** tf.memory().numTensors of ranks 1..N-1. */
  async workerTensors(): Promise<number[]> {
    const r = await this.all(() => ({ kind: 'memory' }));
    return r.map((x) => (x as Extract<BaseFromWorker, { kind: 'memory' }>).numTensors);
  }

  /** Test hook: make worker `rank` fail inside its next step. */
  injectCrash(rank: number, how: 'throw' | 'exit'): void {
    this.peers[rank - 1]!.worker.postMessage({ kind: 'crash', how } satisfies BaseToWorker);
  }

  async close(): Promise<void> {
    await Promise.all(this.peers.map(async (p) => {
      if (!p.dead) p.worker.postMessage({ kind: 'close' } satisfies BaseToWorker);
      await p.worker.terminate();
    }));
    this.peers.length = 0;
  }
}
