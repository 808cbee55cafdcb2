// Spectral normalisation (Miyato et al. 2018) with one power iteration per update. u and v are state,
// not weights: they are refreshed outside the gradient tape (tfjs has no stop_gradient), kept in
// non-trainable variables and checkpointed, so σ(W) = v·W·uᵀ is a constant-vector product inside the tape.
import * as tf from '@tensorflow/tfjs';

export interface SnVectors {
  u: tf.Variable; // [1, out]
  v: tf.Variable; // [1, fanIn]
}

/** W of any rank as a matrix [fanIn, out] (conv kernels [kh, kw, in, out] flatten their first dims). */
export function asMatrix(w: tf.Tensor): tf.Tensor2D {
  const out = w.shape[w.shape.length - 1]!;
  return w.reshape([-1, out]);
}

function l2normalize(x: tf.Tensor2D): tf.Tensor2D {
  return tf.div(x, tf.add(tf.norm(x), 1e-12));
}

/** One power iteration: v ← normalize(u Wᵀ), u ← normalize(v W). Assigns u and v; no gradients. */
export function snRefresh(w: tf.Tensor, s: SnVectors): void {
  tf.tidy(() => {
    const m = asMatrix(w);
    const v = l2normalize(tf.matMul(s.u, m, false, true));
    const u = l2normalize(tf.matMul(v, m));
    s.v.assign(v);
    s.u.assign(u);
  });
}

/** σ(W) estimated with the stored vectors (differentiable in W only). */
export function snSigma(w: tf.Tensor, s: SnVectors): tf.Scalar {
  return tf.sum(tf.mul(tf.matMul(s.v, asMatrix(w)), s.u));
}

/** W / σ(W). */
export function snNormalize<T extends tf.Tensor>(w: T, s: SnVectors): T {
  return tf.div(w, snSigma(w, s)) as T;
}
