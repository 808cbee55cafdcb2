import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { registerTempDir } from '../../setup/temp-dirs';

const bin = join(process.cwd(), 'bin', 's3gan.js');

function runCli(args: string[], env: NodeJS.ProcessEnv) {
  const r = spawnSync(process.execPath, [bin, ...args], { env, encoding: 'utf8', timeout: 180_000 });
  const last = r.stdout.trim().split('\n').at(-1) ?? '';
  return { status: r.status, json: JSON.parse(last) as Record<string, any>, stderr: r.stderr };
}

describe('s3gan demo and suggest on a tiny MNIST demo', () => {
  it('builds the project, runs features → cluster → infer, reuses it on a second run', () => {
    const root = registerTempDir(mkdtempSync(join(tmpdir(), 's3gan-demo-')));
    const env = { ...process.env, S3GAN_CONFIG_DIR: join(root, 'config') };
    const out = join(root, 'demo');
    const args = ['demo', '--out', out, '--images', '30', '--labels-per-class', '1', '--epochs', '1', '--infer-epochs', '1', '--train-steps', '2', '--json'];
    const first = runCli(args, env);
    expect(first.status, first.stderr).toBe(0);
    expect(first.json).toMatchObject({ images: 30, hand_labels: 10, backend: expect.any(String) });
    expect(first.json.features).toMatchObject({ images: 30, epochs: 1 });
    expect(first.json.cluster.k).toBe(10);
    expect(first.json.cluster.nmi).toBeGreaterThan(0);
    expect(first.json.infer).toMatchObject({ labeled: 10, inferred: 20, labeled_by_source: { hand: 10 } });
    expect(first.json.infer.accuracy).toBeGreaterThanOrEqual(0);
    expect(first.stderr).toMatch(/features .*\[#+-*\]/); // the progress bar
    expect(JSON.parse(readFileSync(join(out, 'demo.json'), 'utf8'))).toMatchObject({ images: 30, handLabels: 10, truth: 20 });
    expect(existsSync(join(out, 'images', '3'))).toBe(true);
    // …and ends with a short S³GAN run whose grid exists.
    expect(first.json.train).toMatchObject({ method: 's3gan', step: 2, state: 'done' });
    expect(existsSync(first.json.train.grid)).toBe(true);

    const suggest = runCli(['suggest', out, '--n', '5', '--json'], env);
    expect(suggest.status, suggest.stderr).toBe(0);
    expect(suggest.json.items).toHaveLength(5);
    expect(suggest.json.basedOn).toEqual({ clusters: true, infer: true, inferStale: false });

    const again = runCli(args, env);
    expect(again.status, again.stderr).toBe(0);
    expect(again.json.features).toMatchObject({ reused: true });
    expect(again.stderr).toMatch(/Reusing the demo project/);

    const other = runCli(['demo', '--out', out, '--images', '40', '--json'], env);
    expect(other.status).toBe(1);
    expect(other.json.error.code).toBe('CONFLICT');
  }, 240_000);
});
