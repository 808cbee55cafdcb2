// Hinge GAN loss and the softmax cross-entropies of the auxiliary heads. LogSoftmax is composed by
// hand: tfjs-backend-wasm 4.22 has no LogSoftmax kernel.
import * as tf from '@tensorflow/tfjs';
import { oneHotRows } from '../../models/ops';

/** L_D = E[relu(1 − D(real))] + E[relu(1 + D(fake))]. */
export function hingeD(real: tf.Tensor1D, fake: tf.Tensor1D): { real: tf.Scalar; fake: tf.Scalar } {
  return { real: tf.mean(tf.relu(tf.sub(1, real))), fake: tf.mean(tf.relu(tf.add(1, fake))) };
}

/** L_G = −E[D(fake)]. */
export function hingeG(fake: tf.Tensor1D): tf.Scalar {
  return tf.neg(tf.mean(fake)) as tf.Scalar;
}

export function logSoftmax(logits: tf.Tensor2D): tf.Tensor2D {
  const max = tf.max(logits, 1, true);
  const shifted = tf.sub(logits, max);
  return tf.sub(shifted, tf.log(tf.sum(tf.exp(shifted), 1, true)));
}

/** Mean softmax cross-entropy of integer labels. */
export function softmaxCrossEntropy(logits: tf.Tensor2D, labels: Int32Array | number[]): tf.Scalar {
  const k = logits.shape[1];
  const onehot = oneHotRows(labels, k);
  return tf.neg(tf.mean(tf.sum(tf.mul(onehot, logSoftmax(logits)), 1))) as tf.Scalar;
}
