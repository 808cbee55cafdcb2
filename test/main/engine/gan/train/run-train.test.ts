import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Method, toWireError } from '../../../../../shared/contract';
import { listCheckpoints } from '../../../../../main/engine/gan/run/checkpoint';
import { runTraining, type TrainRequest } from '../../../../../main/engine/gan/train/run-train';
import { readMetrics, readRunConfig, readRunState } from '../../../../../main/engine/gan/run/run-store';
import { fakeProject } from '../fake-project';
import { useBackend } from '../helpers';

beforeAll(() => useBackend('wasm'));

const tiny: Partial<TrainRequest> = { steps: 2, resolution: 16, ch: 4, batch: 8, seed: 3, logEvery: 1, gridEvery: 0, checkpointEvery: 100 };
const hooks = () => ({ control: { paused: false, stopped: false }, selectBackend: async () => tf.getBackend() });

describe('every preset trains two tiny steps', () => {
  const project = fakeProject({ stages: true });
  for (const method of Method.options) {
    it(method, async () => {
      const before = tf.memory().numTensors;
      const r = await runTraining(project, { ...tiny, method }, hooks());
      expect(r.step).toBe(2);
      expect(r.method).toBe(method);
      expect(r.backend).toBe('wasm');
      expect(r.img_per_s).toBeGreaterThan(0);
      for (const v of Object.values(r.losses)) expect(Number.isFinite(v)).toBe(true);
      const dir = join(project.dir, 'runs', r.run);
      const config = readRunConfig(dir);
      expect(config.gan.heads.rotation).toBe(method === 'clustering-ss' || method === 's2gan-ss' || method === 's3gan');
      expect(config.gan.heads.classifier).toBe(method === 's2gan-co' || method === 's3gan');
      expect('d_rot' in r.losses).toBe(config.gan.heads.rotation);
      expect('d_class' in r.losses).toBe(config.gan.heads.classifier);
      expect(config.gan.numClasses).toBe(method === 'single' ? 1 : method.startsWith('clustering') ? 4 : 3);
      expect(listCheckpoints(dir)).toEqual([2]);
      expect(readMetrics(dir).filter((row) => 'd_loss' in row).map((row) => row.step)).toEqual([1, 2]);
      // The final evaluation: what can be measured here (no features stage) — the co-training head's
      // accuracy against truth for the co-training presets — in the result and as eval_* columns.
      for (const v of Object.values(r.metrics ?? {})) expect(Number.isFinite(v)).toBe(true);
      expect(r.metrics !== undefined).toBe(config.gan.heads.classifier);
      if (r.metrics) expect(readMetrics(dir).some((row) => row.step === 2 && Object.keys(row).some((k) => k.startsWith('eval_')))).toBe(true);
      expect(readRunState(dir)?.state).toBe('done');
      expect(existsSync(join(dir, 'grids', 'step-000002.png'))).toBe(true);
      expect(JSON.parse(readFileSync(join(dir, 'export', 'model.json'), 'utf8')).format).toBe('graph-model');
      expect(tf.memory().numTensors).toBe(before);
    }, 120_000);
  }

  it('supervised trains on hand-labeled images only; --labels truth is a marked benchmark run', async () => {
    const sup = await runTraining(project, { ...tiny, method: 'supervised' }, hooks());
    const labels = JSON.parse(readFileSync(join(project.dir, 'runs', sup.run, 'labels.json'), 'utf8')) as { ids: string[] };
    expect(labels.ids.length).toBe(8); // every third of 24
    const truth = await runTraining(project, { ...tiny, method: 's3gan', labels: 'truth' }, hooks());
    expect(truth.benchmark).toBe(true);
    const config = readRunConfig(join(project.dir, 'runs', truth.run));
    expect(config).toMatchObject({ labels: 'truth', benchmark: true });
  }, 120_000);
});

describe('presets whose inputs are missing', () => {
  it('stop at start with STAGE_MISSING naming the command to run', async () => {
    const project = fakeProject();
    const cases: [Method, RegExp][] = [['clustering', /s3gan cluster/], ['clustering-ss', /s3gan cluster/], ['s2gan', /s3gan infer/]];
    for (const [method, hint] of cases) {
      const err = await runTraining(project, { ...tiny, method }, hooks()).then(() => null, (e: unknown) => toWireError(e));
      expect(err?.code, method).toBe('STAGE_MISSING');
      expect(err?.message).toMatch(hint);
    }
    expect(existsSync(join(project.dir, 'runs'))).toBe(false);
  });
});
