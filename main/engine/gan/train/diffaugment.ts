// DiffAugment (Zhao et al. 2020): colour, translation and cutout, differentiable, applied with the same
// policy to every image D sees (real and fake), so D cannot tell them apart by augmentation. Parameters
// come from the run's seeded PRNG; per-sample translation is a batched matmul with shift matrices
// because gather's gradient needs UnsortedSegmentSum, which the wasm backend lacks.
import * as tf from '@tensorflow/tfjs';
import type { Prng } from '../../base/prng';

export interface AugmentParams {
  brightness: Float32Array; // added, U(-0.5, 0.5)
  saturation: Float32Array; // ×, U(0, 2)
  contrast: Float32Array; // ×, U(0.5, 1.5)
  shiftY: Int32Array; // pixels, |t| <= size/8
  shiftX: Int32Array;
  cutoutMask: Float32Array; // [B, size, size], 0 inside a size/2 square
}

export function drawAugmentParams(rng: Prng, batch: number, size: number): AugmentParams {
  const uniform = (lo: number, hi: number) => Float32Array.from({ length: batch }, () => lo + (hi - lo) * rng.next());
  const maxShift = Math.floor(size / 8);
  const shift = () => Int32Array.from({ length: batch }, () => rng.int(2 * maxShift + 1) - maxShift);
  const brightness = uniform(-0.5, 0.5);
  const saturation = uniform(0, 2);
  const contrast = uniform(0.5, 1.5);
  const shiftY = shift();
  const shiftX = shift();
  const cut = Math.floor(size / 2);
  const cutoutMask = new Float32Array(batch * size * size).fill(1);
  for (let b = 0; b < batch; b++) {
    const cy = rng.int(size + (1 - (cut % 2))) - Math.floor(cut / 2);
    const cx = rng.int(size + (1 - (cut % 2))) - Math.floor(cut / 2);
    for (let y = Math.max(0, cy); y < Math.min(size, cy + cut); y++) {
      for (let x = Math.max(0, cx); x < Math.min(size, cx + cut); x++) cutoutMask[(b * size + y) * size + x] = 0;
    }
  }
  return { brightness, saturation, contrast, shiftY, shiftX, cutoutMask };
}

/** [B, n, n] matrices S with (S·v)[i] = v[i − t] (zero where that falls outside). */
function shiftMatrices(shifts: Int32Array, n: number): tf.Tensor3D {
  const m = new Float32Array(shifts.length * n * n);
  shifts.forEach((t, b) => {
    for (let i = 0; i < n; i++) {
      const j = i - t;
      if (j >= 0 && j < n) m[(b * n + i) * n + j] = 1;
    }
  });
  return tf.tensor3d(m, [shifts.length, n, n]);
}

export function diffAugment(x: tf.Tensor4D, p: AugmentParams): tf.Tensor4D {
  return tf.tidy(() => {
    const [b, h, w, c] = x.shape;
    const col = (a: Float32Array) => tf.tensor4d(a, [b, 1, 1, 1]);
    // colour
    let y: tf.Tensor4D = tf.add(x, col(p.brightness));
    if (c > 1) {
      const mean = tf.mean(y, 3, true);
      y = tf.add(tf.mul(tf.sub(y, mean), col(p.saturation)), mean);
    }
    const mean = tf.mean(y, [1, 2, 3], true);
    y = tf.add(tf.mul(tf.sub(y, mean), col(p.contrast)), mean);
    // translation: rows, then columns
    const rows = tf.matMul(shiftMatrices(p.shiftY, h), y.reshape([b, h, w * c])).reshape([b, h, w, c]);
    const colsFirst = tf.transpose(rows, [0, 2, 1, 3]).reshape([b, w, h * c]);
    y = tf.transpose(tf.matMul(shiftMatrices(p.shiftX, w), colsFirst).reshape([b, w, h, c]), [0, 2, 1, 3]) as tf.Tensor4D;
    // cutout
    return tf.mul(y, tf.tensor4d(p.cutoutMask, [b, h, w, 1]));
  });
}
