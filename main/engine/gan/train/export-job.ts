// `s3gan export-job`: a self-contained, relocatable PyTorch job (resources/pytorch-job) for a new run —
// config.json is the RunConfig the app's trainer would build for the same flags (planNewRun, from the
// one TrainConfig), data/ holds uint8 shards + labels + labeled pool with SHA-256s, and the trainer
// package, run.sh and README are copied beside them. The job writes its run into DIR/run/.
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ContractError } from '../../../../shared/contract';
import type { OpenProject } from '../../base/engine-context';
import type { RunConfig } from '../run/run-config';
import type { RunLabels } from '../run/run-store';
import type { TrainingData } from './batches';
import { planNewRun, type TrainRequest } from './run-train';

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
}

export async function exportJob(project: OpenProject, req: TrainRequest, o: { out: string; backend: string; overwrite?: boolean }): Promise<ExportJobResult> {
  if (req.resume !== undefined) throw new ContractError('INVALID_PAYLOAD', 'export-job --resume (continuing an app run as a job) is not built yet: export a new run');
  if ((req.evalEvery ?? 0) > 0) throw new ContractError('INVALID_PAYLOAD', 'the PyTorch job cannot evaluate during training (it needs the app\'s encoder): drop --eval-every, then `s3gan eval` the imported run');
  const { config, data, labels } = await planNewRun(project, req, o.backend);
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
  writeFileSync(join(o.out, 'job.json'), `${JSON.stringify({ format: JOB_FORMAT, run: config.run, project: project.dir, exportedAt: new Date().toISOString() }, null, 1)}\n`);
  return { out: o.out, run: config.run, images: data.n, config };
}
