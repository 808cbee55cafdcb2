// import-run without PyTorch: a job folder whose run/ is an app run of the same flags (the job writes the
// same format; the torch-gated round trip in test/resources/pytorch-job imports a real job). A good job
// becomes a new run (twice → two runs, nothing replaced) with its origin and generator export; every bad
// input is refused with a plain reason and leaves runs/ exactly as it was.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { toWireError } from '../../../../../shared/contract';
import { checkpointPath, listCheckpoints } from '../../../../../main/engine/gan/run/checkpoint';
import { listRuns, readRunConfig } from '../../../../../main/engine/gan/run/run-store';
import { exportJob } from '../../../../../main/engine/gan/train/export-job';
import { importRun } from '../../../../../main/engine/gan/train/import-run';
import { runTraining } from '../../../../../main/engine/gan/train/run-train';
import { tempDir } from '../../../../resources/pytorch-job/job-fixture';
import { fakeProject } from '../fake-project';
import { useBackend } from '../helpers';

const FLAGS = { method: 's3gan' as const, steps: 2, resolution: 8, ch: 2, batch: 4, seed: 9, gridEvery: 0, logEvery: 1, checkpointEvery: 1 };
const project = fakeProject({ stages: true });
let appRun = '';
let template = '';

beforeAll(async () => {
  await useBackend('wasm');
  template = join(tempDir('import-run-'), 'job');
  await exportJob(project, FLAGS, { out: template, backend: 'wasm' });
  appRun = (await runTraining(project, FLAGS, { control: { paused: false, stopped: false }, selectBackend: async () => tf.getBackend() })).run;
  cpSync(join(project.dir, 'runs', appRun), join(template, 'run'), { recursive: true, filter: (src) => !src.includes(`${appRun}/export`) });
  // What the trainer writes beside the run: which PyTorch, how many processes on what.
  writeFileSync(join(template, 'run', 'origin.json'), JSON.stringify({
    trainer: 'pytorch', torch: '1.13.1', python: '3.11.2', sessions: [{ fromStep: 0, worldSize: 2, nodes: 1, device: 'cpu', deviceName: 'x86_64', bf16: false }],
  }));
}, 120_000);

/** A fresh copy of the good job folder to damage. */
function job(): string {
  const dir = join(tempDir('import-run-'), 'job');
  cpSync(template, dir, { recursive: true });
  return dir;
}

const runsNow = () => readdirSync(join(project.dir, 'runs')).sort();

async function refused(dir: string, pattern: RegExp): Promise<void> {
  const before = runsNow();
  const err = toWireError(await importRun(project, dir).then(() => null, (e: unknown) => e));
  expect(err.message).toMatch(pattern);
  expect(err.code).not.toBe('INTERNAL');
  expect(runsNow()).toEqual(before); // nothing imported half-way, no temp folder left
}

describe('import-run', () => {
  it('adds the job as a new run with its origin, checkpoints, log, labels and generator export; a second import is another run', async () => {
    const dir = job();
    const a = await importRun(project, dir);
    expect(a.run).not.toBe(appRun); // the job's run id is taken: a new id, the app run untouched
    expect(a.step).toBe(2);
    expect(a.origin).toMatchObject({ trainer: 'pytorch', torch: '1.13.1', jobRun: appRun, importedFrom: join(dir, 'run'), sessions: [{ worldSize: 2, device: 'cpu' }] });
    const runDir = join(project.dir, 'runs', a.run);
    expect(readRunConfig(runDir).run).toBe(a.run);
    expect(listCheckpoints(runDir)).toEqual(listCheckpoints(join(dir, 'run')));
    expect(readFileSync(checkpointPath(runDir, 2))).toEqual(readFileSync(checkpointPath(join(dir, 'run'), 2)));
    for (const f of ['labels.json', 'metrics.jsonl', 'export/model.json', 'export/weights.bin']) expect(existsSync(join(runDir, f)), f).toBe(true);
    expect(JSON.parse(readFileSync(join(runDir, 'state.json'), 'utf8'))).toMatchObject({ state: 'done', step: 2 });
    const listed = listRuns(project.dir).find((r) => r.run === a.run);
    expect(listed?.origin).toMatchObject({ trainer: 'pytorch', sessions: [{ worldSize: 2 }] });
    expect(listRuns(project.dir).find((r) => r.run === appRun)?.origin).toBeNull();

    const b = await importRun(project, join(dir, 'run')); // just run/, beside its data/
    expect(b.run).not.toBe(a.run);
    expect(readRunConfig(join(project.dir, 'runs', b.run)).run).toBe(b.run);
    expect(JSON.parse(readFileSync(join(runDir, 'origin.json'), 'utf8')).importedAt).toBe(a.origin.importedAt); // a's folder untouched
  }, 60_000);

  it('records the app run a continued job resumed from, and a stale temp folder is neither listed nor kept', async () => {
    const dir = job();
    writeFileSync(join(dir, 'run', 'resumed-from.json'), JSON.stringify({ run: appRun, step: 1 }));
    const stale = join(project.dir, 'runs', '.import-999999999-dead');
    mkdirSync(stale, { recursive: true });
    cpSync(join(dir, 'run', 'config.json'), join(stale, 'config.json'));
    expect(listRuns(project.dir).map((r) => r.run)).not.toContain('.import-999999999-dead');
    const r = await importRun(project, dir);
    expect(r.origin.resumedFrom).toEqual({ run: appRun, step: 1 });
    expect(existsSync(stale)).toBe(false);
  }, 60_000);

  it('refuses a missing or corrupt shard', async () => {
    const missing = job();
    rmSync(join(missing, 'data', 'images-00000.u8'));
    await refused(missing, /images-00000\.u8 is missing/);
    const corrupt = job();
    const shard = join(corrupt, 'data', 'images-00000.u8');
    const bytes = readFileSync(shard);
    bytes[10] ^= 0xff;
    writeFileSync(shard, bytes);
    await refused(corrupt, /images-00000\.u8 is corrupt \(its SHA-256 differs/);
  });

  it('refuses a config that is not a run config, and a run of another project (classes, images, channels)', async () => {
    const notConfig = job();
    writeFileSync(join(notConfig, 'run', 'config.json'), JSON.stringify({ format: 1, run: 'x', method: 's3gan' }));
    await refused(notConfig, /is not a run config of this app/);

    const otherClasses = job();
    const c = JSON.parse(readFileSync(join(otherClasses, 'run', 'config.json'), 'utf8'));
    writeFileSync(join(otherClasses, 'run', 'config.json'), JSON.stringify({ ...c, classIds: ['h', 'cat', 'dog'] }));
    await refused(otherClasses, /classes "stripes-v" \(cat\), "stripes-d" \(dog\) are not classes of this project/);

    const otherImages = job();
    const l = JSON.parse(readFileSync(join(otherImages, 'run', 'labels.json'), 'utf8'));
    writeFileSync(join(otherImages, 'run', 'labels.json'), JSON.stringify({ ...l, ids: l.ids.map((id: string) => `elsewhere-${id}`) }));
    await refused(otherImages, /None of the run's \d+ training images is in this project/);

    const colour = job();
    writeFileSync(join(colour, 'run', 'config.json'), JSON.stringify({ ...c, gan: { ...c.gan, channels: 3 } }));
    await refused(colour, /trains colour images \(3 channels\), this project has 1/);
  });

  it('refuses a run without checkpoints, with a damaged one, one of another model, and a job never run', async () => {
    const none = job();
    rmSync(join(none, 'run', 'checkpoints'), { recursive: true });
    mkdirSync(join(none, 'run', 'checkpoints'));
    await refused(none, /has no checkpoint/);
    const damaged = job();
    const ck = checkpointPath(join(damaged, 'run'), 1);
    writeFileSync(ck, readFileSync(ck).subarray(0, 200));
    await refused(damaged, /ckpt-00000001\.s3g is damaged/);
    const wider = job();
    const c = JSON.parse(readFileSync(join(wider, 'run', 'config.json'), 'utf8'));
    writeFileSync(join(wider, 'run', 'config.json'), JSON.stringify({ ...c, gan: { ...c.gan, ch: 4 } }));
    await refused(wider, /written for another model/);
    const notRun = job();
    rmSync(join(notRun, 'run'), { recursive: true });
    await refused(notRun, /has not been run yet/);
    await refused(join(notRun, 'nowhere'), /no folder/);
  });
});
