// The configs the side-by-side CPU bench runs, and the spec handed to the PyTorch twin
// (test/bench/torch/s3gan_step.py). Channel lists and z chunks are derived here from our own
// gan-config.ts, so both sides build the same networks from one source of truth.
import { discriminatorChannels, generatorChannels, makeGanConfig, zChunks, defaultCh, defaultDCh, type GanConfig } from '../../../main/engine/models/gan-config';
import { PRESETS } from '../../../main/engine/gan/train/presets';
import { trainDefaults } from '../../../shared/contract';

/** The app's own defaults on a CPU backend (the bench measures what users train). */
export const DEFAULT_TRAIN = trainDefaults({ backend: 'wasm', gpu: false, projectResolution: 32 });
import { rotatedCount } from '../../../main/engine/gan/train/rotation';

export interface BenchConfig {
  name: string;
  cfg: GanConfig;
  batch: number;
  dSteps: number;
  /** Real images per batch drawn from the hand-labeled pool (co-training CE), as the loop computes it. */
  labeled: number;
}

const S3GAN_HEADS = PRESETS.s3gan.heads; // the default method: projection + rotation + co-training heads

function benchConfig(name: string, cfg: GanConfig, batch: number): BenchConfig {
  return { name, cfg, batch, dSteps: DEFAULT_TRAIN.dSteps, labeled: Math.max(1, Math.round(batch * DEFAULT_TRAIN.labeledFraction)) };
}

export const BENCH_CONFIGS: Record<string, () => BenchConfig> = {
  // The orientation size: 32 px RGB, ch 32, batch 32 (10 classes, s3gan heads).
  small32: () => benchConfig('small32', makeGanConfig({ resolution: 32, ch: 32, channels: 3, numClasses: 10, heads: S3GAN_HEADS }), 32),
  // What `s3gan train --method s3gan` builds for the MNIST project: 28 px → trained at 32, grey,
  // defaultCh(32) and defaultDCh, 10 classes, DEFAULT_TRAIN batch and D steps.
  mnist: () => benchConfig('mnist', makeGanConfig({ resolution: 32, ch: defaultCh(32), dCh: defaultDCh(32, defaultCh(32)), channels: 1, numClasses: 10, heads: S3GAN_HEADS }), DEFAULT_TRAIN.batch),
};

/** JSON spec for s3gan_step.py --spec. */
export function torchSpec(b: BenchConfig): Record<string, unknown> {
  const g = generatorChannels(b.cfg);
  const d = discriminatorChannels(b.cfg);
  return {
    resolution: b.cfg.resolution, channels: b.cfg.channels, ch: b.cfg.ch, batch: b.batch, numClasses: b.cfg.numClasses,
    embedYDim: b.cfg.embedYDim, zChunks: zChunks(b.cfg), gSpectralNorm: b.cfg.gSpectralNorm, conditionSeed: b.cfg.conditionSeed ?? false, gIn: g.in, gOut: g.out, dIn: d.in, dOut: d.out,
    heads: b.cfg.heads, dSteps: b.dSteps, labeled: b.labeled, rotated: rotatedCount(b.batch, DEFAULT_TRAIN.rotatedFraction),
    lrG: DEFAULT_TRAIN.lrG, lrD: DEFAULT_TRAIN.lrD, emaDecay: DEFAULT_TRAIN.emaDecay,
  };
}
