// The worker side of data-parallel training, whatever is trained: picks the rank's own tfjs backend,
// starts the task, answers its messages in order, and handles the messages every worker shares
// (memory, crash test hook, close). A task error wakes the other ranks (all-reduce abort) before this
// worker reports it and stops, so no rank waits for gradients that will never come.
import { parentPort, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../backend';
import { AllReduce } from './allreduce';
import type { BaseFromWorker, BaseToWorker, BaseWorkerInit, WorkerData } from './protocol';

export interface WorkerTask<I extends BaseWorkerInit, S, T extends { kind: string }, F> {
  start(init: I): Promise<S> | S;
  /** Replies to a task message (null: no reply). */
  handle(state: S, msg: T): F | null;
  /** Message kinds that count as a step (where an injected crash happens). */
  stepKinds: readonly T['kind'][];
}

export function runWorker<I extends BaseWorkerInit, S, T extends { kind: string }, F>(task: WorkerTask<I, S, T, F>): void {
  const port = parentPort!;
  const { init } = workerData as WorkerData<I>;
  const send = (msg: F | BaseFromWorker) => port.postMessage(msg);
  let crash: 'throw' | 'exit' | null = null;

  const start = async (): Promise<S> => {
    const info = await selectBackend({ prefer: init.backend });
    if (info.backend !== init.backend) throw new Error(`worker ${init.rank}: ${init.backend} backend unavailable (got ${info.backend})`);
    return task.start(init);
  };

  const handle = (state: S, msg: T | BaseToWorker): F | BaseFromWorker | null => {
    if (crash && (task.stepKinds as readonly string[]).includes(msg.kind)) {
      if (crash === 'exit') process.exit(7);
      throw new Error(`worker ${init.rank}: crash requested by test`);
    }
    switch (msg.kind) {
      case 'memory':
        return { kind: 'memory', numTensors: tf.memory().numTensors };
      case 'crash':
        crash = (msg as Extract<BaseToWorker, { kind: 'crash' }>).how;
        return null;
      case 'close':
        port.close();
        return null;
      default:
        return task.handle(state, msg as T);
    }
  };

  start().then((state) => {
    port.on('message', (msg: T | BaseToWorker) => {
      try {
        const reply = handle(state, msg);
        if (reply) send(reply);
      } catch (e) {
        AllReduce.abort(init.buffers); // wake the other ranks before this worker reports and stops
        send({ kind: 'error', message: e instanceof Error ? e.message : String(e), ...(e instanceof Error && e.stack ? { stack: e.stack } : {}) });
        port.close();
      }
    });
    send({ kind: 'ready' });
  }, (e: unknown) => {
    AllReduce.abort(init.buffers);
    send({ kind: 'error', message: `worker ${init.rank} failed to start: ${e instanceof Error ? e.message : String(e)}` });
    port.close();
  });

  process.on('exit', () => AllReduce.abort(init.buffers)); // process.exit() inside the worker
}
