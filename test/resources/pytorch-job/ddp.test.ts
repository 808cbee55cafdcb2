// The job under torchrun (gloo, CPU): 2 processes for 5 steps equal 1 process on the full batch (G's
// batch norm on frozen statistics, the only per-shard difference) to 1e-5 relative L2 per tensor, every
// rank ends bit-identical; the same holds for two torchrun launchers as two "nodes" on 127.0.0.1.
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCheckpointFile, type NamedArray } from '../../../main/engine/gan/run/checkpoint-file';
import { useBackend } from '../../main/engine/gan/helpers';
import { appRun, presetData, tinyRunConfig } from './app-run';
import { PACKAGE_ROOT, PYTHON, relL2, runJob, tempDir, torchMissing, torchRequired } from './job-fixture';
import { freePort, torchrunStandalone, torchrunTwoNodes } from './launch';

const missing = torchMissing();
if (missing && torchRequired) throw new Error(`CI=true requires the PyTorch job's tests: ${missing}`);
const STEPS = 5;
// Co-training + rotation + DiffAugment, 2 D steps: batch 8 → 4 per rank, 2 labeled and 2 rotated (1 each).
const config = tinyRunConfig('s3gan', { steps: STEPS, dSteps: 2, diffaug: true, checkpointEvery: STEPS, channels: 3 });

function finalState(job: string): Map<string, NamedArray> {
  return readCheckpointFile(join(job, 'run', 'checkpoints', `ckpt-${String(STEPS).padStart(8, '0')}.s3g`)).arrays;
}

function rankHashes(job: string, n: number): string[] {
  return Array.from({ length: n }, (_, r) => (JSON.parse(readFileSync(join(job, 'run', 'ranks', `rank-${r}.json`), 'utf8')) as { sha256: string }).sha256);
}

function maxRel(a: Map<string, NamedArray>, b: Map<string, NamedArray>): { name: string; rel: number } {
  expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
  return [...b.values()].map((w) => ({ name: w.name, rel: relL2(a.get(w.name)!.data, w.data) })).reduce((x, y) => (y.rel > x.rel ? y : x));
}

function lossRows(job: string): Record<string, number>[] {
  return readFileSync(join(job, 'run', 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => {
    const row = JSON.parse(l) as Record<string, number>;
    return Object.fromEntries(Object.entries(row).filter(([k]) => /^[dg]_/.test(k)));
  });
}

describe.skipIf(missing !== null)(`PyTorch job, data-parallel${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let template = '';
  let single: Map<string, NamedArray>;
  beforeAll(async () => {
    await useBackend('cpu');
    template = tempDir('ddp-template-');
    await appRun(template, config, presetData(config), true); // writes the job folder (the app's steps are not used)
    const one = tempDir('ddp-1-');
    cpSync(template, one, { recursive: true, filter: (src) => !src.includes(`${template}/run`) });
    runJob(one, ['--freeze-g-bn', '--rank-checksums']);
    single = finalState(one);
    template = one;
  }, 120_000);

  const check = (job: string, label: string) => {
    const hashes = rankHashes(job, 2);
    expect(hashes[1], 'ranks identical').toBe(hashes[0]);
    const worst = maxRel(finalState(job), single);
    console.log(`${label}: max relative L2 vs 1 process after ${STEPS} steps: ${worst.rel.toExponential(2)} (${worst.name})`);
    expect(worst.rel, worst.name).toBeLessThan(1e-5);
    const [a, b] = [lossRows(job), lossRows(template)];
    a.forEach((row, i) => Object.entries(row).forEach(([k, v]) => expect(Math.abs(v - b[i]![k]!), `${k} step ${i + 1}`).toBeLessThan(1e-5 * Math.max(1, Math.abs(v)))));
  };

  it('torchrun --nproc_per_node 2 (gloo) = 1 process on the full batch, ranks identical', () => {
    const job = tempDir('ddp-2-');
    cpSync(template, job, { recursive: true, filter: (src) => !src.includes(`${template}/run`) });
    torchrunStandalone(job, 2);
    check(job, '2 processes');
  }, 180_000);

  it('two torchrun launchers as nodes 0 and 1 (c10d rendezvous on 127.0.0.1) = 1 process', async () => {
    const job = tempDir('ddp-nodes-');
    cpSync(template, job, { recursive: true, filter: (src) => !src.includes(`${template}/run`) });
    await torchrunTwoNodes(job);
    check(job, '2 nodes');
  }, 180_000);

  it('a rank that dies ends the job with the checkpoint to resume from; rerunning resumes and ends as 1 process', () => {
    const job = tempDir('ddp-crash-');
    cpSync(template, job, { recursive: true, filter: (src) => !src.includes(`${template}/run`) });
    writeFileSync(join(job, 'config.json'), JSON.stringify({ ...config, train: { ...config.train, checkpointEvery: 2 } }));
    const crashed = torchrunStandalone(job, 2, ['--crash-at-step', '3'], false);
    expect(crashed.status).not.toBe(0);
    expect(crashed.stderr).toMatch(/training stopped during step 4: .*Rerun the job \(the same command\) to resume from step 2 \(.*ckpt-00000002\.s3g\)/);
    expect(JSON.parse(readFileSync(join(job, 'run', 'state.json'), 'utf8'))).toMatchObject({ state: 'failed', step: 2 });
    torchrunStandalone(job, 2);
    expect(JSON.parse(readFileSync(join(job, 'run', 'state.json'), 'utf8'))).toMatchObject({ state: 'done', step: STEPS });
    check(job, 'crashed at step 3, resumed');
  }, 240_000);

  it('the job folder\'s own run.sh (package copied in, NPROC_PER_NODE=2) trains the same run', async () => {
    const job = tempDir('ddp-runsh-');
    cpSync(template, job, { recursive: true, filter: (src) => !src.includes(`${template}/run`) });
    for (const f of ['s3gan_job', 'run.sh']) cpSync(join(PACKAGE_ROOT, f), join(job, f), { recursive: true });
    const { PYTHONPATH: _, ...env } = process.env;
    const r = spawnSync('bash', [join(job, 'run.sh'), '--threads', '1', '--freeze-g-bn', '--rank-checksums'], {
      encoding: 'utf8', cwd: tmpdir(), env: { ...env, PYTHON, NPROC_PER_NODE: '2', MASTER_PORT: String(await freePort()) }, timeout: 180_000,
    });
    expect(r.status, r.stderr).toBe(0);
    check(job, 'run.sh, 2 processes');
  }, 240_000);
});
