// What the PyTorch job refuses at start (it has no defaults of its own and drops nothing silently), the
// guard that keeps its field lists equal to the app's TRAIN_FIELDS, and the --bf16 code path.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { GanConfig, TRAIN_FIELD_NAMES, TRAIN_FIELDS, TRAIN_SECTION } from '../../../shared/contract';
import { useBackend } from '../../main/engine/gan/helpers';
import { appRun, presetData, tinyRunConfig } from './app-run';
import { runJob, runPython, tempDir, torchMissing, torchRequired } from './job-fixture';

const missing = torchMissing();
if (missing && torchRequired) throw new Error(`CI=true requires the PyTorch job's tests: ${missing}`);
const config = tinyRunConfig('s3gan');

describe.skipIf(missing !== null)(`PyTorch job, refusals${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let template = '';
  beforeAll(async () => {
    await useBackend('cpu');
    template = tempDir('refuse-');
    await appRun(template, config, presetData(config), true);
  }, 60_000);

  /** A copy of the job with config.json changed by `edit`; the job's exit and stderr. */
  const attempt = (edit: (c: Record<string, unknown>) => void, launch?: (job: string) => { status: number | null; stderr: string }) => {
    const job = tempDir('refuse-case-');
    cpSync(template, job, { recursive: true, filter: (src) => !src.startsWith(join(template, 'run')) });
    const c = JSON.parse(JSON.stringify(config)) as Record<string, unknown>;
    edit(c);
    writeFileSync(join(job, 'config.json'), JSON.stringify(c));
    const r = launch ? launch(job) : runPython(['-m', 's3gan_job', '--job', job], {}, false);
    return { status: r.status, stderr: r.stderr, job };
  };
  const train = (c: Record<string, unknown>) => c.train as Record<string, unknown>;

  it('evalEvery > 0 (needs the app\'s encoder)', () => {
    const r = attempt((c) => { train(c).evalEvery = 5; });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/evalEvery 5: in-training evaluation needs the app's feature encoder/);
  });

  it('a missing or unknown field', () => {
    expect(attempt((c) => { delete train(c).lrD; }).stderr).toMatch(/config.json train lacks lrD \(this trainer has no defaults of its own\)/);
    expect(attempt((c) => { train(c).mixup = 0.5; }).stderr).toMatch(/config.json train has fields this trainer cannot honour: mixup/);
  });

  it('counts that do not split over the processes, with the numbers', () => {
    // batch 8, labeledFraction 0.125 → 1 labeled image per batch, over 2 processes
    // as rank 0 of 2 (torchrun's environment): the refusal comes before any peer is contacted
    const r = attempt((c) => { train(c).labeledFraction = 0.125; }, (job) => runPython(['-m', 's3gan_job', '--job', job], { WORLD_SIZE: '2', RANK: '0' }, false));
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/cannot split the batch over 2 processes: labeled images per batch 1 not divisible by 2 processes/);
  });

  it('a damaged data shard', () => {
    const r = attempt(() => undefined, (job) => {
      const shard = join(job, 'data', 'images-00000.u8');
      const bytes = readFileSync(shard);
      bytes[0] = bytes[0]! ^ 1;
      writeFileSync(shard, bytes);
      return runPython(['-m', 's3gan_job', '--job', job], {}, false);
    });
    expect(r.stderr).toMatch(/images-00000\.u8 is damaged \(SHA-256 differs from the manifest\)/);
  });

  it('continuing a run whose maths differ (only length and cadence may change)', () => {
    const job = tempDir('refuse-resume-');
    cpSync(template, job, { recursive: true, filter: (src) => !src.startsWith(join(template, 'run')) });
    runJob(job);
    writeFileSync(join(job, 'config.json'), JSON.stringify({ ...config, train: { ...config.train, lrG: 1e-3, steps: 3 } }));
    const r = runPython(['-m', 's3gan_job', '--job', job], {}, false);
    expect(r.stderr).toMatch(/the run was trained with different lrG \(0.0002, job 0.001\)/);
  });

  it('--bf16: the autocast path trains and stays near float32', () => {
    const job = tempDir('bf16-');
    cpSync(template, job, { recursive: true, filter: (src) => !src.startsWith(join(template, 'run')) });
    runJob(job, ['--bf16']);
    const row = JSON.parse(readFileSync(join(job, 'run', 'metrics.jsonl'), 'utf8').trim()) as Record<string, number>;
    const ref = tempDir('fp32-');
    cpSync(template, ref, { recursive: true, filter: (src) => !src.startsWith(join(template, 'run')) });
    runJob(ref);
    const want = JSON.parse(readFileSync(join(ref, 'run', 'metrics.jsonl'), 'utf8').trim()) as Record<string, number>;
    for (const k of ['d_loss', 'g_loss']) expect(Math.abs(row[k]! - want[k]!), k).toBeLessThan(0.05 * Math.max(1, Math.abs(want[k]!)));
  });
});

describe.skipIf(missing !== null)('the job\'s field lists are the app\'s', () => {
  it('train keys, changeable-on-resume keys and model keys equal TRAIN_FIELDS and GanConfig', () => {
    const out = runPython(['-c', 'import json; from s3gan_job import config as c; print(json.dumps([c.TRAIN_KEYS, c.CHANGEABLE, c.GAN_KEYS + c.GAN_OPTIONAL]))']).stdout;
    const [keys, changeable, gan] = JSON.parse(out) as string[][];
    expect(keys).toEqual([...TRAIN_SECTION]);
    expect(changeable).toEqual(TRAIN_FIELD_NAMES.filter((k) => TRAIN_FIELDS[k].home === 'train' && TRAIN_FIELDS[k].resume === 'change'));
    expect(gan!.sort()).toEqual(Object.keys(GanConfig.shape).sort());
  });
});
