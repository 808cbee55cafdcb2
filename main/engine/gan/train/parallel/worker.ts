// One GAN data-parallel training worker (worker_threads): its own tfjs backend (worker-runtime.ts) and
// copy of the models, started identical to rank 0; it runs the trainer's own D/G step functions on its
// shard, with both Adams averaging gradients over all ranks (allreduce.ts) before they update.
import { runWorker } from '../../../parallel/worker-runtime';
import { restoreInto, type CheckpointMeta } from '../checkpoint-state';
import { createModels } from '../models';
import { discriminatorStep, generatorStep, type GanModels, type StepOptions } from '../step';
import { AllReduce, gradientAverager } from './allreduce';
import { stateChecksum } from './checksum';
import type { GanFromWorker, GanToWorker, WorkerInit } from './protocol';

runWorker<WorkerInit, { m: GanModels; step: StepOptions }, GanToWorker, GanFromWorker>({
  stepKinds: ['d', 'g'],
  start(init) {
    const m = createModels(init.cfg, { seed: init.seed, lrG: init.lrG, lrD: init.lrD });
    restoreInto(m, new Map(init.state.map((a) => [a.name, a])), { adamSteps: init.adamSteps } as CheckpointMeta);
    if (init.gBnStats) m.gBn = { kind: 'standing', stats: init.gBnStats };
    return { m, step: { weights: init.weights, averageGradients: gradientAverager(new AllReduce(init.buffers, init.rank)) } };
  },
  handle({ m, step }, msg) {
    switch (msg.kind) {
      case 'd':
        return { kind: 'losses', losses: discriminatorStep(m, step, { real: msg.real, fake: msg.fake, ...(msg.augment ? { augment: msg.augment } : {}) }) };
      case 'g':
        return { kind: 'losses', losses: generatorStep(m, step, { fake: msg.fake, step: msg.step, ema: msg.ema, ...(msg.augment ? { augment: msg.augment } : {}) }) };
      case 'checksum':
        return { kind: 'checksum', value: stateChecksum(m) };
    }
  },
});
