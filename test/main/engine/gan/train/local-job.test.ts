// "Run locally on PyTorch": the form's run exported into <project>/pytorch-jobs/, trained by run.sh as a
// child process with progress, imported (job folder then removed); cancel imports what was checkpointed;
// a job that fails keeps its folder and says how to rerun it, leaving runs/ as it was.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { toWireError } from '../../../../../shared/contract';
import { runLocalJob } from '../../../../../main/engine/gan/train/local-job';
import { PYTHON, torchMissing, torchRequired } from '../../../../resources/pytorch-job/job-fixture';
import { fakeProject } from '../fake-project';
import { useBackend } from '../helpers';

const missing = torchMissing();
if (missing && torchRequired) throw new Error(`CI=true requires the PyTorch job's tests: ${missing}`);
const FLAGS = { method: 's3gan' as const, resolution: 8, ch: 2, batch: 8, seed: 2, gridEvery: 0, logEvery: 1, checkpointEvery: 1, workers: 3 };
process.env.OMP_NUM_THREADS = '1';

beforeAll(() => useBackend('wasm'));

const hooks = (progress: (done: number, total: number, message: string) => void = () => undefined, controller = new AbortController()) => ({ signal: controller.signal, progress });
const runs = (dir: string) => (existsSync(join(dir, 'runs')) ? readdirSync(join(dir, 'runs')) : []);

describe('runLocalJob', () => {
  it('a job that fails keeps its folder, says how to rerun it, and imports nothing', async () => {
    const project = fakeProject();
    const err = toWireError(await runLocalJob(project, { ...FLAGS, steps: 2 }, { python: '/bin/false', gpus: 0, backend: tf.getBackend(), hooks: hooks() }).catch((e: unknown) => e));
    expect(err.message).toMatch(/The PyTorch job failed \(exit 1\).*is kept: fix the cause, rerun `bash .*run\.sh`, then Import run/);
    expect(readdirSync(join(project.dir, 'pytorch-jobs'))).toHaveLength(1);
    expect(runs(project.dir)).toEqual([]);
  }, 60_000);

  it.skipIf(missing !== null)(`trains with progress and imports the run (the job folder then goes)${missing ? ` (skipped: ${missing})` : ''}`, async () => {
    const project = fakeProject();
    const seen: number[] = [];
    const r = await runLocalJob(project, { ...FLAGS, steps: 3 }, { python: PYTHON, gpus: 0, backend: tf.getBackend(), hooks: hooks((done) => seen.push(done)) });
    expect(r).toMatchObject({ step: 3, state: 'done', backend: 'pytorch', workers: 1, origin: { trainer: 'pytorch', sessions: [{ worldSize: 1, device: 'cpu' }] } });
    expect(seen).toEqual([0, 1, 2, 3]);
    expect(Object.keys(r.losses)).toEqual(expect.arrayContaining(['d_loss', 'g_loss']));
    expect(runs(project.dir)).toEqual([r.run]);
    expect(existsSync(r.checkpoint!)).toBe(true);
    expect(readdirSync(join(project.dir, 'pytorch-jobs'))).toEqual([]);
  }, 120_000);

  it.skipIf(missing !== null)(`cancelled, it stops the job's processes and imports what was checkpointed${missing ? ` (skipped: ${missing})` : ''}`, async () => {
    const project = fakeProject();
    const controller = new AbortController();
    const r = await runLocalJob(project, { ...FLAGS, steps: 5000 }, {
      python: PYTHON, gpus: 0, backend: tf.getBackend(), hooks: hooks((done) => done >= 2 && controller.abort(), controller),
    });
    expect(r.state).toBe('stopped');
    expect(r.step).toBeGreaterThanOrEqual(1); // step 2 was logged; its checkpoint may not have been written yet
    expect(r.step).toBeLessThan(5000);
    expect(runs(project.dir)).toEqual([r.run]);
    const left = spawnSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).stdout.split('\n').filter((l) => l.includes(project.dir));
    expect(left).toEqual([]); // no rank or launcher of the job still running
  }, 120_000);
});
