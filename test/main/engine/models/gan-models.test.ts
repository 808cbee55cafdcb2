import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Prng } from '../../../../main/engine/base/prng';
import { classifierLogits, createDiscriminator, discriminatorFeatures, realFakeLogits, rotationLogits } from '../../../../main/engine/models/discriminator';
import { defaultDCh, discriminatorChannels, generatorChannels, makeGanConfig, zChunks } from '../../../../main/engine/models/gan-config';
import { createGenerator, generate } from '../../../../main/engine/models/generator';
import { disposeNet } from '../../../../main/engine/models/ops';
import { tinyConfig, useBackend } from '../gan/helpers';

beforeAll(() => useBackend('wasm'));

describe('GAN model builders', () => {
  it('follow compare_gan resnet_biggan channel multipliers', () => {
    expect(generatorChannels({ resolution: 128, ch: 96 })).toEqual({ in: [1536, 1536, 768, 384, 192], out: [1536, 768, 384, 192, 96] });
    expect(discriminatorChannels({ resolution: 128, ch: 96, channels: 3 })).toEqual({ in: [3, 96, 192, 384, 768, 1536], out: [96, 192, 384, 768, 1536, 1536] });
    expect(generatorChannels({ resolution: 32, ch: 8 }).in).toEqual([32, 32, 32]);
    expect(zChunks({ resolution: 128, ch: 96, zDim: 120, hierarchicalZ: true })).toEqual([20, 20, 20, 20, 20, 20]);
    expect(zChunks({ resolution: 16, ch: 4, zDim: 31, hierarchicalZ: true })).toEqual([11, 10, 10]);
    expect(() => makeGanConfig({ resolution: 24, numClasses: 2 })).toThrow(/Unsupported resolution/);
  });

  for (const resolution of [16, 32]) {
    it(`gives every head its shape at ${resolution} px`, () => {
      const cfg = tinyConfig({ resolution, ch: 2, channels: 3, numClasses: 5 });
      const rng = new Prng(3);
      const g = createGenerator(cfg, rng);
      const d = createDiscriminator(cfg, rng);
      const before = tf.memory().numTensors;
      tf.tidy(() => {
        const z = tf.randomNormal([6, cfg.zDim]) as tf.Tensor2D;
        const y = tf.oneHot([0, 1, 2, 3, 4, 0], 5) as tf.Tensor2D;
        const x = generate(cfg, g, z, y);
        expect(x.shape).toEqual([6, resolution, resolution, 3]);
        const [lo, hi] = [x.min().dataSync()[0]!, x.max().dataSync()[0]!];
        expect(lo).toBeGreaterThanOrEqual(-1);
        expect(hi).toBeLessThanOrEqual(1);
        const h = discriminatorFeatures(cfg, d, x);
        expect(h.shape).toEqual([6, discriminatorChannels(cfg).out.at(-1)]);
        expect(realFakeLogits(d, h, y).shape).toEqual([6]);
        expect(rotationLogits(d, h).shape).toEqual([6, 4]);
        expect(classifierLogits(d, h).shape).toEqual([6, 5]);
      });
      expect(tf.memory().numTensors).toBe(before);
      disposeNet(g);
      disposeNet(d);
    });
  }

  it('puts spectral norm on every D weight matrix and omits heads the preset does not use', () => {
    const cfg = tinyConfig({ heads: { projection: true, rotation: false, classifier: false } });
    const d = createDiscriminator(cfg, new Prng(1));
    const matrices = Object.keys(d.weights).filter((n) => n.endsWith('.w'));
    expect(matrices.length).toBeGreaterThan(5);
    for (const n of matrices) expect(d.sn[n], n).toBeDefined();
    expect(Object.keys(d.weights).some((n) => n.startsWith('rotation') || n.startsWith('classifier'))).toBe(false);
    disposeNet(d);
  });

  it('is a pure function of (config, seed)', () => {
    const cfg = tinyConfig();
    const a = createGenerator(cfg, new Prng(9));
    const b = createGenerator(cfg, new Prng(9));
    for (const name of Object.keys(a.weights)) expect(Array.from(a.weights[name]!.dataSync())).toEqual(Array.from(b.weights[name]!.dataSync()));
    disposeNet(a);
    disposeNet(b);
  });

  it('feeds the class embedding to the seed layer (BigGAN-deep); configs saved without the flag build as before', () => {
    const on = tinyConfig({ resolution: 16, ch: 2, numClasses: 3 });
    expect(on.conditionSeed).toBe(true);
    const { conditionSeed: _dropped, ...legacy } = on; // a config.json written before the flag existed
    const g = createGenerator(on, new Prng(4));
    const old = createGenerator(legacy, new Prng(4));
    expect(g.weights['fc.w']!.shape).toEqual([zChunks(on)[0]! + on.embedYDim, 16 * generatorChannels(on).in[0]!]);
    expect(old.weights['fc.w']!.shape).toEqual([zChunks(on)[0]!, 16 * generatorChannels(on).in[0]!]);
    tf.tidy(() => {
      // Zero every cBN class projection: only the seed layer can still tell the classes apart.
      for (const [name, w] of Object.entries(g.weights)) if (/\.bn\d\.(gamma|beta)\.w$/.test(name)) w.assign(tf.zerosLike(w));
      const z = tf.randomNormal([2, on.zDim], 0, 1, 'float32', 5) as tf.Tensor2D;
      const diff = tf.mean(tf.abs(tf.sub(generate(on, g, z, tf.oneHot([0, 0], 3) as tf.Tensor2D), generate(on, g, z, tf.oneHot([1, 1], 3) as tf.Tensor2D))));
      expect(diff.dataSync()[0]).toBeGreaterThan(1e-3);
    });
    disposeNet(g);
    disposeNet(old);
  });

  it('widens only D with dCh; G and configs without dCh are unchanged', () => {
    const base = tinyConfig({ resolution: 16, ch: 2, numClasses: 3 });
    const wide = { ...base, dCh: 6 };
    expect(discriminatorChannels(wide)).toEqual({ in: [base.channels, 12, 12], out: [12, 12, 12] });
    expect(discriminatorChannels(base)).toEqual({ in: [base.channels, 4, 4], out: [4, 4, 4] });
    expect(generatorChannels(wide)).toEqual(generatorChannels(base));
    const d = createDiscriminator(wide, new Prng(2));
    tf.tidy(() => {
      const h = discriminatorFeatures(wide, d, tf.zeros([2, 16, 16, base.channels]) as tf.Tensor4D);
      expect(h.shape).toEqual([2, 12]);
    });
    disposeNet(d);
    expect(() => makeGanConfig({ resolution: 16, numClasses: 2, dCh: 0 })).toThrow(/dCh must be a positive integer/);
  });

  it('defaults D as wide as G at its widest (twice ch at ≤ 32 px, where D multipliers are half of G’s)', () => {
    for (const [resolution, ch] of [[8, 4], [16, 8], [32, 8], [64, 32], [128, 64]] as const) {
      const cfg = { resolution, ch, dCh: defaultDCh(resolution, ch), channels: 3 as const };
      expect(Math.max(...discriminatorChannels(cfg).out)).toBe(Math.max(...generatorChannels(cfg).in));
    }
    expect(defaultDCh(16, 8)).toBe(16);
    expect(defaultDCh(128, 96)).toBe(96);
  });
});
