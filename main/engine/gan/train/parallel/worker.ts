// One data-parallel training worker (worker_threads): its own tfjs backend and copy of the models,
// started identical to rank 0; it runs the trainer's own D/G step functions on its shard, with both
// Adams averaging gradients over all ranks (allreduce.ts) before they update.
import { parentPort, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../../backend';
import { restoreInto, type CheckpointMeta } from '../checkpoint-state';
import { createModels } from '../models';
import { discriminatorStep, generatorStep, type GanModels, type StepOptions } from '../step';
import { AllReduce, gradientAverager } from './allreduce';
import { stateChecksum } from './checksum';
import type { FromWorker, ToWorker, WorkerInit } from './protocol';

const port = parentPort!;
const init = workerData as WorkerInit;
const send = (msg: FromWorker) => port.postMessage(msg);
let crash: 'throw' | 'exit' | null = null;

async function start(): Promise<{ m: GanModels; step: StepOptions }> {
  const info = await selectBackend({ prefer: init.backend });
  if (info.backend !== init.backend) throw new Error(`worker ${init.rank}: ${init.backend} backend unavailable (got ${info.backend})`);
  const m = createModels(init.cfg, { seed: init.seed, lrG: init.lrG, lrD: init.lrD });
  restoreInto(m, new Map(init.state.map((a) => [a.name, a])), { adamSteps: init.adamSteps } as CheckpointMeta);
  if (init.gBnStats) m.gBn = { kind: 'standing', stats: init.gBnStats };
  return { m, step: { weights: init.weights, averageGradients: gradientAverager(new AllReduce(init.buffers, init.rank)) } };
}

function handle({ m, step }: { m: GanModels; step: StepOptions }, msg: ToWorker): FromWorker | null {
  if (crash && (msg.kind === 'd' || msg.kind === 'g')) {
    if (crash === 'exit') process.exit(7);
    throw new Error(`worker ${init.rank}: crash requested by test`);
  }
  switch (msg.kind) {
    case 'd':
      return { kind: 'losses', losses: discriminatorStep(m, step, { real: msg.real, fake: msg.fake, ...(msg.augment ? { augment: msg.augment } : {}) }) };
    case 'g':
      return { kind: 'losses', losses: generatorStep(m, step, { fake: msg.fake, step: msg.step, ema: msg.ema, ...(msg.augment ? { augment: msg.augment } : {}) }) };
    case 'checksum':
      return { kind: 'checksum', value: stateChecksum(m) };
    case 'memory':
      return { kind: 'memory', numTensors: tf.memory().numTensors };
    case 'crash':
      crash = msg.how;
      return null;
    case 'close':
      port.close();
      return null;
  }
}

start().then((m) => {
  port.on('message', (msg: ToWorker) => {
    try {
      const reply = handle(m, msg);
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
