// `s3gan import-run --json`: a job folder whose run/ is an app run (the job's format) is added as a new run
// and the last stdout line is exactly {run, step, origin}; a folder that is not a job fails in words.
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './cli-helpers';
import { createTinyProject, type TinyProject } from './tiny-project';

let tiny: TinyProject;
const env = () => ({ ...tiny.env, S3GAN_BACKEND: 'wasm' }) as Record<string, string>;

beforeAll(async () => {
  tiny = await createTinyProject({ images: 12, labelEvery: 3 });
}, 60_000);

describe('s3gan import-run', () => {
  it('imports a job folder as a new run and prints {run, step, origin} last; refuses a folder that is no job', async () => {
    const flags = ['--method', 's3gan', '--steps', '2', '--ch', '2', '--batch', '4', '--seed', '1', '--grid-every', '0', '--json'];
    const job = join(tiny.root, 'job');
    const x = await runCli(['export-job', tiny.project, ...flags, '--out', job], env());
    expect(x.code, x.stderr).toBe(0);
    const t = await runCli(['train', tiny.project, ...flags], env());
    expect(t.code, t.stderr).toBe(0);
    cpSync(join(tiny.project, 'runs', t.json.run as string), join(job, 'run'), { recursive: true });
    const r = await runCli(['import-run', tiny.project, job, '--json'], env());
    expect(r.code, r.stderr).toBe(0);
    expect(Object.keys(r.json).sort()).toEqual(['origin', 'run', 'step']);
    expect(r.json).toMatchObject({ step: 2, origin: { trainer: 'app', jobRun: t.json.run, importedFrom: join(job, 'run') } });
    expect(r.json.run).not.toBe(t.json.run);
    const bad = await runCli(['import-run', tiny.project, tiny.root, '--json'], env());
    expect(bad.code).toBe(1);
    expect(bad.json).toMatchObject({ error: { code: 'INVALID_PAYLOAD' } });
    expect((bad.json.error as { message: string }).message).toMatch(/neither a PyTorch job folder/);
  }, 180_000);
});
