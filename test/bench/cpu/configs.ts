// The configs the side-by-side CPU bench runs, and the spec handed to the PyTorch side
// (test/bench/torch/bench_step.py, which runs the PyTorch job's trainer, resources/pytorch-job): the
// model config itself and the app's default step settings, so both sides build the same networks.
import { makeGanConfig, defaultCh, defaultDCh, type GanConfig } from '../../../main/engine/models/gan-config';
import { PRESETS } from '../../../main/engine/gan/train/presets';
import { trainDefaults } from '../../../shared/contract';

/** The app's own defaults on a CPU backend (the bench measures what users train). */
export const DEFAULT_TRAIN = trainDefaults({ backend: 'wasm', gpu: false, projectResolution: 32 });

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

/** JSON spec for bench_step.py --spec. */
export function torchSpec(b: BenchConfig): Record<string, unknown> {
  const t = DEFAULT_TRAIN;
  return {
    gan: b.cfg, labeled: b.labeled,
    train: {
      batch: b.batch, dSteps: b.dSteps, lrG: t.lrG, lrD: t.lrD, emaDecay: t.emaDecay, rotatedFraction: t.rotatedFraction,
      rotationWeightD: t.rotationWeightD, rotationWeightG: t.rotationWeightG, classifierWeight: t.classifierWeight,
    },
  };
}
