import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchSampler } from '../../../../../main/engine/gan/train/batches';
import { createModels, disposeModels } from '../../../../../main/engine/gan/train/models';
import { discriminatorStep, generatorStep, DEFAULT_STEP, type GanModels } from '../../../../../main/engine/gan/train/step';
import { stripes, tinyConfig, useBackend } from '../helpers';

let m: GanModels;
beforeAll(async () => {
  await useBackend('wasm');
  m = createModels(tinyConfig(), { seed: 1, lrG: 2e-4, lrD: 4e-4 });
});
afterAll(() => disposeModels(m));

const snapshot = (vars: Record<string, tf.Variable>) => Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, Float32Array.from(v.dataSync())]));
const changed = (before: Record<string, Float32Array>, vars: Record<string, tf.Variable>) =>
  Object.keys(before).filter((k) => vars[k]!.dataSync().some((x, i) => x !== before[k]![i]));

describe('one S³GAN step', () => {
  it('a D step changes D (not G) and reports every loss term of the heads, all finite', () => {
    const data = stripes(24, 16);
    const sampler = new BatchSampler(data, 1);
    const d0 = snapshot(m.d.weights);
    const g0 = snapshot(m.g.weights);
    const losses = discriminatorStep(m, DEFAULT_STEP, { real: sampler.real(8, 2), fake: sampler.fake(8, m.cfg.zDim) });
    expect(Object.keys(losses).sort()).toEqual(['d_class', 'd_fake', 'd_loss', 'd_real', 'd_rot']);
    for (const v of Object.values(losses)) expect(Number.isFinite(v)).toBe(true);
    expect(losses.d_loss).toBeCloseTo(losses.d_real! + losses.d_fake! + losses.d_class! + losses.d_rot!, 4);
    expect(changed(d0, m.d.weights).length).toBe(Object.keys(d0).length);
    expect(changed(g0, m.g.weights)).toEqual([]);
  });

  it('a G step changes G, leaves D alone, and moves the EMA copy', () => {
    const sampler = new BatchSampler(stripes(24, 16), 2);
    const d0 = snapshot(m.d.weights);
    const g0 = snapshot(m.g.weights);
    const e0 = snapshot(m.gEma.weights);
    const losses = generatorStep(m, DEFAULT_STEP, { fake: sampler.fake(8, m.cfg.zDim), step: 1, ema: { decay: 0.9, start: 0 } });
    expect(Object.keys(losses).sort()).toEqual(['g_adv', 'g_loss', 'g_rot']);
    expect(losses.g_loss).toBeCloseTo(losses.g_adv! + 0.2 * losses.g_rot!, 4);
    expect(changed(g0, m.g.weights).length).toBe(Object.keys(g0).length);
    expect(changed(d0, m.d.weights)).toEqual([]);
    expect(changed(e0, m.gEma.weights).length).toBe(Object.keys(e0).length);
    // EMA after one update from the initial copy: e = 0.9·e0 + 0.1·g
    const k = 'final_conv.w';
    const g = m.g.weights[k]!.dataSync();
    m.gEma.weights[k]!.dataSync().forEach((e, i) => expect(e).toBeCloseTo(0.9 * e0[k]![i]! + 0.1 * g[i]!, 5));
  });

  it('without a labeled sub-batch there is no classifier loss (CE is never over an empty set)', () => {
    const data = { ...stripes(12, 16), labeledPool: new Int32Array(0) };
    const sampler = new BatchSampler(data, 3);
    const real = sampler.real(8, 2);
    expect(real.labeled).toBe(0);
    const losses = discriminatorStep(m, DEFAULT_STEP, { real, fake: sampler.fake(8, m.cfg.zDim) });
    expect(losses.d_class).toBeUndefined();
  });
});

describe('training memory', () => {
  it('does not grow the tensor count over 200 tiny steps', () => {
    const tiny = createModels(tinyConfig({ resolution: 8, ch: 2, embedYDim: 4 }), { seed: 4, lrG: 2e-4, lrD: 4e-4 });
    const sampler = new BatchSampler(stripes(16, 8), 4);
    const run = (step: number) => {
      discriminatorStep(tiny, DEFAULT_STEP, { real: sampler.real(4, 1), fake: sampler.fake(4, tiny.cfg.zDim) });
      generatorStep(tiny, DEFAULT_STEP, { fake: sampler.fake(4, tiny.cfg.zDim), step, ema: { decay: 0.99, start: 10 } });
    };
    run(1);
    const before = tf.memory().numTensors;
    for (let s = 2; s <= 200; s++) run(s);
    expect(tf.memory().numTensors).toBe(before);
    disposeModels(tiny);
  }, 240_000);
});
