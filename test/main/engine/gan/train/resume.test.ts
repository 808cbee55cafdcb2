import { readdirSync } from 'node:fs';
import { loadTrainingCheckpoint } from '../../../../../main/engine/gan/train/checkpoint-state';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toWireError } from '../../../../../shared/contract';
import { BatchSampler } from '../../../../../main/engine/gan/train/batches';
import { checkpointPath, } from '../../../../../main/engine/gan/run/checkpoint';
import { runTraining, type TrainRequest } from '../../../../../main/engine/gan/train/run-train';
import { readMetrics, readRunState } from '../../../../../main/engine/gan/run/run-store';
import { fakeProject } from '../fake-project';
import { useBackend } from '../helpers';

// The reference backend: exact resume is asserted bit-for-bit on cpu, as the issue asks.
beforeAll(() => useBackend('cpu'));
afterAll(() => useBackend('wasm'));

const base: TrainRequest = { method: 's3gan', resolution: 8, ch: 2, batch: 4, dSteps: 1, seed: 11, logEvery: 1, gridEvery: 0, checkpointEvery: 100, emaStart: 1, diffaug: true };
const hooks = () => ({ control: { paused: false, stopped: false }, selectBackend: async () => tf.getBackend() });

function arrays(project: string, run: string, step: number) {
  return loadTrainingCheckpoint(checkpointPath(join(project, 'runs', run), step));
}

describe('resume', () => {
  it('N steps straight == N/2 + resume + N/2 (G, D, EMA, Adam, SN vectors, sampler)', async () => {
    const project = fakeProject({ n: 12 });
    const straight = await runTraining(project, { ...base, steps: 4 }, hooks());
    const half = await runTraining(project, { ...base, steps: 2 }, hooks());
    const resumed = await runTraining(project, { resume: half.run, steps: 4 }, hooks());
    expect(resumed.run).toBe(half.run);
    expect(resumed.step).toBe(4);
    const a = arrays(project.dir, straight.run, 4);
    const b = arrays(project.dir, half.run, 4);
    expect(b.meta.sampler).toEqual(a.meta.sampler);
    expect(b.meta.adamSteps).toEqual(a.meta.adamSteps);
    expect([...b.arrays.keys()]).toEqual([...a.arrays.keys()]);
    for (const [name, arr] of a.arrays) expect(Array.from(b.arrays.get(name)!.data), name).toEqual(Array.from(arr.data));
    expect(resumed.losses).toEqual(straight.losses);
    // Training rows once per step; evaluation rows (eval_*) may sit beside them at each run's end.
    expect(readMetrics(join(project.dir, 'runs', half.run)).filter((r) => 'd_loss' in r).map((r) => r.step)).toEqual([1, 2, 3, 4]);
  }, 300_000);

  it('rejects flags that disagree with the run, naming them', async () => {
    const project = fakeProject({ n: 12 });
    const first = await runTraining(project, { ...base, steps: 1 }, hooks());
    const err = await runTraining(project, { resume: first.run, steps: 2, ch: 8, dCh: 3, lrD: 1e-3, batch: 4 }, hooks()).then(() => null, toWireError);
    expect(err?.code).toBe('CONFLICT');
    expect(err?.message).toMatch(/--ch 8 \(the run has 2\)/);
    expect(err?.message).toMatch(/--d-ch 3 \(the run has 4\)/); // D as wide as G by default: 2·ch at 8 px
    expect(err?.message).toMatch(/--lr-d 0.001/);
    expect(err?.message).not.toMatch(/--batch/); // agreeing flags are fine
  }, 120_000);

  it('stops at NaN, keeps the last good checkpoint and says so', async () => {
    const project = fakeProject({ n: 12 });
    // From step 3 on, real images turn into NaN (as a corrupt input or an exploding D would do).
    let poison = false;
    const realBatch = BatchSampler.prototype.real;
    BatchSampler.prototype.real = function (this: BatchSampler, batch: number, labeled: number) {
      const b = realBatch.call(this, batch, labeled);
      if (poison) b.images.fill(Number.NaN);
      return b;
    };
    const err = await runTraining(project, { ...base, steps: 6, checkpointEvery: 2 }, {
      ...hooks(),
      onLog: (_run, row) => void (row.step === 2 && (poison = true)),
    }).then(() => null, toWireError).finally(() => (BatchSampler.prototype.real = realBatch));
    expect(err?.message).toMatch(/diverged at step 3/);
    expect(err?.message).toMatch(/last good checkpoint is step 2/);
    const runs = readdirSync(join(project.dir, 'runs'));
    const state = readRunState(join(project.dir, 'runs', runs[0]!));
    expect(state?.state).toBe('failed');
    expect(() => loadTrainingCheckpoint(checkpointPath(join(project.dir, 'runs', runs[0]!), 2))).not.toThrow();
  }, 120_000);
});

