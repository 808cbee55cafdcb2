// Rotation self-supervision (Chen et al. 2019, as in compare_gan's S3GAN): the last `n` images of a
// batch are also shown rotated by 90/180/270°; the head must tell which rotation (0 for the originals).
import * as tf from '@tensorflow/tfjs';

/** Rotates NHWC images by k·90° (k = 1, 2, 3); differentiable (transpose + reverse). */
export function rot90(x: tf.Tensor4D, k: 1 | 2 | 3): tf.Tensor4D {
  if (k === 2) return tf.reverse(x, [1, 2]);
  const t = tf.transpose(x, [0, 2, 1, 3]);
  return tf.reverse(t, k === 1 ? [1] : [2]);
}

/** How many images per batch are rotated: a fraction of the batch, at least one. */
export function rotatedCount(batch: number, fraction: number): number {
  return Math.max(1, Math.min(batch, Math.round(batch * fraction)));
}

/** [last n originals, their 90°, 180°, 270° versions] and labels [0…0, 1…1, 2…2, 3…3]. */
export function rotationBatch(x: tf.Tensor4D, n: number): { images: tf.Tensor4D; labels: Int32Array } {
  const tail = tf.slice(x, [x.shape[0] - n, 0, 0, 0], [n, -1, -1, -1]);
  const images = tf.concat([tail, rot90(tail, 1), rot90(tail, 2), rot90(tail, 3)], 0);
  const labels = new Int32Array(4 * n);
  for (let r = 0; r < 4; r++) labels.fill(r, r * n, (r + 1) * n);
  return { images, labels };
}
