// The project's frozen self-supervised feature space (the features stage's encoder), used by the
// metrics: embed real and generated images with the same network. Absent until `s3gan features` ran.
import { existsSync } from 'node:fs';
import type { Dataset } from '../../base/dataset';
import { readEncoderFile } from '../../pipeline/encoder-file';
import type { SerializedEncoder } from '../../pipeline/ml-core';
import { stagePaths } from '../../pipeline/stage-files';

export interface FeatureSpace {
  dim: number;
  embed(ds: Dataset): Promise<Float32Array>;
  dispose(): void;
}

/** null when the project has no trained encoder yet (metrics are then omitted, with the reason). */
export async function loadFeatureSpace(projectDir: string): Promise<FeatureSpace | null> {
  const path = stagePaths(projectDir).encoder;
  if (!existsSync(path)) return null;
  const rotation = await import('../../selfsup/rotation');
  const saved = readEncoderFile<SerializedEncoder['config']>(path);
  const state = rotation.deserializeEncoder(saved as never);
  return {
    dim: rotation.embeddingDim(saved.config),
    embed: (ds) => rotation.embedImages(state, ds),
    dispose: () => rotation.disposeEncoder(state),
  };
}

/** Images in [-1, 1] (Float32, NHWC) as a Dataset the encoder can embed. */
export function imagesAsDataset(pixels: Float32Array, n: number, size: number, channels: 1 | 3): Dataset {
  const bytes = Uint8Array.from(pixels, (v) => Math.max(0, Math.min(255, Math.round((v + 1) * 127.5))));
  return {
    ids: Array.from({ length: n }, (_, i) => `generated-${i}`), n, height: size, width: size, channels, pixels: bytes,
    classes: [], handLabels: new Int32Array(n).fill(-1), truth: null,
  };
}

export function subsetDataset(ds: Dataset, rows: ArrayLike<number>): Dataset {
  const px = ds.height * ds.width * ds.channels;
  const pixels = new Uint8Array(rows.length * px);
  const idx = Array.from(rows);
  idx.forEach((r, i) => pixels.set(ds.pixels.subarray(r * px, (r + 1) * px), i * px));
  return {
    ...ds, ids: idx.map((r) => ds.ids[r]!), n: idx.length, pixels,
    handLabels: Int32Array.from(idx, (r) => ds.handLabels[r]!), truth: ds.truth ? Int32Array.from(idx, (r) => ds.truth![r]!) : null,
  };
}
