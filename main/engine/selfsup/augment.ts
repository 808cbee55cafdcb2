// Batches for the self-supervised and S⁴L loops: uint8 NHWC → float [-1, 1], with random
// translations (pad-and-crop, edge-replicated so no artificial border appears) and optional
// horizontal flips, done in JS on the small batch (cheap next to the convolutions); rotations in tf.
import * as tf from '@tensorflow/tfjs';
import { seededRng, shuffleInPlace } from '../base/prng';
import type { Dataset } from '../base/dataset';

export interface AugmentOptions {
  /** Max shift in pixels for the random crop (0 = none). */
  shift: number;
  flip: boolean;
}

/** The engine's one seeded PRNG (mulberry32): training is reproducible from the config seed. */
export const createRng = seededRng;

export function shuffled(n: number, rng: () => number): Int32Array {
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  shuffleInPlace(idx, rng);
  return idx;
}

/** Pixels of `indices` as a float batch tensor [B, H, W, C] in [-1, 1], augmented when `aug` is given. */
export function imageBatch(ds: Dataset, indices: ArrayLike<number>, aug: AugmentOptions | null, rng: () => number): tf.Tensor4D {
  return tf.tensor4d(imagePixels(ds, indices, aug, rng), [indices.length, ds.height, ds.width, ds.channels]);
}

/**
 * imageBatch's values as a plain array (row-major [B, H, W, C]): data-parallel ranks get row slices of
 * it, drawn with the same random stream as the single-thread batch.
 */
export function imagePixels(ds: Dataset, indices: ArrayLike<number>, aug: AugmentOptions | null, rng: () => number): Float32Array {
  const { height: h, width: w, channels: c } = ds;
  const size = h * w * c;
  const out = new Float32Array(indices.length * size);
  for (let b = 0; b < indices.length; b++) {
    const src = indices[b]! * size;
    const dst = b * size;
    const dy = aug && aug.shift > 0 ? Math.floor(rng() * (2 * aug.shift + 1)) - aug.shift : 0;
    const dx = aug && aug.shift > 0 ? Math.floor(rng() * (2 * aug.shift + 1)) - aug.shift : 0;
    const flip = aug?.flip === true && rng() < 0.5;
    for (let y = 0; y < h; y++) {
      const sy = Math.min(h - 1, Math.max(0, y + dy));
      for (let x = 0; x < w; x++) {
        const xx = flip ? w - 1 - x : x;
        const sx = Math.min(w - 1, Math.max(0, xx + dx));
        const s = src + (sy * w + sx) * c;
        const d = dst + (y * w + x) * c;
        for (let k = 0; k < c; k++) out[d + k] = ds.pixels[s + k]! / 127.5 - 1;
      }
    }
  }
  return out;
}

/** Resizes to the encoder's resolution when the dataset's differs (bilinear). */
export function toResolution(x: tf.Tensor4D, resolution: number): tf.Tensor4D {
  if (x.shape[1] === resolution && x.shape[2] === resolution) return x;
  return tf.tidy(() => tf.image.resizeBilinear(x, [resolution, resolution], true));
}

/**
 * All four rotations of each image, stacked rotation-major: rows [k·B, (k+1)·B) are rotated by k·90°.
 * Returns the batch [4B, H, W, C] and its labels [4B] (int32). Needs square images.
 */
export function allRotations(x: tf.Tensor4D): { images: tf.Tensor4D; labels: tf.Tensor1D } {
  if (x.shape[1] !== x.shape[2]) throw new Error(`rotation needs square images, got ${x.shape[1]}×${x.shape[2]}`);
  return tf.tidy(() => {
    const r90 = tf.reverse(tf.transpose(x, [0, 2, 1, 3]), 1); // 90° counter-clockwise
    const r180 = tf.reverse(x, [1, 2]);
    const r270 = tf.reverse(tf.transpose(x, [0, 2, 1, 3]), 2);
    const b = x.shape[0];
    const labels = tf.tensor1d(Array.from({ length: 4 * b }, (_, i) => Math.floor(i / b)), 'int32');
    return { images: tf.concat([x, r90, r180, r270], 0) as tf.Tensor4D, labels };
  });
}
