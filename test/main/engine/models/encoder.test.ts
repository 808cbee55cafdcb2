import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../../main/engine/backend/index';
import {
  addClassifierHead, createEncoder, disposeEncoderState, embeddingDim, encodeEmbedding, encodeFeatures, headClasses, headLogits, type EncoderConfig,
} from '../../../../main/engine/models/encoder';
import { batchNorm } from '../../../../main/engine/models/layers-batchnorm';

const config: EncoderConfig = { resolution: 8, channels: 3, width: 4, depth: 2, featureDim: 12, seed: 5 };

describe('encoder builder', () => {
  beforeAll(async () => {
    await selectBackend({ prefer: 'wasm' });
  });
  afterEach(() => {
    expect(tf.memory().numTensors).toBe(0);
  });

  it('builds trunk and heads with shapes that follow the config', () => {
    const state = createEncoder(config);
    expect(state.trainable.get('stem/conv')!.shape).toEqual([3, 3, 3, 4]);
    expect(state.trainable.get('s2b1/conv2')!.shape).toEqual([3, 3, 16, 16]);
    expect(state.trainable.get('embed/w')!.shape).toEqual([16 * 4, 12]); // 2×2 grid of the 2×2 last map
    expect(headClasses(state, 'rotation')).toBe(4);
    expect(headClasses(state, 'classifier')).toBe(0);
    addClassifierHead(state, 7);
    expect(headClasses(state, 'classifier')).toBe(7);
    tf.tidy(() => {
      const x = tf.zeros([5, 8, 8, 3]) as tf.Tensor4D;
      const f = encodeFeatures(state, x, null);
      expect(f.shape).toEqual([5, 12]);
      expect(headLogits(state, 'rotation', f).shape).toEqual([5, 4]);
      expect(headLogits(state, 'classifier', f).shape).toEqual([5, 7]);
    });
    disposeEncoderState(state);
  });

  it('embedding = [l2(penultimate), l2(pooled last-stage map)] / √2: unit norm, featureDim + channels·cells wide', () => {
    const state = createEncoder(config);
    expect(embeddingDim(config)).toBe(12 + 16 * 4);
    expect(embeddingDim({ ...config, poolGrid: 1 })).toBe(12 + 16);
    const x = tf.randomUniform([3, 8, 8, 3], -1, 1, 'float32', 1) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    const { features, embedding } = encodeEmbedding(state, x);
    expect(tf.memory().numTensors).toBe(before + 2);
    expect(embedding.shape).toEqual([3, embeddingDim(config)]);
    const e = embedding.arraySync();
    const f = tf.tidy(() => encodeFeatures(state, x, null).arraySync());
    expect(features.arraySync()).toEqual(f);
    for (let i = 0; i < 3; i++) {
      expect(Math.hypot(...e[i]!)).toBeCloseTo(1, 5);
      expect(Math.hypot(...e[i]!.slice(0, 12))).toBeCloseTo(Math.SQRT1_2, 5);
      const n = Math.hypot(...f[i]!);
      e[i]!.slice(0, 12).forEach((v, j) => expect(v).toBeCloseTo((f[i]![j]! / n) * Math.SQRT1_2, 5));
    }
    tf.dispose([x, features, embedding]);
    disposeEncoderState(state);
  });

  it('is a pure function of the config: same seed → same weights, other seed → different', () => {
    const a = createEncoder(config);
    const b = createEncoder(config);
    const c = createEncoder({ ...config, seed: 6 });
    const w = (s: typeof a) => Array.from(s.trainable.get('s0b0/conv1')!.dataSync());
    expect(w(a)).toEqual(w(b));
    expect(w(a)).not.toEqual(w(c));
    [a, b, c].forEach(disposeEncoderState);
  });

  it('rejects invalid configs', () => {
    expect(() => createEncoder({ ...config, width: 0 })).toThrow(/invalid encoder config/);
    expect(() => createEncoder({ ...config, channels: 2 as 1 })).toThrow(/invalid encoder config/);
  });

  it('training-mode batch norm gives the same values and gradients as tf.moments + tf.batchNorm', () => {
    // tidy releases the initial values; variables outlive it
    const vars = tf.tidy(() => ({
      gamma: tf.variable(tf.tensor1d([0.5, 2, -1])), beta: tf.variable(tf.tensor1d([0.1, 0, -0.3])),
      movingMean: tf.variable(tf.zeros([3]), false), movingVariance: tf.variable(tf.ones([3]), false),
    }));
    const x = tf.randomNormal([4, 5, 5, 3], 2, 3, 'float32', 9) as tf.Tensor4D;
    const up = tf.randomNormal([4, 5, 5, 3], 0, 1, 'float32', 10);
    const moments: { mean: tf.Tensor; variance: tf.Tensor }[] = [];
    const mine = tf.grads((xi: tf.Tensor, g: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(batchNorm(xi as tf.Tensor4D, { ...vars, gamma: g as tf.Variable, beta: b as tf.Variable }, moments as never), up)));
    const ref = tf.grads((xi: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
      const m = tf.moments(xi, [0, 1, 2]);
      return tf.sum(tf.mul(tf.batchNorm(xi, m.mean, m.variance, b, g, 1e-5), up));
    });
    const a = mine([x, vars.gamma, vars.beta]);
    const r = ref([x, vars.gamma, vars.beta]);
    for (let i = 0; i < 3; i++) {
      const err = tf.tidy(() => tf.max(tf.abs(tf.sub(a[i]!, r[i]!))).div(tf.max(tf.abs(r[i]!))).dataSync()[0]!);
      expect(err).toBeLessThan(1e-4);
    }
    const refMoments = tf.moments(x, [0, 1, 2]);
    expect(Array.from(moments[0]!.mean.dataSync()).map((v) => v.toFixed(3))).toEqual(Array.from(refMoments.mean.dataSync()).map((v) => v.toFixed(3)));
    tf.dispose([...a, ...r, x, up, refMoments.mean, refMoments.variance, ...Object.values(vars), ...moments.flatMap((m) => [m.mean, m.variance])]);
  });
});
