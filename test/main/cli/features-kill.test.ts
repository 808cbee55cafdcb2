import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFeatures } from '../../../main/engine/pipeline/features-stage';
import { stagePaths } from '../../../main/engine/pipeline/stage-files';
import { createTinyProject } from './tiny-project';

const bin = join(process.cwd(), 'bin', 's3gan.js');
const EPOCHS = 12;

function runCli(args: string[], env: NodeJS.ProcessEnv) {
  const r = spawnSync(process.execPath, [bin, ...args], { env, encoding: 'utf8', timeout: 120_000 });
  const last = r.stdout.trim().split('\n').at(-1) ?? '';
  return { status: r.status, json: JSON.parse(last) as Record<string, unknown>, stderr: r.stderr };
}

describe('s3gan features survives kill -9', () => {
  it('leaves no stage marked done when killed mid-run, and the rerun resumes and completes', async () => {
    const tiny = await createTinyProject();
    const paths = stagePaths(tiny.project);
    const child = spawn(process.execPath, [bin, 'features', tiny.project, '--epochs', String(EPOCHS), '--json'], { env: tiny.env, stdio: 'ignore' });
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    // Kill as soon as the first epoch checkpoint exists (a real mid-run moment).
    const deadline = Date.now() + 90_000;
    while (!existsSync(paths.checkpointProgress) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGKILL');
    await exited;
    expect(existsSync(paths.checkpointProgress)).toBe(true);
    const done = JSON.parse(readFileSync(paths.checkpointProgress, 'utf8')).epochsDone as number;
    expect(done).toBeGreaterThanOrEqual(1);
    expect(done).toBeLessThan(EPOCHS);
    expect(existsSync(paths.featuresMeta)).toBe(false);
    expect(readFeatures(tiny.project)).toBeNull();

    // Downstream stages refuse to use the unfinished stage.
    const cluster = runCli(['cluster', tiny.project, '--json'], tiny.env);
    expect(cluster.status).toBe(1);
    expect(cluster.json).toMatchObject({ error: { code: 'STAGE_MISSING' } });

    const rerun = runCli(['features', tiny.project, '--epochs', String(EPOCHS), '--json'], tiny.env);
    expect(rerun.status, rerun.stderr).toBe(0);
    expect(rerun.json).toMatchObject({ images: 12, epochs: EPOCHS, backend: expect.any(String) });
    expect(rerun.json.resumedFromEpoch).toBeGreaterThanOrEqual(done);
    const features = readFeatures(tiny.project)!;
    expect(features.meta.ids).toHaveLength(12);
    expect(features.meta.curve).toHaveLength(EPOCHS); // one step per epoch at 12 images, none lost or repeated
    expect(existsSync(paths.checkpointDir)).toBe(false);
    // Rows are L2-normalised embeddings.
    const row = features.embeddings.subarray(0, features.meta.dim);
    expect(Math.hypot(...row)).toBeCloseTo(1, 4);

    const clustered = runCli(['cluster', tiny.project, '--k', '3', '--json'], tiny.env);
    expect(clustered.status, clustered.stderr).toBe(0);
    expect(clustered.json).toMatchObject({ k: 3, backend: expect.any(String) });
    expect((clustered.json.sizes as number[]).reduce((a, b) => a + b, 0)).toBe(12);
  }, 240_000);
});
