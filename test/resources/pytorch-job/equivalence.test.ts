// The PyTorch job against the app's trainer (tfjs, cpu backend), per preset: from the same checkpoint
// (the app's initial weights, sampler state and config) one D step and one G step give the same losses
// and the same weights, SN vectors, EMA and Adam moments (1e-4 relative L2 per tensor).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Method } from '../../../shared/contract';
import sharp from 'sharp';
import { readCheckpointFile } from '../../../main/engine/gan/run/checkpoint-file';
import { loadRunGenerator } from '../../../main/engine/gan/sample/generator';
import { renderGrid } from '../../../main/engine/gan/sample/grid';
import { useBackend } from '../../main/engine/gan/helpers';
import { tempDir } from './job-fixture';
import { appRun, presetData, tinyRunConfig, type AppResult } from './app-run';
import { bnCancelledBiases, compareArrays, expectNoise, runPython, torchMissing, torchRequired } from './job-fixture';

const missing = torchMissing();
if (missing && torchRequired) throw new Error(`CI=true requires the PyTorch job's tests: ${missing}`);
const TOL = 1e-4;
const worst: Record<string, { tensor: string; rel: number; loss: number }> = {};

function lastRow(runDir: string): Record<string, number> {
  const lines = readFileSync(join(runDir, 'metrics.jsonl'), 'utf8').trim().split('\n');
  return JSON.parse(lines.at(-1)!) as Record<string, number>;
}

interface Case { label: string; config: ReturnType<typeof tinyRunConfig>; fresh?: boolean }
const CASES: Case[] = [
  ...Method.options.map((method) => ({ label: method, config: tinyRunConfig(method) })),
  { label: 's3gan-rgb-diffaug', config: tinyRunConfig('s3gan', { channels: 3, diffaug: true, dSteps: 2, steps: 2 }) },
  { label: 'fresh-s3gan', config: tinyRunConfig('s3gan'), fresh: true },
  { label: 'folder-s2gan-co', config: tinyRunConfig('s2gan-co'), fresh: true },
];
const jobs = new Map<string, { job: string; app: AppResult }>();

/** Every case's app side first, then one Python process trains every job (torch imports once). */
async function prepareAll(): Promise<void> {
  await useBackend('cpu');
  for (const c of CASES) {
    const job = tempDir(`eq-${c.label}-`);
    jobs.set(c.label, { job, app: await appRun(job, c.config, presetData(c.config), c.fresh ?? false) });
  }
  runPython(['-c', 'import sys\nfrom s3gan_job.train import main\nfor j in sys.argv[1:]: main(["--job", j, "--threads", "1"])', ...[...jobs.values()].map((j) => j.job)]);
}

function equivalent(label: string): void {
  const { config } = CASES.find((c) => c.label === label)!;
  const { job, app } = jobs.get(label)!;
  const runDir = join(job, 'run');
  const ckpt = readCheckpointFile<{ step: number }>(join(runDir, 'checkpoints', `ckpt-${String(config.train.steps).padStart(8, '0')}.s3g`));
  expect(ckpt.meta.step).toBe(config.train.steps);
  const cancelled = new Set(bnCancelledBiases(config.gan));
  const rows = compareArrays(ckpt.arrays, app.arrays.filter((a) => !cancelled.has(a.name.replace(/^(g|ema|adam_g\/[mv])\//, ''))));
  expectNoise(ckpt.arrays, app.arrays, cancelled, config.train.lrG * config.train.steps);
  const row = lastRow(runDir);
  const lossKeys = Object.keys(app.row).filter((k) => /^[dg]_/.test(k));
  expect(Object.keys(row).filter((k) => /^[dg]_/.test(k)).sort()).toEqual(lossKeys.sort());
  const lossErr = Math.max(...lossKeys.map((k) => Math.abs(row[k]! - app.row[k]!) / Math.max(1e-3, Math.abs(app.row[k]!))));
  const top = rows.reduce((a, b) => (b.rel > a.rel ? b : a));
  worst[label] = { tensor: top.name, rel: top.rel, loss: lossErr };
  expect(lossErr, `losses ${JSON.stringify(row)} vs ${JSON.stringify(app.row)}`).toBeLessThan(TOL);
  if (process.env.EQ_DEBUG) console.log(rows.filter((r) => r.rel > 1e-6).map((r) => `${r.name} ${r.rel.toExponential(2)}`).join('\n'));
  for (const r of rows) expect(r.rel, r.name).toBeLessThan(TOL);
}

describe.skipIf(missing !== null)(`PyTorch job = app trainer, one D and one G step per preset${missing ? ` (skipped: ${missing})` : ''}`, () => {
  beforeAll(prepareAll, 240_000);
  afterAll(() => console.log(`max relative L2 per case: ${JSON.stringify(worst)}`));

  for (const c of CASES.slice(0, -1)) it(c.label, () => equivalent(c.label));
  it('the run folder is the app\'s: config.json verbatim, state done, the same grid', async () => {
    const { job } = jobs.get('folder-s2gan-co')!;
    const c = CASES.at(-1)!.config;
    expect(JSON.parse(readFileSync(join(job, 'run', 'config.json'), 'utf8'))).toEqual(c);
    expect(JSON.parse(readFileSync(join(job, 'run', 'state.json'), 'utf8'))).toMatchObject({ state: 'done', step: 1 });
    expect(existsSync(join(job, 'run', 'checkpoints', 'ckpt-00000001.s3g'))).toBe(true);
    // The final grid: the app's renderer on the job's checkpoint draws the same picture.
    const loaded = loadRunGenerator(join(job, 'run'));
    const want = await renderGrid({ cfg: c.gan, g: loaded.g, seed: c.train.seed });
    loaded.dispose();
    const [a, b] = await Promise.all([readFileSync(join(job, 'run', 'grids', 'step-000001.png')), want].map((p) => sharp(p).raw().toBuffer({ resolveWithObject: true })));
    expect([a!.info.width, a!.info.height, a!.info.channels]).toEqual([b!.info.width, b!.info.height, b!.info.channels]);
    const diff = a!.data.reduce((m, v, i) => Math.max(m, Math.abs(v - b!.data[i]!)), 0);
    console.log(`grid ${a!.info.width}x${a!.info.height}: max pixel difference ${diff}`);
    expect(diff).toBeLessThanOrEqual(1);
  });
});
