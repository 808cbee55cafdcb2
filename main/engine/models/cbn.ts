// Batch normalisation for G: class-conditional (BigGAN) and plain. gamma = 1 + linear(cond) so a fresh
// layer is the identity scale — compare_gan's conditional_batch_norm omits the +1 (its issue #54).
// Statistics come from the current batch while training; sampling from the EMA generator uses
// "standing" statistics collected over many latents so an image does not depend on its batch mates.
import * as tf from '@tensorflow/tfjs';
import type { Prng } from '../base/prng';
import { normalizeBatch } from './layers-batchnorm';
import { addConstant, addLinear, linear, type Net } from './ops';

const EPS = 1e-4;

/** Per-layer mean/variance, as plain arrays (small, and easy to average and serialise). */
export type BnStats = Map<string, { mean: Float32Array; variance: Float32Array; count: number }>;

export type BnMode =
  | { kind: 'batch' } // training: batch statistics
  | { kind: 'collect'; stats: BnStats } // batch statistics, and accumulate them into `stats`
  | { kind: 'standing'; stats: BnStats }; // fixed, previously collected statistics

export const BATCH_STATS: BnMode = { kind: 'batch' };

function normalize(name: string, x: tf.Tensor4D, mode: BnMode): tf.Tensor4D {
  if (mode.kind === 'standing') {
    const s = mode.stats.get(name);
    if (!s) throw new Error(`No standing statistics for ${name}`);
    const mean = tf.tensor1d(s.mean.map((m) => m / s.count));
    const variance = tf.tensor1d(s.variance.map((v) => v / s.count));
    return tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, EPS)));
  }
  const collect = mode.kind === 'collect'
    ? (mean: tf.Tensor1D, variance: tf.Tensor1D) => accumulate(mode.stats, name, mean.dataSync() as Float32Array, variance.dataSync() as Float32Array)
    : undefined;
  return normalizeBatch(x, EPS, collect);
}

function accumulate(stats: BnStats, name: string, mean: Float32Array, variance: Float32Array): void {
  const s = stats.get(name) ?? { mean: new Float32Array(mean.length), variance: new Float32Array(mean.length), count: 0 };
  for (let i = 0; i < mean.length; i++) {
    s.mean[i]! += mean[i]!;
    s.variance[i]! += variance[i]!;
  }
  s.count += 1;
  stats.set(name, s);
}

/** Registers gamma/beta projections of the conditioning vector for `channels` feature maps. */
export function addConditionalBn(net: Net, rng: Prng, name: string, condDim: number, channels: number): void {
  // No bias: gamma's bias would duplicate the +1, beta's is the next conv's bias.
  addLinear(net, rng, `${name}.gamma`, condDim, channels, { sn: false, bias: false });
  addLinear(net, rng, `${name}.beta`, condDim, channels, { sn: false, bias: false });
}

/** x̂ · (1 + cond·Wγ) + cond·Wβ, per sample. */
export function conditionalBn(net: Net, name: string, x: tf.Tensor4D, cond: tf.Tensor2D, mode: BnMode): tf.Tensor4D {
  const c = x.shape[3];
  const gamma = tf.add(1, linear(net, `${name}.gamma`, cond)).reshape([-1, 1, 1, c]);
  const beta = linear(net, `${name}.beta`, cond).reshape([-1, 1, 1, c]);
  return tf.add(tf.mul(normalize(name, x, mode), gamma), beta) as tf.Tensor4D;
}

export function addPlainBn(net: Net, name: string, channels: number): void {
  addConstant(net, `${name}.scale`, [channels], 1);
  addConstant(net, `${name}.offset`, [channels], 0);
}

export function plainBn(net: Net, name: string, x: tf.Tensor4D, mode: BnMode): tf.Tensor4D {
  return tf.add(tf.mul(normalize(name, x, mode), net.weights[`${name}.scale`]!), net.weights[`${name}.offset`]!) as tf.Tensor4D;
}
