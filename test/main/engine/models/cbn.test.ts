import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Prng } from '../../../../main/engine/base/prng';
import { addConditionalBn, conditionalBn, BATCH_STATS, type BnStats } from '../../../../main/engine/models/cbn';
import { emptyNet } from '../../../../main/engine/models/ops';
import { normalizeBatch } from '../../../../main/engine/models/layers-batchnorm';
import { useBackend } from '../gan/helpers';

beforeAll(() => useBackend('wasm'));

describe('class-conditional batch norm', () => {
  it('scales by 1 + gamma(y): zero projections give the plain normalised input, not zeros', () => {
    const net = emptyNet();
    addConditionalBn(net, new Prng(1), 'bn', 3, 2);
    tf.tidy(() => {
      net.weights['bn.gamma.w']!.assign(tf.zeros([3, 2]));
      net.weights['bn.beta.w']!.assign(tf.zeros([3, 2]));
      const x = tf.randomNormal([4, 3, 3, 2], 5, 3, 'float32', 1) as tf.Tensor4D;
      const cond = tf.oneHot([0, 1, 2, 0], 3) as tf.Tensor2D;
      const out = conditionalBn(net, 'bn', x, cond, BATCH_STATS);
      const { mean, variance } = tf.moments(out, [0, 1, 2]);
      expect(Array.from(mean.dataSync()).every((m) => Math.abs(m) < 1e-4)).toBe(true);
      expect(Array.from(variance.dataSync()).every((v) => Math.abs(v - 1) < 1e-2)).toBe(true);
    });
  });

  it('applies gamma = 1 + W_gamma·y and beta = W_beta·y per sample', () => {
    const net = emptyNet();
    addConditionalBn(net, new Prng(1), 'bn', 2, 1);
    tf.tidy(() => {
      net.weights['bn.gamma.w']!.assign(tf.tensor2d([[0.5], [-0.25]]));
      net.weights['bn.beta.w']!.assign(tf.tensor2d([[2], [-1]]));
      const x = tf.tensor4d([1, 3, 5, 7], [4, 1, 1, 1]); // mean 4, var 5
      const cond = tf.oneHot([0, 0, 1, 1], 2) as tf.Tensor2D;
      const out = Array.from(conditionalBn(net, 'bn', x, cond, BATCH_STATS).dataSync());
      const xhat = [1, 3, 5, 7].map((v) => (v - 4) / Math.sqrt(5 + 1e-4));
      const expected = xhat.map((v, i) => (i < 2 ? v * 1.5 + 2 : v * 0.75 - 1));
      out.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 4));
    });
  });

  it('collects standing statistics and reuses them independent of the batch', () => {
    const net = emptyNet();
    addConditionalBn(net, new Prng(1), 'bn', 2, 1);
    const stats: BnStats = new Map();
    tf.tidy(() => {
      const cond = tf.oneHot([0, 1], 2) as tf.Tensor2D;
      conditionalBn(net, 'bn', tf.tensor4d([0, 4], [2, 1, 1, 1]), cond, { kind: 'collect', stats });
      conditionalBn(net, 'bn', tf.tensor4d([2, 6], [2, 1, 1, 1]), cond, { kind: 'collect', stats });
      const s = stats.get('bn')!;
      expect(s.count).toBe(2);
      expect(s.mean[0]! / s.count).toBeCloseTo(3, 5);
      const one = conditionalBn(net, 'bn', tf.tensor4d([3], [1, 1, 1, 1]), tf.oneHot([0], 2) as tf.Tensor2D, { kind: 'standing', stats });
      expect(Number.isFinite(one.dataSync()[0]!)).toBe(true);
    });
  });

  it('normalizes with a hand-written gradient equal to autodiff through tf.moments', () => {
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const x = tf.randomNormal([6, 4, 4, 5], 0.3, 2, 'float32', 11) as tf.Tensor4D;
      const w = tf.randomNormal([6, 4, 4, 5], 0, 1, 'float32', 12); // a loss that weights every output differently
      const reference = (t: tf.Tensor4D) => {
        const { mean, variance } = tf.moments(t, [0, 1, 2]);
        return tf.div(tf.sub(t, mean), tf.sqrt(tf.add(variance, 1e-4)));
      };
      const loss = (norm: (t: tf.Tensor4D) => tf.Tensor) => (t: tf.Tensor) => tf.sum(tf.mul(tf.square(norm(t as tf.Tensor4D)), w)) as tf.Scalar;
      const ours = (t: tf.Tensor4D) => normalizeBatch(t, 1e-4);
      expect(maxRelDiff(ours(x), reference(x))).toBeLessThan(1e-4);
      expect(maxRelDiff(tf.grad(loss(ours))(x), tf.grad(loss(reference))(x))).toBeLessThan(1e-3);
    });
    expect(tf.memory().numTensors).toBe(before);
  });
});

function maxRelDiff(a: tf.Tensor, b: tf.Tensor): number {
  const scale = Math.max(1e-6, tf.max(tf.abs(b)).dataSync()[0]!);
  return tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]! / scale;
}
