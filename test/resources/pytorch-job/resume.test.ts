// Resuming the PyTorch job: stopped at a checkpoint and rerun (with more steps) it ends bit-identical to
// an uninterrupted run, its log holds each step once; and the app continuing the job's checkpoint on
// tfjs matches the job's own continuation (the run moves between trainers both ways).
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCheckpointFile, type NamedArray } from '../../../main/engine/gan/run/checkpoint-file';
import { useBackend } from '../../main/engine/gan/helpers';
import { appContinue, appRun, presetData, tinyRunConfig } from './app-run';
import { bnCancelledBiases, compareArrays, expectNoise, runJob, tempDir, torchMissing, torchRequired } from './job-fixture';

const missing = torchMissing();
if (missing && torchRequired) throw new Error(`CI=true requires the PyTorch job's tests: ${missing}`);
const config = tinyRunConfig('s3gan', { steps: 4, checkpointEvery: 2, dSteps: 2, diffaug: true });
const data = presetData(config);

const ckpt = (job: string, step: number) => readCheckpointFile(join(job, 'run', 'checkpoints', `ckpt-${String(step).padStart(8, '0')}.s3g`));
const withSteps = (job: string, steps: number) =>
  writeFileSync(join(job, 'config.json'), JSON.stringify({ ...config, train: { ...config.train, steps } }));

describe.skipIf(missing !== null)(`PyTorch job, resume${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let straight = '';
  beforeAll(async () => {
    await useBackend('cpu');
    straight = tempDir('resume-straight-');
    await appRun(straight, config, data, true);
    runJob(straight);
  }, 120_000);

  it('stopped at step 2 and rerun with steps 4: bit-identical to 4 straight steps, each step logged once', () => {
    const job = tempDir('resume-split-');
    cpSync(straight, job, { recursive: true, filter: (src) => !src.startsWith(join(straight, 'run')) });
    withSteps(job, 2);
    runJob(job);
    withSteps(job, 4);
    const out = runJob(job).stdout;
    expect(out).toMatch(/steps 2\.\.4/);
    const [a, b] = [ckpt(job, 4), ckpt(straight, 4)];
    for (const [name, t] of b.arrays) expect(Buffer.compare(Buffer.from(a.arrays.get(name)!.data.buffer), Buffer.from(t.data.buffer)), name).toBe(0);
    expect((a.meta as { sampler: unknown }).sampler).toEqual((b.meta as { sampler: unknown }).sampler);
    const steps = readFileSync(join(job, 'run', 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { step: number }).step);
    expect(steps).toEqual([1, 2, 3, 4]);
  });

  it('the app continuing the job\'s step-2 checkpoint on tfjs matches the job\'s steps 3-4 (1e-4 relative L2)', async () => {
    const job = tempDir('resume-app-');
    cpSync(straight, job, { recursive: true, filter: (src) => !src.startsWith(join(straight, 'run')) });
    withSteps(job, 2);
    runJob(job);
    const app: NamedArray[] = await appContinue(job, config, data, 4);
    const cancelled = new Set(bnCancelledBiases(config.gan));
    const rows = compareArrays(ckpt(straight, 4).arrays, app.filter((a) => !cancelled.has(a.name.replace(/^(g|ema|adam_g\/[mv])\//, ''))));
    expectNoise(ckpt(straight, 4).arrays, app, cancelled, 4 * config.train.lrG);
    const worst = rows.reduce((x, y) => (y.rel > x.rel ? y : x));
    console.log(`app continuing a job checkpoint, 2 steps: max relative L2 ${worst.rel.toExponential(2)} (${worst.name})`);
    for (const r of rows) expect(r.rel, r.name).toBeLessThan(1e-4);
  });
});
