// `s3gan export-job`: a self-contained, relocatable PyTorch job (resources/pytorch-job) for a new run —
// config.json is the RunConfig the app's trainer would build for the same flags (planNewRun, from the
// one TrainConfig), data/ holds uint8 shards + labels + labeled pool with SHA-256s, and the trainer
// package, run.sh and README are copied beside them. The job writes its run into DIR/run/.
// With --resume RUN the job continues an app run: config.json is the run's own (length and cadence may
// change, as for `s3gan train --resume`), data/ is its training set, and DIR/run/ is seeded with the run's
// newest checkpoint (weights, Adam moments, EMA, step, sampler/PRNG state), log, grids and labels, so the
// trainer resumes there exactly; resumed-from.json tells import-run which run and step it continues.
import { createHash } from 'node:crypto';
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ContractError } from '../../../../shared/contract';
import type { OpenProject } from '../../base/engine-context';
import { checkpointDir, checkpointPath, latestCheckpoint } from '../run/checkpoint';
import type { RunConfig } from '../run/run-config';
import { gridPath, listGrids, type RunLabels } from '../run/run-store';
import type { TrainingData } from './batches';
import { RESUMED_FROM_FILE } from './import-run';
import { planNewRun, planResumedRun, type TrainRequest } from './run-train';

/** Bumped when the folder layout or data format changes; run.sh and the trainer check their own. */
export const JOB_FORMAT = 1;
const SHARD_IMAGES = 4096;

/** resources/pytorch-job from the sources, the bundle (out/main/chunks) or a packaged app's resources. */
export function jobTemplateDir(): string {
  const packaged = (process as { resourcesPath?: string }).resourcesPath;
  if (packaged && existsSync(join(packaged, 'pytorch-job', 'run.sh'))) return join(packaged, 'pytorch-job');
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const candidate = join(dir, 'resources', 'pytorch-job');
    if (existsSync(join(candidate, 'run.sh'))) return candidate;
    if (dirname(dir) === dir) throw new ContractError('INTERNAL', 'resources/pytorch-job is missing from this installation');
  }
}

function writeHashed(dir: string, name: string, bytes: Uint8Array): { file: string; sha256: string } {
  writeFileSync(join(dir, name), bytes);
  return { file: name, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** The job's data/ folder: uint8 NHWC shards, int32 LE labels (−1 unknown) and labeled pool, manifest. */
export function writeJobData(dir: string, data: TrainingData, runLabels: RunLabels | null, shardImages = SHARD_IMAGES): void {
  mkdirSync(dir, { recursive: true });
  const px = data.size * data.size * data.channels;
  const shards = [];
  for (let i = 0; i * shardImages < data.n; i++) {
    const count = Math.min(shardImages, data.n - i * shardImages);
    shards.push({ ...writeHashed(dir, `images-${String(i).padStart(5, '0')}.u8`, data.pixels.subarray(i * shardImages * px, (i * shardImages + count) * px)), count });
  }
  const i32 = (a: Int32Array) => new Uint8Array(Int32Array.from(a).buffer); // little-endian: x86 and ARM alike
  if (runLabels) writeFileSync(join(dir, 'labels.json'), `${JSON.stringify(runLabels)}\n`);
  const manifest = {
    format: 1, n: data.n, size: data.size, channels: data.channels, numClasses: data.numClasses, shards,
    labels: writeHashed(dir, 'labels.i32', i32(data.labels)), labeledPool: writeHashed(dir, 'labeled-pool.i32', i32(data.labeledPool)),
    ...(runLabels ? { runLabels: 'labels.json' } : {}),
  };
  writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 1)}\n`);
}

export interface ExportJobResult {
  out: string;
  run: string;
  images: number;
  config: RunConfig;
  /** --resume: the step the job continues from. */
  fromStep?: number;
}

const NO_EVAL = 'the PyTorch job cannot evaluate during training (it needs the app\'s encoder)';

/** What the job trains: a new run's plan, or an app run's config, training set and newest checkpoint. */
async function plan(project: OpenProject, req: TrainRequest, backend: string) {
  if (req.resume === undefined) return { ...(await planNewRun(project, req, backend)), resume: null };
  const r = await planResumedRun(project, { ...req, resume: req.resume });
  if (r.config.train.evalEvery > 0) throw new ContractError('INVALID_PAYLOAD', `${NO_EVAL}: run ${r.config.run} evaluates every ${r.config.train.evalEvery} steps — pass --eval-every 0, then \`s3gan eval\` the imported run`);
  const latest = latestCheckpoint(r.dir);
  if (!latest) throw new ContractError('STAGE_MISSING', `run ${r.config.run} has no checkpoint to continue from yet`);
  if (latest.step >= r.config.train.steps) throw new ContractError('INVALID_PAYLOAD', `run ${r.config.run} is at step ${latest.step} of ${r.config.train.steps}: pass --steps N (more than ${latest.step}) to continue it`);
  return { config: r.config, data: r.data, labels: r.labels, resume: { dir: r.dir, step: latest.step } };
}

/** DIR/run seeded with the app run's newest checkpoint, log, grids and labels (the trainer resumes there). */
function seedRun(runOut: string, from: { dir: string; step: number }, config: RunConfig, labels: RunLabels): void {
  mkdirSync(checkpointDir(runOut), { recursive: true });
  copyFileSync(checkpointPath(from.dir, from.step), checkpointPath(runOut, from.step));
  mkdirSync(join(runOut, 'grids'), { recursive: true });
  for (const s of listGrids(from.dir)) copyFileSync(gridPath(from.dir, s), gridPath(runOut, s));
  if (existsSync(join(from.dir, 'metrics.jsonl'))) copyFileSync(join(from.dir, 'metrics.jsonl'), join(runOut, 'metrics.jsonl'));
  writeFileSync(join(runOut, 'config.json'), `${JSON.stringify(config, null, 1)}\n`);
  writeFileSync(join(runOut, 'labels.json'), `${JSON.stringify(labels)}\n`);
  writeFileSync(join(runOut, RESUMED_FROM_FILE), `${JSON.stringify({ run: config.run, step: from.step })}\n`);
}

export async function exportJob(project: OpenProject, req: TrainRequest, o: { out: string; backend: string; overwrite?: boolean }): Promise<ExportJobResult> {
  if ((req.evalEvery ?? 0) > 0) throw new ContractError('INVALID_PAYLOAD', `${NO_EVAL}: drop --eval-every, then \`s3gan eval\` the imported run`);
  const { config, data, labels, resume } = await plan(project, req, o.backend);
  if (existsSync(o.out) && readdirSync(o.out).length > 0) {
    if (!o.overwrite) throw new ContractError('CONFLICT', `${o.out} is not empty: choose an empty folder, or pass --force to replace it`);
    rmSync(o.out, { recursive: true, force: true });
  }
  mkdirSync(o.out, { recursive: true });
  const template = jobTemplateDir();
  cpSync(join(template, 's3gan_job'), join(o.out, 's3gan_job'), { recursive: true, filter: (src) => !src.includes('__pycache__') });
  for (const f of ['run.sh', 'README.md']) cpSync(join(template, f), join(o.out, f));
  writeFileSync(join(o.out, 'config.json'), `${JSON.stringify(config, null, 1)}\n`);
  writeJobData(join(o.out, 'data'), data, labels);
  if (resume) seedRun(join(o.out, 'run'), resume, config, labels);
  const stamp = { format: JOB_FORMAT, run: config.run, project: project.dir, exportedAt: new Date().toISOString(), ...(resume ? { resumedFrom: { run: config.run, step: resume.step } } : {}) };
  writeFileSync(join(o.out, 'job.json'), `${JSON.stringify(stamp, null, 1)}\n`);
  return { out: o.out, run: config.run, images: data.n, config, ...(resume ? { fromStep: resume.step } : {}) };
}
