// Sampling from a run's EMA generator: the generator at a checkpoint (for grids, `s3gan sample`,
// metrics and export), fixed evaluation latents per run, standing BN statistics (so an image does not
// depend on its batch mates), truncation and latent interpolation.
import * as tf from '@tensorflow/tfjs';
import { ContractError } from '../../../../shared/contract';
import { Prng } from '../../base/prng';
import type { BnStats } from '../../models/cbn';
import type { GanConfig } from '../../models/gan-config';
import { createGenerator, generate } from '../../models/generator';
import { disposeNet, oneHotRows, type Net } from '../../models/ops';
import { assignNet, checkpointPath, listCheckpoints, loadCheckpoint } from '../run/checkpoint';
import type { RunConfig } from '../run/run-config';
import { readRunConfig } from '../run/run-store';

const EVAL_LATENT_STREAM = 21;
const STANDING_STREAM = 22;

/** Fixed per run: the same z columns in every grid of the run, so grids compare across steps. */
export function evalLatents(cfg: GanConfig, seed: number, n: number, truncation = 0): Float32Array {
  const rng = Prng.derive(seed, EVAL_LATENT_STREAM);
  return latents(rng, n, cfg.zDim, truncation);
}

export function latents(rng: Prng, n: number, zDim: number, truncation = 0): Float32Array {
  const z = new Float32Array(n * zDim);
  for (let i = 0; i < z.length; i++) z[i] = truncation > 0 ? rng.truncatedNormal(truncation) : rng.normal();
  return z;
}

/** Averages G's batch statistics over `batches` random batches (compare_gan's standing statistics). */
export function standingStats(cfg: GanConfig, g: Net, opts: { seed: number; batches?: number; batch?: number }): BnStats {
  const stats: BnStats = new Map();
  const rng = Prng.derive(opts.seed, STANDING_STREAM);
  const batch = opts.batch ?? 64;
  for (let b = 0; b < (opts.batches ?? 4); b++) {
    const z = latents(rng, batch, cfg.zDim);
    const y = Int32Array.from({ length: batch }, () => rng.int(cfg.numClasses));
    tf.tidy(() => {
      generate(cfg, g, tf.tensor2d(z, [batch, cfg.zDim]), oneHotRows(y, cfg.numClasses), { kind: 'collect', stats });
    });
  }
  return stats;
}

/** Images in [-1, 1] for latents z [n, zDim] and class indices, with fixed statistics. */
export function sampleImages(cfg: GanConfig, g: Net, stats: BnStats, z: Float32Array, classes: ArrayLike<number>): tf.Tensor4D {
  const n = classes.length;
  return tf.tidy(() => generate(cfg, g, tf.tensor2d(z, [n, cfg.zDim]), oneHotRows(classes, cfg.numClasses), { kind: 'standing', stats }));
}

/** `steps` latents on the straight line between a and b (inclusive). */
export function interpolate(a: Float32Array, b: Float32Array, steps: number): Float32Array {
  const out = new Float32Array(steps * a.length);
  for (let s = 0; s < steps; s++) {
    const t = steps === 1 ? 0 : s / (steps - 1);
    for (let i = 0; i < a.length; i++) out[s * a.length + i] = (1 - t) * a[i]! + t * b[i]!;
  }
  return out;
}

export interface RunGenerator {
  config: RunConfig;
  step: number;
  g: Net;
  dispose(): void;
}

export function loadRunGenerator(dir: string, step?: number): RunGenerator {
  const config = readRunConfig(dir);
  const steps = listCheckpoints(dir);
  const chosen = step ?? steps[steps.length - 1];
  if (chosen === undefined) throw new ContractError('NOT_FOUND', `run ${config.run} has no checkpoint yet`);
  if (!steps.includes(chosen)) throw new ContractError('NOT_FOUND', `run ${config.run} has no checkpoint at step ${chosen} (have: ${steps.join(', ') || 'none'})`);
  const { arrays } = loadCheckpoint(checkpointPath(dir, chosen));
  const g = createGenerator(config.gan, new Prng(0));
  try {
    assignNet({ weights: g.weights, sn: g.sn }, arrays, 'ema', 'g_sn'); // EMA weights with G's own SN vectors
  } catch (e) {
    disposeNet(g);
    throw e;
  }
  return { config, step: chosen, g, dispose: () => disposeNet(g) };
}
