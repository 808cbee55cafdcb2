// Multi-worker variant of our side: the data-parallel trainer (main/engine/gan/parallel) on wasm,
// rank 0 on this thread plus workers-1 worker threads, fed the same full batches as the 1-thread side.
import { BatchSampler } from '../../../main/engine/gan/train/batches';
import { createModels, disposeModels } from '../../../main/engine/gan/train/models';
import { ParallelTrainer } from '../../../main/engine/gan/train/parallel/trainer';
import { DEFAULT_TRAIN } from './configs';
import { DEFAULT_STEP } from '../../../main/engine/gan/train/step';
import type { BenchConfig } from './configs';
import { benchData, type OursStepper } from './ours';

export const PARALLEL_READY = true;

export async function oursStepperFor(b: BenchConfig, workers: number): Promise<OursStepper> {
  const m = createModels(b.cfg, { seed: 1, lrG: DEFAULT_TRAIN.lrG, lrD: DEFAULT_TRAIN.lrD });
  const pt = await ParallelTrainer.start(m, {
    workers, backend: 'wasm', seed: 1, lrG: DEFAULT_TRAIN.lrG, lrD: DEFAULT_TRAIN.lrD, batch: b.batch, labeled: b.labeled, weights: DEFAULT_STEP.weights,
  });
  const sampler = new BatchSampler(benchData(b), 1);
  let g = 0;
  return {
    label: `${workers} workers`,
    async step() {
      const t = performance.now();
      for (let k = 0; k < b.dSteps; k++) await pt.discriminatorStep({ real: sampler.real(b.batch, b.labeled), fake: sampler.fake(b.batch, b.cfg.zDim) });
      g += 1;
      await pt.generatorStep({ fake: sampler.fake(b.batch, b.cfg.zDim), step: g, ema: { decay: DEFAULT_TRAIN.emaDecay, start: 0 } });
      return performance.now() - t;
    },
    async close() {
      await pt.close();
      disposeModels(m);
    },
  };
}
