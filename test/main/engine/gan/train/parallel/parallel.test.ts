import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchSampler } from '../../../../../../main/engine/gan/train/batches';
import { createModels, disposeModels } from '../../../../../../main/engine/gan/train/models';
import { ParallelTrainer, WorkerCrashedError, type ParallelOptions } from '../../../../../../main/engine/gan/train/parallel/trainer';
import { discriminatorStep, generatorStep, DEFAULT_STEP, type GanModels, type Losses } from '../../../../../../main/engine/gan/train/step';
import type { BnStats } from '../../../../../../main/engine/models/cbn';
import { generate } from '../../../../../../main/engine/models/generator';
import { oneHotRows } from '../../../../../../main/engine/models/ops';
import { stripes, tinyConfig, useBackend } from '../../helpers';

const cfg = tinyConfig({ resolution: 8, ch: 4, embedYDim: 4 });
const BATCH = 8;
const LABELED = 2;
const EMA = { decay: 0.99, start: 0 };
const opts = (over: Partial<ParallelOptions> = {}): ParallelOptions => ({
  workers: 2, backend: 'cpu', seed: 3, lrG: 2e-4, lrD: 4e-4, batch: BATCH, labeled: LABELED, weights: DEFAULT_STEP.weights, barrierTimeoutMs: 20_000, ...over,
});
const fresh = () => createModels(cfg, { seed: 3, lrG: 2e-4, lrD: 4e-4 });

/** Frozen G batch-norm statistics, collected once over some latents (so shards see the same BN). */
function frozenStats(m: GanModels): BnStats {
  const stats: BnStats = new Map();
  const s = new BatchSampler(stripes(8, 8), 9).fake(16, cfg.zDim);
  tf.tidy(() => { generate(cfg, m.g, tf.tensor2d(s.z, [16, cfg.zDim]), oneHotRows(s.labels, cfg.numClasses), { kind: 'collect', stats }); });
  return stats;
}

function copyGrads(g: Record<string, tf.Tensor>): Record<string, Float32Array> {
  return Object.fromEntries(Object.entries(g).map(([k, v]) => [k, Float32Array.from(v.dataSync())]));
}

function expectClose(a: Record<string, Float32Array>, b: Record<string, Float32Array>): void {
  expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort());
  for (const k of Object.keys(a)) {
    const [x, y] = [a[k]!, b[k]!];
    const scale = Math.max(1e-3, ...Array.from(y, Math.abs));
    const diff = Math.max(...Array.from(x, (v, i) => Math.abs(v - y[i]!)));
    expect(diff / scale, k).toBeLessThan(1e-5);
  }
}

function expectLossesClose(a: Losses, b: Losses): void {
  expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort());
  for (const k of Object.keys(a)) expect(Math.abs(a[k]! - b[k]!), k).toBeLessThan(1e-5 * Math.max(1, Math.abs(b[k]!)));
}

beforeAll(() => useBackend('cpu'));

describe('data-parallel training (2 ranks, cpu backend)', () => {
  let single: GanModels;
  let par: GanModels;
  let pt: ParallelTrainer;
  const seen: { g: Record<string, Float32Array>[]; d: Record<string, Float32Array>[] } = { g: [], d: [] };
  afterAll(async () => {
    await pt?.close();
    disposeModels(single);
    disposeModels(par);
  });

  it('a D and a G update equal the single-worker step on the same full batch (G BN frozen), ranks stay identical', async () => {
    single = fresh();
    par = fresh();
    const stats = frozenStats(single);
    single.gBn = { kind: 'standing', stats };
    const singleGrads: typeof seen = { g: [], d: [] };
    for (const which of ['g', 'd'] as const) {
      const opt = which === 'g' ? single.optG : single.optD;
      const apply = opt.apply.bind(opt);
      opt.apply = (w, g) => { singleGrads[which].push(copyGrads(g)); apply(w, g); };
    }
    pt = await ParallelTrainer.start(par, opts({ gBnStats: stats, onAveraged: (net, g) => seen[net].push(copyGrads(g)) }));
    const sampler = new BatchSampler(stripes(24, 8), 5);
    const real = sampler.real(BATCH, LABELED);
    const fake = sampler.fake(BATCH, cfg.zDim);
    expect(real.labels.slice(0, LABELED).every((l) => l >= 0)).toBe(true);
    const d1 = discriminatorStep(single, DEFAULT_STEP, { real, fake });
    const d2 = await pt.discriminatorStep({ real, fake });
    expectLossesClose(d2, d1);
    expectClose(seen.d[0]!, singleGrads.d[0]!);
    const gFake = sampler.fake(BATCH, cfg.zDim);
    const g1 = generatorStep(single, DEFAULT_STEP, { fake: gFake, step: 1, ema: EMA });
    const g2 = await pt.generatorStep({ fake: gFake, step: 1, ema: EMA });
    expectLossesClose(g2, g1);
    expectClose(seen.g[0]!, singleGrads.g[0]!);
    const sums = await pt.checksums();
    expect(sums).toHaveLength(2);
    expect(sums[1]).toBe(sums[0]);
  });

});

describe('--rotated-fraction reaches every step, on one rank and on two', () => {
  const half = { ...DEFAULT_STEP.weights, rotatedFraction: 0.5 };
  const rotCfg = { ...cfg, heads: { ...cfg.heads, rotation: true } };
  const models = () => createModels(rotCfg, { seed: 3, lrG: 2e-4, lrD: 4e-4 });
  const batchOf = () => {
    const sampler = new BatchSampler(stripes(24, 8), 5);
    return { real: sampler.real(BATCH, LABELED), fake: sampler.fake(BATCH, rotCfg.zDim), gFake: sampler.fake(BATCH, rotCfg.zDim) };
  };

  it('0.5 vs the default 0.25 on the same seed gives different rotation losses; 1 vs 2 ranks agree to 1e-5 (G BN frozen)', async () => {
    expect(DEFAULT_STEP.weights.rotatedFraction).toBe(0.25);
    const run = async (weights: typeof half, workers: number): Promise<Losses> => {
      const m = models();
      const stats = frozenStats(m);
      const { real, fake, gFake } = batchOf();
      try {
        if (workers === 1) {
          m.gBn = { kind: 'standing', stats };
          const d = discriminatorStep(m, { weights }, { real, fake });
          const g = generatorStep(m, { weights }, { fake: gFake, step: 1, ema: EMA });
          return { ...d, ...g };
        }
        const t = await ParallelTrainer.start(m, opts({ gBnStats: stats, weights }));
        try {
          return { ...(await t.discriminatorStep({ real, fake })), ...(await t.generatorStep({ fake: gFake, step: 1, ema: EMA })) };
        } finally {
          await t.close();
        }
      } finally {
        disposeModels(m);
      }
    };
    const [def1, half1, def2, half2] = [await run(DEFAULT_STEP.weights, 1), await run(half, 1), await run(DEFAULT_STEP.weights, 2), await run(half, 2)];
    for (const k of ['d_rot', 'g_rot']) {
      expect(Math.abs(half1[k]! - def1[k]!), `${k}, one rank`).toBeGreaterThan(1e-4);
      expect(Math.abs(half2[k]! - def2[k]!), `${k}, two ranks`).toBeGreaterThan(1e-4);
    }
    expectLossesClose(half2, half1);
    expectLossesClose(def2, def1);
  }, 60_000);
});

describe('data-parallel training over 200 updates (100 D + 100 G, 2 ranks, wasm backend)', () => {
  it('no tensor growth on any rank, ranks still identical', async () => {
    await useBackend('wasm');
    const small = tinyConfig({ resolution: 8, ch: 2, embedYDim: 4 });
    const m = createModels(small, { seed: 4, lrG: 2e-4, lrD: 4e-4 });
    const pt = await ParallelTrainer.start(m, opts({ backend: 'wasm', batch: 4, weights: { ...DEFAULT_STEP.weights, rotatedFraction: 0.5 } }));
    try {
      const sampler = new BatchSampler(stripes(24, 8), 6);
      const step = async (i: number) => {
        await pt.discriminatorStep({ real: sampler.real(4, LABELED), fake: sampler.fake(4, small.zDim) });
        await pt.generatorStep({ fake: sampler.fake(4, small.zDim), step: i, ema: EMA });
      };
      await step(1);
      const before = [tf.memory().numTensors, ...(await pt.workerTensors())];
      for (let i = 2; i <= 101; i++) await step(i);
      expect([tf.memory().numTensors, ...(await pt.workerTensors())]).toEqual(before);
      const sums = await pt.checksums();
      expect(sums[1]).toBe(sums[0]);
      expect(sums[0]).toMatch(/:101:101$/); // 100 + 1 Adam updates of G and of D on every rank
    } finally {
      await pt.close();
      disposeModels(m);
      await useBackend('cpu');
    }
  });
});

describe('data-parallel failures', () => {
  for (const how of ['throw', 'exit'] as const) {
    it(`a worker that ${how === 'throw' ? 'throws' : 'exits'} mid-step surfaces as a clear error`, async () => {
      const m = fresh();
      const pt = await ParallelTrainer.start(m, opts());
      try {
        const sampler = new BatchSampler(stripes(24, 8), 7);
        pt.injectCrash(1, how);
        const err = await pt.discriminatorStep({ real: sampler.real(BATCH, LABELED), fake: sampler.fake(BATCH, cfg.zDim) }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(WorkerCrashedError);
        expect((err as Error).message).toMatch(how === 'throw' ? /worker 1 crashed: .*crash requested by test/ : /worker 1 crashed: exited with code 7/);
        await expect(pt.generatorStep({ fake: sampler.fake(BATCH, cfg.zDim), step: 1, ema: EMA })).rejects.toThrow(/worker 1 crashed/);
      } finally {
        await pt.close();
        disposeModels(m);
      }
    });
  }

  it('refuses a batch that does not split evenly', () => {
    const m = fresh();
    try {
      return expect(ParallelTrainer.start(m, opts({ workers: 3 }))).rejects.toThrow(/not divisible by 3 workers/);
    } finally {
      disposeModels(m);
    }
  });
});
