// Messages every data-parallel worker understands, whatever it trains (GAN, encoder): the task's own
// messages come on top (gan/train/parallel/protocol.ts, selfsup/parallel/protocol.ts).
import type { AllReduceBuffers } from './allreduce';

/** What every worker is started with; a task adds its own fields. */
export interface BaseWorkerInit {
  rank: number;
  backend: 'wasm' | 'cpu';
  buffers: AllReduceBuffers;
}

export type BaseToWorker =
  | { kind: 'memory' }
  | { kind: 'crash'; how: 'throw' | 'exit' } // test hook: fail inside the next step
  | { kind: 'close' };

export type BaseFromWorker =
  | { kind: 'ready' }
  | { kind: 'memory'; numTensors: number }
  | { kind: 'error'; message: string; stack?: string };

/** workerData of a worker thread: the task's init, and the TypeScript entry the source boot loads. */
export interface WorkerData<I extends BaseWorkerInit> {
  init: I;
  source: string;
}
