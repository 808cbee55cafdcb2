// Batch normalisation from raw variables (no tf.layers, so the encoder stays backend-agnostic and
// serialises as plain named weights).
// Train mode: normalise with the batch's own mean/variance (gradients flow through them) and report
// those moments so the caller can fold them into the running averages AFTER the gradient step.
// Eval mode: normalise with the running averages, so an image's embedding never depends on which
// other images share its batch.
import * as tf from '@tensorflow/tfjs';

export const BN_EPSILON = 1e-5;
/** Running average keeps this fraction of the old value per step. */
export const BN_MOMENTUM = 0.9;

export interface BatchNormVars {
  gamma: tf.Variable;
  beta: tf.Variable;
  movingMean: tf.Variable;
  movingVariance: tf.Variable;
}

/** Batch moments recorded during a training forward pass (owned by the caller). */
export interface BatchMoments {
  vars: BatchNormVars;
  mean: tf.Tensor1D;
  variance: tf.Tensor1D;
}

/**
 * Synchronised batch norm of data-parallel ranks: given this rank's per-channel means over its own rows,
 * returns the means over every rank's rows (weighted by their row counts), so each rank normalises with
 * the full batch's statistics. Every rank calls it in the same order: per layer [mean x, mean x²] going
 * forward, [mean dy, mean dy·x̂] going back. Absent on one thread.
 */
export type BatchSync = (localMeans: tf.Tensor1D[]) => tf.Tensor1D[];

export function batchNorm(x: tf.Tensor4D | tf.Tensor2D, v: BatchNormVars, record: BatchMoments[] | null, sync?: BatchSync): tf.Tensor {
  if (!record) {
    return tf.batchNorm(x, v.movingMean, v.movingVariance, v.beta, v.gamma, BN_EPSILON);
  }
  const x4 = (x.rank === 4 ? x : tf.reshape(x, [x.shape[0], 1, 1, x.shape[1]!])) as tf.Tensor4D;
  const y = trainingBatchNorm(x4, v.gamma as tf.Tensor1D, v.beta as tf.Tensor1D, (mean, variance) =>
    record.push({ vars: v, mean: tf.keep(mean), variance: tf.keep(variance) }), sync);
  return x.rank === 4 ? y : tf.reshape(y, x.shape);
}

/**
 * Per-channel mean over batch and space of x [B, H, W, C] as [C]. An average pool over the whole
 * image (XNNPACK) and then a small mean over B: on wasm this is several times faster than a
 * reduction over leading axes (tfjs transposes those) or a ones·X matmul (repacks X every call).
 */
function channelMean(x: tf.Tensor4D): tf.Tensor1D {
  const [b, h, w, c] = x.shape;
  const pooled = h * w > 1 ? tf.avgPool(x, [h, w], 1, 'valid') : x;
  return tf.mean(tf.reshape(pooled, [b, c]), 0) as tf.Tensor1D;
}

/** a·x + b per channel through the native FusedBatchNorm kernel (mean 0, variance 1 − ε): wasm's
 *  broadcasting Mul/Add are ~10× slower than same-shape ones for few channels. */
function affine(x: tf.Tensor4D, scale: tf.Tensor1D, offset: tf.Tensor1D | null): tf.Tensor4D {
  const c = x.shape[3];
  return tf.batchNorm(x, tf.zeros([c]) as tf.Tensor1D, tf.fill([c], 1 - BN_EPSILON) as tf.Tensor1D, offset ?? undefined, scale, BN_EPSILON);
}

/**
 * Training-mode batch norm of x [B, H, W, C] with a hand-written gradient. tfjs's own FusedBatchNorm
 * gradient reduces with Tile/Sum over leading axes: measured as ~1/3 of a wasm training step.
 * With x̂ = (x − μ)/σ:  dγ = Σ dy·x̂,  dβ = Σ dy,  dx = (γ/σ)·(dy − x̂·dγ/N − dβ/N).
 */
function trainingBatchNorm(x: tf.Tensor4D, gamma: tf.Tensor1D, beta: tf.Tensor1D, onMoments: (mean: tf.Tensor1D, variance: tf.Tensor1D) => void, sync?: BatchSync): tf.Tensor4D {
  const f = tf.customGrad((xIn, gIn, bIn, save) => {
    const [xs, g, b] = [xIn as tf.Tensor4D, gIn as tf.Tensor1D, bIn as tf.Tensor1D];
    let mean = channelMean(xs);
    let meanSquare = channelMean(tf.square(xs) as tf.Tensor4D);
    if (sync) [mean, meanSquare] = sync([mean, meanSquare]) as [tf.Tensor1D, tf.Tensor1D];
    const variance = tf.relu(tf.sub(meanSquare, tf.square(mean))) as tf.Tensor1D;
    const xhat = tf.batchNorm(xs, mean, variance, undefined, undefined, BN_EPSILON) as tf.Tensor4D;
    const invStd = tf.rsqrt(tf.add(variance, BN_EPSILON)) as tf.Tensor1D;
    onMoments(mean, variance);
    (save as unknown as (saved: tf.Tensor[]) => void)([xhat, invStd, g]);
    return {
      value: affine(xhat, g, b),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sInv, sg] = saved as [tf.Tensor4D, tf.Tensor1D, tf.Tensor1D];
        const d = dy as tf.Tensor4D;
        const dBetaMean = channelMean(d); // dβ / N
        const dGammaMean = channelMean(tf.mul(d, sx) as tf.Tensor4D); // dγ / N
        const n = d.size / d.shape[3];
        // dx needs the means over the whole batch; dγ, dβ stay this rank's sums (averaged with the other gradients)
        const [dB, dG] = sync ? sync([dBetaMean, dGammaMean]) as [tf.Tensor1D, tf.Tensor1D] : [dBetaMean, dGammaMean];
        const inner = tf.add(d, affine(sx, tf.neg(dG), tf.neg(dB))) as tf.Tensor4D;
        const dx = affine(inner, tf.mul(sg, sInv) as tf.Tensor1D, null);
        return [dx, tf.mul(dGammaMean, n), tf.mul(dBetaMean, n)];
      },
    };
  });
  return f(x, gamma, beta) as tf.Tensor4D;
}

/**
 * x̂ = (x − μ)/√(σ² + ε) over batch and space of x [B, H, W, C], with the same hand-written gradient
 * dx = (dy − mean(dy) − x̂·mean(dy·x̂))/σ — for G's conditional BN, whose per-sample scale/shift is
 * applied afterwards (autodiff there is cheap). tf.moments + autodiff cost ~8.5% of a wasm GAN step.
 */
export function normalizeBatch(x: tf.Tensor4D, epsilon: number, onMoments?: (mean: tf.Tensor1D, variance: tf.Tensor1D) => void): tf.Tensor4D {
  const f = tf.customGrad((xIn, save) => {
    const xs = xIn as tf.Tensor4D;
    const mean = channelMean(xs);
    const variance = tf.relu(tf.sub(channelMean(tf.square(xs) as tf.Tensor4D), tf.square(mean))) as tf.Tensor1D;
    const xhat = tf.batchNorm(xs, mean, variance, undefined, undefined, epsilon) as tf.Tensor4D;
    onMoments?.(mean, variance);
    (save as unknown as (saved: tf.Tensor[]) => void)([xhat, tf.rsqrt(tf.add(variance, epsilon))]);
    return {
      value: xhat,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sInv] = saved as [tf.Tensor4D, tf.Tensor1D];
        const d = dy as tf.Tensor4D;
        const inner = tf.add(d, affine(sx, tf.neg(channelMean(tf.mul(d, sx) as tf.Tensor4D)), tf.neg(channelMean(d)))) as tf.Tensor4D;
        return affine(inner, sInv, null);
      },
    };
  });
  return f(x) as tf.Tensor4D;
}

/** Folds recorded batch moments into the running averages and releases them. */
export function applyBatchMoments(moments: BatchMoments[], momentum = BN_MOMENTUM): void {
  tf.tidy(() => {
    for (const m of moments) {
      m.vars.movingMean.assign(m.vars.movingMean.mul(momentum).add(m.mean.mul(1 - momentum)));
      m.vars.movingVariance.assign(m.vars.movingVariance.mul(momentum).add(m.variance.mul(1 - momentum)));
    }
  });
  for (const m of moments) tf.dispose([m.mean, m.variance]);
  moments.length = 0;
}
