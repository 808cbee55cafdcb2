// Shared by the GAN tests: backend set-up and tiny synthetic data. Not a test file itself.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels } from '../../../../main/engine/backend/wasm-kernels';
import type { TrainingData } from '../../../../main/engine/gan/train/batches';
import { makeGanConfig, type GanConfig, type GanHeads } from '../../../../main/engine/models/gan-config';

export async function useBackend(name: 'wasm' | 'cpu'): Promise<void> {
  registerWasmTrainingKernels();
  await tf.setBackend(name);
  await tf.ready();
}

export const ALL_HEADS: GanHeads = { projection: true, rotation: true, classifier: true };

export function tinyConfig(over: Partial<GanConfig> = {}): GanConfig {
  return makeGanConfig({ resolution: 16, ch: 4, channels: 1, numClasses: 3, embedYDim: 8, heads: ALL_HEADS, ...over });
}

/** n images of stripes whose orientation depends on the class; a third of them hand-labeled. */
export function stripes(n: number, size: number, numClasses = 3, channels: 1 | 3 = 1): TrainingData & { truth: Int32Array } {
  const pixels = new Uint8Array(n * size * size * channels);
  const truth = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % numClasses;
    truth[i] = c;
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const on = c === 0 ? y % 4 < 2 : c === 1 ? x % 4 < 2 : (x + y) % 4 < 2;
        for (let k = 0; k < channels; k++) pixels[((i * size + y) * size + x) * channels + k] = on ? 230 : 20;
      }
    }
  }
  const labels = Int32Array.from(truth, (t, i) => (i % 3 === 0 ? t : -1));
  const labeledPool = Int32Array.from(labels.keys()).filter((i) => labels[i]! >= 0);
  return { pixels, n, size, channels, labels, labeledPool, numClasses, truth };
}
