// The whole way out and back with the real CLI on a real (tiny) project: export-job → `NPROC_PER_NODE=2
// bash run.sh` (20 steps) → import-run → sample grid and eval metrics by the app → `train --resume` 10
// more steps on tfjs, whose restored Adam moments and EMA weights are the job's final ones. And the other
// way: an app run exported with --resume and continued 5 steps in a 1-process job equals the same 5 steps
// continued by the app (losses and weights within 1e-4).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkpointPath } from '../../../main/engine/gan/run/checkpoint';
import { readCheckpointFile } from '../../../main/engine/gan/run/checkpoint-file';
import { readRunConfig } from '../../../main/engine/gan/run/run-store';
import { loadTrainingCheckpoint, modelArrays, restoreInto } from '../../../main/engine/gan/train/checkpoint-state';
import { createModels, disposeModels } from '../../../main/engine/gan/train/models';
import { runTraining } from '../../../main/engine/gan/train/run-train';
import { Project } from '../../../main/engine/project/project';
import { createTinyProject, type TinyProject } from '../../main/cli/tiny-project';
import { useBackend } from '../../main/engine/gan/helpers';
import { freePort } from './launch';
import { bnCancelledBiases, compareArrays, expectNoise, PYTHON, torchMissing, torchRequired } from './job-fixture';

const missing = torchMissing();
if (missing && torchRequired) throw new Error(`CI=true requires the PyTorch job's tests: ${missing}`);
const bin = join(import.meta.dirname, '../../../bin/s3gan.js');
const TINY = ['--method', 's3gan', '--ch', '2', '--batch', '8', '--grid-every', '0', '--log-every', '1'];
let tiny: TinyProject;

function s3gan(args: string[]): Record<string, unknown> {
  const r = spawnSync(process.execPath, [bin, ...args, '--json'], { env: { ...tiny.env, S3GAN_BACKEND: 'wasm' }, encoding: 'utf8', timeout: 120_000 });
  expect(r.status, `s3gan ${args.join(' ')}:\n${r.stderr}`).toBe(0);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
}

async function runSh(job: string, nproc: number): Promise<string> {
  const r = spawnSync('bash', [join(job, 'run.sh'), '--threads', '1'], {
    encoding: 'utf8', timeout: 120_000,
    env: { ...process.env, PYTHON, NPROC_PER_NODE: String(nproc), MASTER_PORT: String(await freePort()), OMP_NUM_THREADS: '1' },
  });
  expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
  return r.stdout;
}

const lossRows = (runDir: string, from: number) => readFileSync(join(runDir, 'metrics.jsonl'), 'utf8').trim().split('\n')
  .map((l) => JSON.parse(l) as Record<string, number>).filter((r) => r.step! > from && r.d_loss !== undefined) // not eval rows
  .map(({ step, d_loss, g_loss }) => ({ step, d_loss, g_loss }));

describe.skipIf(missing !== null)(`PyTorch job round trip${missing ? ` (skipped: ${missing})` : ''}`, () => {
  beforeAll(async () => {
    await useBackend('cpu');
    tiny = await createTinyProject({ images: 12, labelEvery: 3 });
    s3gan(['features', tiny.project, '--epochs', '1']); // FD-SS / KID-SS / CAS measure in this feature space
  }, 120_000);

  it('export → 2 processes under run.sh → import → grid, eval, and train --resume on tfjs from the job\'s exact state', async () => {
    const job = join(tiny.root, 'job');
    s3gan(['export-job', tiny.project, ...TINY, '--steps', '20', '--seed', '3', '--checkpoint-every', '10', '--out', job]);
    expect(await runSh(job, 2)).toMatch(/on 2 x cpu \(gloo\), steps 0\.\.20/);
    expect(existsSync(join(job, 'run', 'export'))).toBe(false); // the job writes no graph model

    const imported = s3gan(['import-run', tiny.project, job]);
    expect(Object.keys(imported).sort()).toEqual(['origin', 'run', 'step']);
    expect(imported).toMatchObject({ step: 20, origin: { trainer: 'pytorch', sessions: [{ worldSize: 2, nodes: 1, device: 'cpu' }] } });
    const run = imported.run as string;
    const runDir = join(tiny.project, 'runs', run);
    expect(existsSync(join(runDir, 'export', 'model.json'))).toBe(true); // made by the app on import

    const grid = join(tiny.root, 'grid.png');
    expect(s3gan(['sample', tiny.project, '--run', run, '--n', '4', '--out', grid])).toMatchObject({ step: 20, rows: ['x', 'y', 'd'] });
    expect((await sharp(readFileSync(grid)).metadata()).format).toBe('png');
    const e = s3gan(['eval', tiny.project, '--run', run, '--samples', '12']);
    expect(e).toMatchObject({ run, step: 20 });
    const metrics = Object.values(e.metrics as Record<string, number>);
    expect(metrics.length).toBeGreaterThan(0);
    for (const v of metrics) expect(Number.isFinite(v)).toBe(true);

    // The app's restore path (what train --resume runs) gives back the job's final Adam moments and EMA.
    const final = readCheckpointFile(checkpointPath(join(job, 'run'), 20)).arrays;
    const cfg = readRunConfig(runDir);
    const m = createModels(cfg.gan, { seed: cfg.train.seed, lrG: cfg.train.lrG, lrD: cfg.train.lrD });
    try {
      const { meta, arrays } = loadTrainingCheckpoint(checkpointPath(runDir, 20));
      restoreInto(m, arrays, meta);
      const restored = modelArrays(m).filter((a) => /^(ema|adam_[gd]\/[mv])\//.test(a.name));
      expect(restored.length).toBeGreaterThan(10);
      for (const a of restored) expect(Buffer.from(a.data.buffer).equals(Buffer.from(final.get(a.name)!.data.buffer)), a.name).toBe(true);
      expect(meta.adamSteps).toEqual((readCheckpointFile(checkpointPath(join(job, 'run'), 20)).meta as { adamSteps: unknown }).adamSteps);
    } finally {
      disposeModels(m);
    }
    const resumed = s3gan(['train', tiny.project, '--resume', run, '--steps', '30']);
    expect(resumed).toMatchObject({ run, step: 30 });
    expect(lossRows(runDir, 0).map((r) => r.step)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1)); // the job's 20 loss rows, then the app's 10
  }, 240_000);

  it('an app run exported with --resume and continued 5 steps in a 1-process job equals 5 more steps in the app (1e-4)', async () => {
    const app = s3gan(['train', tiny.project, ...TINY, '--steps', '5', '--seed', '4', '--checkpoint-every', '5']);
    const run = app.run as string;
    const job = join(tiny.root, 'job-resume');
    expect(s3gan(['export-job', tiny.project, '--resume', run, '--steps', '10', '--out', job])).toMatchObject({ run, fromStep: 5, steps: 10 });
    expect(await runSh(job, 1)).toMatch(/steps 5\.\.10/);
    const imported = s3gan(['import-run', tiny.project, job]);
    expect(imported).toMatchObject({ step: 10, origin: { resumedFrom: { run, step: 5 } } });
    expect(imported.run).not.toBe(run);

    // The app continues the same run on tfjs (cpu backend, one worker: the job's maths on one process).
    const project = await Project.open(tiny.project);
    try {
      await runTraining(project, { resume: run, steps: 10, workers: 1 }, { control: { paused: false, stopped: false }, selectBackend: async () => tf.getBackend() });
    } finally {
      await project.close();
    }
    const appDir = join(tiny.project, 'runs', run);
    const jobLosses = lossRows(join(job, 'run'), 5);
    expect(jobLosses.map((r) => r.step)).toEqual([6, 7, 8, 9, 10]);
    lossRows(appDir, 5).forEach((r, i) => {
      expect(Math.abs(r.d_loss! - jobLosses[i]!.d_loss!), `d_loss step ${r.step}`).toBeLessThan(1e-4);
      expect(Math.abs(r.g_loss! - jobLosses[i]!.g_loss!), `g_loss step ${r.step}`).toBeLessThan(1e-4);
    });
    const appArrays = [...readCheckpointFile(checkpointPath(appDir, 10)).arrays.values()];
    const jobArrays = readCheckpointFile(checkpointPath(join(job, 'run'), 10)).arrays;
    const gan = readRunConfig(appDir).gan;
    const cancelled = new Set(bnCancelledBiases(gan));
    const rows = compareArrays(jobArrays, appArrays.filter((a) => !cancelled.has(a.name.replace(/^(g|ema|adam_g\/[mv])\//, ''))));
    expectNoise(jobArrays, appArrays, cancelled, 5 * readRunConfig(appDir).train.lrG);
    const worst = rows.reduce((x, y) => (y.rel > x.rel ? y : x));
    console.log(`app run continued 5 steps as a job vs in the app: max relative L2 ${worst.rel.toExponential(2)} (${worst.name})`);
    for (const r of rows) expect(r.rel, r.name).toBeLessThan(1e-4);
  }, 240_000);
});
