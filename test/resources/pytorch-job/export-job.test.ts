// `s3gan export-job`: the folder holds exactly the run the app would train for the same flags (config
// from planNewRun / TrainConfig), hashed data, the trainer and run.sh; and run.sh trains it into
// DIR/run/, a run folder the app reads.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { toWireError } from '../../../shared/contract';
import { latestCheckpoint } from '../../../main/engine/gan/run/checkpoint';
import { readRunConfig } from '../../../main/engine/gan/run/run-store';
import { exportJob } from '../../../main/engine/gan/train/export-job';
import { runTraining } from '../../../main/engine/gan/train/run-train';
import { fakeProject } from '../../main/engine/gan/fake-project';
import { useBackend } from '../../main/engine/gan/helpers';
import { PYTHON, tempDir, torchMissing, torchRequired } from './job-fixture';

const FLAGS = { method: 's3gan' as const, steps: 2, resolution: 8, ch: 2, batch: 4, seed: 9, gridEvery: 0, logEvery: 1 };
const missing = torchMissing();
if (missing && torchRequired) throw new Error(`CI=true requires the PyTorch job's tests: ${missing}`);

beforeAll(() => useBackend('wasm'));

describe('export-job', () => {
  const project = fakeProject({ stages: true });

  it('writes the run the app would train for the same flags, hashed data, the trainer and run.sh', async () => {
    const out = join(tempDir('s3gan-job-'), 'job');
    const r = await exportJob(project, FLAGS, { out, backend: 'wasm' });
    const app = await runTraining(project, FLAGS, { control: { paused: false, stopped: false }, selectBackend: async () => tf.getBackend() });
    const appConfig = readRunConfig(join(project.dir, 'runs', app.run));
    const jobConfig = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
    const strip = ({ run: _r, createdAt: _c, ...rest }: Record<string, unknown>) => rest;
    expect(strip(jobConfig)).toEqual(strip(appConfig as unknown as Record<string, unknown>));
    const manifest = JSON.parse(readFileSync(join(out, 'data', 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ format: 1, n: r.images, size: 8, channels: 1, numClasses: 3, runLabels: 'labels.json' });
    for (const f of [...manifest.shards, manifest.labels, manifest.labeledPool]) {
      expect(createHash('sha256').update(readFileSync(join(out, 'data', f.file))).digest('hex')).toBe(f.sha256);
    }
    for (const f of ['run.sh', 'README.md', 's3gan_job/__main__.py', 'job.json']) expect(existsSync(join(out, f)), f).toBe(true);
  }, 120_000);

  it('refuses a non-empty folder and what the job cannot honour, writing nothing', async () => {
    const dir = tempDir('s3gan-job-');
    writeFileSync(join(dir, 'mine.txt'), 'x');
    expect(toWireError(await exportJob(project, FLAGS, { out: dir, backend: 'wasm' }).catch((e: unknown) => e))).toMatchObject({ code: 'CONFLICT' });
    const other = join(tempDir('s3gan-job-'), 'job');
    expect(toWireError(await exportJob(project, { ...FLAGS, evalEvery: 1 }, { out: other, backend: 'wasm' }).catch((e: unknown) => e)).message).toMatch(/eval/);
    expect(existsSync(other)).toBe(false);
  });

  it('--resume RUN: the run\'s own config (new length), its training set, and run/ seeded with its newest checkpoint; refuses what resume cannot change', async () => {
    const app = await runTraining(project, { ...FLAGS, checkpointEvery: 1 }, { control: { paused: false, stopped: false }, selectBackend: async () => tf.getBackend() });
    const appDir = join(project.dir, 'runs', app.run);
    const out = join(tempDir('s3gan-job-'), 'job');
    const r = await exportJob(project, { resume: app.run, steps: 6 }, { out, backend: 'wasm' });
    expect(r).toMatchObject({ run: app.run, fromStep: 2 });
    const jobConfig = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
    expect(jobConfig).toEqual({ ...(readRunConfig(appDir) as unknown as Record<string, unknown>), train: { ...readRunConfig(appDir).train, steps: 6 } });
    expect(readFileSync(join(out, 'run', 'checkpoints', 'ckpt-00000002.s3g'))).toEqual(readFileSync(latestCheckpoint(appDir)!.path));
    expect(existsSync(join(out, 'run', 'checkpoints', 'ckpt-00000001.s3g'))).toBe(false); // only the newest
    expect(JSON.parse(readFileSync(join(out, 'run', 'resumed-from.json'), 'utf8'))).toEqual({ run: app.run, step: 2 });
    expect(readFileSync(join(out, 'run', 'labels.json'), 'utf8').trim()).toBe(JSON.stringify(JSON.parse(readFileSync(join(appDir, 'labels.json'), 'utf8'))));
    expect(readFileSync(join(out, 'run', 'metrics.jsonl'))).toEqual(readFileSync(join(appDir, 'metrics.jsonl')));
    const refuse = async (req: Parameters<typeof exportJob>[1]) => toWireError(await exportJob(project, req, { out: join(tempDir('s3gan-job-'), 'j'), backend: 'wasm' }).catch((e: unknown) => e));
    expect(await refuse({ resume: app.run, steps: 6, ch: 4 })).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/--ch 4 \(the run has 2\)/) });
    expect((await refuse({ resume: app.run })).message).toMatch(/is at step 2 of 2: pass --steps N/);
  }, 120_000);

  it.skipIf(missing !== null)(`run.sh trains the exported job into DIR/run/, a run the app reads${missing ? ` (skipped: ${missing})` : ''}`, async () => {
    const out = join(tempDir('s3gan-job-'), 'job');
    await exportJob(project, FLAGS, { out, backend: 'wasm' });
    const r = spawnSync('bash', [join(out, 'run.sh'), '--threads', '1'], {
      encoding: 'utf8', timeout: 240_000, env: { ...process.env, PYTHON, NPROC_PER_NODE: '1', MASTER_PORT: String(29600 + Math.floor(Math.random() * 300)), OMP_NUM_THREADS: '1' },
    });
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(readRunConfig(join(out, 'run')).train.steps).toBe(2);
    expect(latestCheckpoint(join(out, 'run'))?.step).toBe(2);
    // What trained it, for the Runs list after import: PyTorch, 1 process on the CPU.
    const origin = JSON.parse(readFileSync(join(out, 'run', 'origin.json'), 'utf8'));
    expect(origin).toMatchObject({ trainer: 'pytorch', sessions: [{ fromStep: 0, worldSize: 1, nodes: 1, device: 'cpu', bf16: false }] });
    expect(origin.torch).toMatch(/^\d+\.\d+/);
    // The job writes no tfjs graph model: export/ is made by import-run (the app's code), not by Python.
    expect(existsSync(join(out, 'run', 'export'))).toBe(false);
  }, 300_000);
});
