// The GAN part of `s3gan demo` (the command itself belongs to the pipeline): a short S³GAN training
// on the open project (the embedded MNIST subset) that writes grids, through the engine's job layer.
import type { Method, TrainResult } from '../../../shared/contract';
import type { EngineContext } from '../engine-context';
import { runTraining } from './run-train';

export interface DemoTrainingOptions {
  steps: number;
  method?: Method;
  /** Defaults sized for a few minutes on 2 CPU cores (wasm). */
  ch?: number;
  batch?: number;
  log?(message: string): void;
}

export async function runDemoTraining(engine: EngineContext, opts: DemoTrainingOptions): Promise<TrainResult> {
  return engine.runJob('train', (job) => runTraining(engine.project(), {
    method: opts.method ?? 's3gan',
    steps: opts.steps,
    ch: opts.ch ?? 8,
    batch: opts.batch ?? 32,
    seed: 1,
    gridEvery: Math.max(1, Math.floor(opts.steps / 4)),
    checkpointEvery: Math.max(1, Math.floor(opts.steps / 4)),
    logEvery: Math.max(1, Math.floor(opts.steps / 20)),
  }, {
    control: { paused: false, stopped: false },
    progress: (done, total, message) => job.progress(done, total, 'train', message),
    onLog: (run, row) => engine.emit('train.metrics', { run, row: { ...row } }),
    ...(opts.log ? { log: opts.log } : {}),
  }));
}
