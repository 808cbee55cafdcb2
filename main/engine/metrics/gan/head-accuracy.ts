// Accuracy of the co-training classifier head of D (at a checkpoint) against evaluation truth.
import * as tf from '@tensorflow/tfjs';
import type { Dataset } from '../../base/dataset';
import { classifierLogits, createDiscriminator, discriminatorFeatures } from '../../models/discriminator';
import { disposeNet } from '../../models/ops';
import { assignNet, checkpointPath, loadCheckpoint } from '../../gan/run/checkpoint';
import { Prng } from '../../base/prng';
import type { RunConfig } from '../../gan/run/run-config';

export function headAccuracy(dir: string, step: number, config: RunConfig, real: Dataset, projectIndex: number[]): number | null {
  if (!real.truth) return null;
  const { arrays } = loadCheckpoint(checkpointPath(dir, step));
  const d = createDiscriminator(config.gan, new Prng(0));
  try {
    assignNet(d, arrays, 'd', 'd_sn');
    const size = real.height * real.width * real.channels;
    let ok = 0;
    let total = 0;
    for (let start = 0; start < real.n; start += 64) {
      const rows = Math.min(64, real.n - start);
      const pred = tf.tidy(() => {
        const x = tf.tensor4d(Float32Array.from(real.pixels.subarray(start * size, (start + rows) * size), (p) => p / 127.5 - 1), [rows, real.height, real.width, real.channels]);
        return tf.argMax(classifierLogits(d, discriminatorFeatures(config.gan, d, x)), 1).dataSync();
      });
      for (let i = 0; i < rows; i++) {
        const t = real.truth[start + i]!;
        if (t < 0) continue;
        total += 1;
        if (projectIndex[pred[i]!] === t) ok += 1;
      }
    }
    return total > 0 ? ok / total : null;
  } finally {
    disposeNet(d);
  }
}
