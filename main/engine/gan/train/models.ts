// Builds the whole trainable state of a run from its config: G, D, the EMA copy of G and both Adams.
// Initialisation draws from a PRNG seeded by the run's seed, so two builds of one config are identical.
import { createDiscriminator } from '../../models/discriminator';
import type { GanConfig } from '../../models/gan-config';
import { createGenerator } from '../../models/generator';
import { disposeNet } from '../../models/ops';
import { Adam, adamConfig } from './adam';
import { cloneForEma, disposeEma } from './ema';
import { Prng } from '../../base/prng';
import type { GanModels } from './step';

const INIT_STREAM = 7;

export function createModels(cfg: GanConfig, opts: { seed: number; lrG: number; lrD: number }): GanModels {
  const rng = Prng.derive(opts.seed, INIT_STREAM);
  const g = createGenerator(cfg, rng);
  const d = createDiscriminator(cfg, rng);
  return { cfg, g, d, gEma: cloneForEma(g), optG: new Adam(adamConfig(opts.lrG), g.weights), optD: new Adam(adamConfig(opts.lrD), d.weights) };
}

export function disposeModels(m: GanModels): void {
  disposeEma(m.gEma);
  disposeNet(m.g);
  disposeNet(m.d);
  m.optG.dispose();
  m.optD.dispose();
}
