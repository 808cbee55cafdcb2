// Our side of the side-by-side bench: the trainer's own step functions on the same config, one full
// training step (dSteps D updates + one G update + EMA), exactly as main/engine/gan/loop.ts runs it.
import * as tf from '@tensorflow/tfjs';
import { BatchSampler, type TrainingData } from '../../../main/engine/gan/train/batches';
import { createModels, disposeModels } from '../../../main/engine/gan/train/models';
import { DEFAULT_TRAIN } from './configs';
import { discriminatorStep, generatorStep, DEFAULT_STEP, type GanModels } from '../../../main/engine/gan/train/step';
import type { BenchConfig } from './configs';

export interface OursStepper {
  readonly label: string;
  step(): Promise<number>; // ms of one G step with its D steps
  close(): Promise<void>;
}

/** 256 synthetic images, a quarter hand-labeled, the rest unknown (co-training predicts them). */
export function benchData(b: BenchConfig): TrainingData {
  const { resolution: r, channels, numClasses } = b.cfg;
  const n = 256;
  const pixels = Uint8Array.from({ length: n * r * r * channels }, (_, i) => (i * 2654435761) >>> 24);
  const labels = Int32Array.from({ length: n }, (_, i) => (i % 4 === 0 ? i % numClasses : -1));
  return { pixels, n, size: r, channels, labels, labeledPool: Int32Array.from(labels.keys()).filter((i) => labels[i]! >= 0), numClasses };
}

export class SingleStepper implements OursStepper {
  readonly label = '1 thread';
  private readonly m: GanModels;
  private readonly sampler: BatchSampler;
  private g = 0;

  constructor(private readonly b: BenchConfig) {
    this.m = createModels(b.cfg, { seed: 1, lrG: DEFAULT_TRAIN.lrG, lrD: DEFAULT_TRAIN.lrD });
    this.sampler = new BatchSampler(benchData(b), 1);
  }

  step(): Promise<number> {
    const { b, m, sampler } = this;
    const t = performance.now();
    for (let k = 0; k < b.dSteps; k++) {
      discriminatorStep(m, DEFAULT_STEP, { real: sampler.real(b.batch, b.labeled), fake: sampler.fake(b.batch, b.cfg.zDim) });
    }
    this.g += 1;
    generatorStep(m, DEFAULT_STEP, { fake: sampler.fake(b.batch, b.cfg.zDim), step: this.g, ema: { decay: DEFAULT_TRAIN.emaDecay, start: 0 } });
    return Promise.resolve(performance.now() - t);
  }

  close(): Promise<void> {
    disposeModels(this.m);
    return Promise.resolve();
  }
}

/** Median GFLOP/s of a 512×512 matmul on the active backend (the bench's "peak" reference). */
export function matmulGflops(reps = 8): number {
  const n = 512;
  const [a, c] = [tf.randomNormal([n, n]), tf.randomNormal([n, n])];
  // Never return dataSync()'s array from tf.tidy: tidy walks every element of a returned typed array
  // looking for tensors (~0.7 s for 262k floats), which is what a tidy-wrapped version measured.
  const once = () => {
    const y = tf.matMul(a, c);
    y.dataSync();
    y.dispose();
  };
  once();
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    once();
    times.push((performance.now() - t) / 1000);
  }
  tf.dispose([a, c]);
  return (2 * n ** 3) / median(times) / 1e9;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((p, q) => p - q);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}
