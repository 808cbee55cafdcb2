import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Prng } from '../../../../main/engine/base/prng';
import { addGlorot, emptyNet, param, refreshSpectralNorms } from '../../../../main/engine/models/ops';
import { snSigma } from '../../../../main/engine/models/sn';
import { useBackend } from '../gan/helpers';

beforeAll(() => useBackend('wasm'));

/** Largest singular value by many power iterations in float64 (the reference). */
function topSingularValue(m: Float32Array, rows: number, cols: number): number {
  let v = Array.from({ length: cols }, (_, i) => 1 + i / cols);
  let s = 0;
  for (let it = 0; it < 500; it++) {
    const u = Array.from({ length: rows }, (_, r) => v.reduce((a, vc, c) => a + m[r * cols + c]! * vc, 0));
    const w = Array.from({ length: cols }, (_, c) => u.reduce((a, ur, r) => a + m[r * cols + c]! * ur, 0));
    s = Math.sqrt(Math.hypot(...w));
    const n = Math.hypot(...w);
    v = w.map((x) => x / n);
  }
  return s;
}

describe('spectral norm', () => {
  it('bounds the top singular value of a conv kernel and a matrix at 1', () => {
    const net = emptyNet();
    const rng = new Prng(5);
    addGlorot(net, rng, 'conv.w', [3, 3, 4, 6], { sn: true });
    addGlorot(net, rng, 'fc.w', [12, 7], { sn: true });
    tf.tidy(() => {
      net.weights['conv.w']!.assign(tf.mul(net.weights['conv.w']!, 25)); // far from 1 before normalising
    });
    const raw = topSingularValue(net.weights['conv.w']!.dataSync() as Float32Array, 36, 6);
    expect(raw).toBeGreaterThan(5);
    for (let i = 0; i < 40; i++) refreshSpectralNorms(net);
    for (const [name, rows, cols] of [['conv.w', 36, 6], ['fc.w', 12, 7]] as const) {
      const normalised = tf.tidy(() => param(net, name).dataSync() as Float32Array);
      const top = topSingularValue(normalised, rows, cols);
      expect(top, name).toBeLessThan(1.01);
      expect(top, name).toBeGreaterThan(0.99);
    }
    // One power iteration per step: the estimate never exceeds the true σ (so W/σ̂ can only be >= 1 early on).
    const sigma = tf.tidy(() => snSigma(net.weights['conv.w']!, net.sn['conv.w']!).dataSync()[0]!);
    expect(sigma).toBeLessThanOrEqual(raw * 1.0001);
  });
});
