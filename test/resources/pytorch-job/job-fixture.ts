// Test side of the PyTorch job (resources/pytorch-job/s3gan_job): writes a job folder (config.json =
// the app's RunConfig, data/ in the job's shard format) from app values, runs the Python trainer, and
// compares its checkpoints with the app's tensors. Not a test file itself.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TrainingData } from '../../../main/engine/gan/train/batches';
import { writeJobData } from '../../../main/engine/gan/train/export-job';
import { registerTempDir } from '../../setup/temp-dirs';
import type { NamedArray } from '../../../main/engine/gan/run/checkpoint-file';
import type { RunConfig } from '../../../main/engine/gan/run/run-config';
import { G_MULTIPLIERS } from '../../../shared/schemas/gan-config';
import { expect } from 'vitest';

export const PYTHON = process.env.S3GAN_PYTHON ?? '/usr/bin/python3';
export const PACKAGE_ROOT = fileURLToPath(new URL('../../../resources/pytorch-job', import.meta.url));

/** Why the job cannot run here (no torch for PYTHON), or null. CI=true makes that a failure. */
export function torchMissing(): string | null {
  const r = spawnSync(PYTHON, ['-c', 'import torch, numpy'], { encoding: 'utf8' });
  return r.status === 0 ? null : `${PYTHON} cannot import torch/numpy (${(r.stderr || String(r.error)).trim().split('\n').pop()})`;
}
export const torchRequired = process.env.CI === 'true';

export function writeJob(dir: string, config: RunConfig, data: TrainingData): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'config.json'), `${JSON.stringify(config, null, 1)}\n`);
  writeJobData(join(dir, 'data'), data, null, 16); // small shards: the tests cross shard borders
}

/** python -m s3gan_job with the package on PYTHONPATH; throws with its stderr when it fails. */
export function runPython(args: string[], env: Record<string, string> = {}, expectOk = true): SpawnSyncReturns<string> {
  const r = spawnSync(PYTHON, args, {
    encoding: 'utf8', env: { ...process.env, PYTHONPATH: PACKAGE_ROOT, OMP_NUM_THREADS: '1', ...env }, timeout: 240_000,
  });
  if (expectOk && r.status !== 0) throw new Error(`python ${args.join(' ')} exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  return r;
}

export function runJob(jobDir: string, extra: string[] = [], env: Record<string, string> = {}): SpawnSyncReturns<string> {
  return runPython(['-m', 's3gan_job', '--job', jobDir, '--threads', '1', ...extra], env);
}

/** ||a − b|| / ||b|| (0/0 = 0). */
export function relL2(a: Float32Array, b: Float32Array): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.length; i++) {
    num += (a[i]! - b[i]!) ** 2;
    den += b[i]! ** 2;
  }
  return den === 0 ? Math.sqrt(num) : Math.sqrt(num / den);
}

/** Per tensor relative L2 of `got` against `want` (names and shapes must agree). */
export function compareArrays(got: Map<string, NamedArray>, want: NamedArray[]): { name: string; rel: number }[] {
  return want.map((w) => {
    const g = got.get(w.name);
    if (!g) throw new Error(`missing ${w.name}`);
    if (g.shape.join('x') !== w.shape.join('x')) throw new Error(`${w.name}: shape ${g.shape} vs ${w.shape}`);
    return { name: w.name, rel: relL2(g.data, w.data) };
  });
}

/** A temp folder removed after the test file (test/setup/temp-dirs.ts). */
export function tempDir(prefix: string): string {
  return registerTempDir(mkdtempSync(join(tmpdir(), prefix)));
}

/**
 * G biases whose every path to the loss passes a batch norm over batch statistics: BN subtracts the
 * batch mean, so their gradient is zero in exact arithmetic and both trainers apply float noise (Adam
 * turns any noise into a step of up to lr). These are compared as noise, not as values.
 */
export function bnCancelledBiases(gan: RunConfig['gan']): string[] {
  const blocks = (G_MULTIPLIERS[gan.resolution]?.length ?? 1) - 1;
  const last = `block${blocks - 1}`;
  return [...Array.from({ length: blocks }, (_, i) => `block${i}.conv1.b`), `${last}.conv2.b`, `${last}.shortcut.b`];
}

/** Both sides' gradients (Adam m) of the cancelled biases are noise, and weights moved by at most `maxMove`. */
export function expectNoise(got: Map<string, NamedArray>, want: NamedArray[], cancelled: Set<string>, maxMove: number): void {
  const gradScale = Math.max(...want.filter((w) => w.name.startsWith('adam_g/m/')).map((w) => Math.max(...Array.from(w.data, Math.abs))));
  for (const name of cancelled) {
    for (const side of [got.get(`adam_g/m/${name}`)!.data, want.find((w) => w.name === `adam_g/m/${name}`)!.data]) {
      expect(Math.max(...Array.from(side, Math.abs)), `gradient of ${name} is noise`).toBeLessThan(1e-4 * gradScale);
    }
    for (const prefix of ['g', 'ema']) {
      const [a, b] = [got.get(`${prefix}/${name}`)!.data, want.find((w) => w.name === `${prefix}/${name}`)!.data];
      expect(Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i]!))), `${prefix}/${name}`).toBeLessThanOrEqual(2 * maxMove * 1.0001);
    }
  }
}
