import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTinyProject, type TinyProject } from './tiny-project';

const bin = join(import.meta.dirname, '../../../bin/s3gan.js');
let tiny: TinyProject;

function s3gan(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args, '--json'], { env: { ...tiny.env, S3GAN_BACKEND: 'wasm' }, encoding: 'utf8', timeout: 240_000 });
  const lines = r.stdout.trim().split('\n');
  return { code: r.status, last: JSON.parse(lines[lines.length - 1]!) as Record<string, unknown>, stderr: r.stderr };
}

beforeAll(async () => {
  tiny = await createTinyProject({ images: 12, labelEvery: 3 });
}, 60_000);

describe('s3gan train / sample / eval', () => {
  it('trains, resumes, samples a grid and evaluates, each ending with one JSON line', async () => {
    const t = s3gan(['train', tiny.project, '--method', 's3gan', '--steps', '2', '--ch', '2', '--batch', '4', '--seed', '1', '--log-every', '1']);
    expect(t.code, t.stderr).toBe(0);
    expect(t.last).toMatchObject({ step: 2, method: 's3gan', backend: 'wasm' });
    expect(Object.keys(t.last).sort()).toEqual(expect.arrayContaining(['run', 'step', 'method', 'backend', 'img_per_s', 'losses', 'checkpoint']));
    expect(t.last.img_per_s as number).toBeGreaterThan(0);
    const run = t.last.run as string;

    const conflict = s3gan(['train', tiny.project, '--resume', run, '--steps', '3', '--ch', '4']);
    expect(conflict.code).toBe(1);
    expect(conflict.last).toMatchObject({ error: { code: 'CONFLICT' } });
    expect((conflict.last.error as { message: string }).message).toMatch(/--ch 4 \(the run has 2\)/);

    const resumed = s3gan(['train', tiny.project, '--resume', run, '--steps', '3']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.last).toMatchObject({ run, step: 3 });

    const out = join(tiny.root, 'grid.png');
    const s = s3gan(['sample', tiny.project, '--run', run, '--n', '4', '--truncation', '1.5', '--out', out]);
    expect(s.code, s.stderr).toBe(0);
    expect(s.last).toMatchObject({ step: 3, rows: ['x', 'y', 'd'] });
    const meta = await sharp(readFileSync(out)).metadata();
    expect(meta.format).toBe('png');
    expect(meta.width).toBeGreaterThan(meta.height!); // 4 columns, 3 rows

    const samplesDir = join(tiny.root, 'generated');
    const x = s3gan(['export-samples', tiny.project, '--run', run, '--per-class', '2', '--out', samplesDir]);
    expect(x.code, x.stderr).toBe(0);
    expect(x.last).toMatchObject({ run, step: 3, images: 6, classes: ['x', 'y', 'd'] });
    expect(readFileSync(join(samplesDir, 'labels.csv'), 'utf8').trim().split('\n')).toHaveLength(7);
    const again = s3gan(['export-samples', tiny.project, '--run', run, '--per-class', '2', '--out', samplesDir]);
    expect(again.last).toMatchObject({ error: { code: 'CONFLICT' } }); // --force to replace

    const e = s3gan(['eval', tiny.project, '--run', run]);
    expect(e.code, e.stderr).toBe(0);
    expect(e.last).toMatchObject({ run, step: 3 });
    expect((e.last.notes as string[]).join(' ')).toMatch(/s3gan features/);
    expect(JSON.stringify(e.last.metrics)).not.toMatch(/null|NaN/);

    const bad = s3gan(['train', tiny.project, '--method', 'clustering', '--steps', '1']);
    expect(bad.last).toMatchObject({ error: { code: 'STAGE_MISSING' } });
  }, 600_000);

  it('Ctrl-C stops a training run after its current step: final checkpoint, state "stopped", JSON result, exit 0', async () => {
    const child = spawn(process.execPath, [bin, 'train', tiny.project, '--method', 'single', '--steps', '100000', '--ch', '2', '--batch', '4', '--seed', '2', '--log-every', '1', '--json'],
      { env: { ...tiny.env, S3GAN_BACKEND: 'wasm' }, stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = new Promise<number | null>((resolve) => child.on('close', resolve));
    const deadline = Date.now() + 120_000;
    while (!/step [3-9]/.test(stderr) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGINT');
    expect(await code, stderr).toBe(0);
    expect(stderr).toMatch(/Stopping after the current step/);
    const last = JSON.parse(stdout.trim().split('\n').at(-1)!) as { run: string; step: number; state: string; checkpoint: string };
    expect(last.state).toBe('stopped');
    expect(last.step).toBeGreaterThanOrEqual(3);
    expect(last.step).toBeLessThan(100000);
    expect(last.checkpoint).toMatch(new RegExp(`ckpt-0*${last.step}\\.s3g$`));
    const state = JSON.parse(readFileSync(join(tiny.project, 'runs', last.run, 'state.json'), 'utf8')) as { state: string; step: number };
    expect(state).toMatchObject({ state: 'stopped', step: last.step });
  }, 240_000);
});
