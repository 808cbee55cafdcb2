// What `s3gan import-run` checks before anything is copied: where the run is (a job folder or its run/),
// that its config is a RunConfig, that its training set and classes belong to this project, that the job's
// data (when brought back) matches its manifest's SHA-256s, and that every checkpoint reads back whole.
// Each failure is a ContractError whose message says what is wrong and what to do.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { ContractError, GanConfig, JobSession, type ClassDef } from '../../../../shared/contract';
import { checkpointPath, listCheckpoints, loadCheckpoint, type CheckpointHeader } from './checkpoint';
import { parseRunConfig, type RunConfig } from './run-config';
import type { RunLabels } from './run-store';

export interface LocatedRun {
  /** The run folder to import (config.json, labels.json, checkpoints/, …). */
  runDir: string;
  /** The job's data/ when it was brought back, else null. */
  dataDir: string | null;
}

const bad = (message: string) => new ContractError('INVALID_PAYLOAD', message);

/** DIR is a job folder (DIR/run/config.json) or a run folder itself (DIR/config.json + checkpoints/). */
export function locateRun(dir: string): LocatedRun {
  if (!existsSync(dir)) throw new ContractError('NOT_FOUND', `There is no folder ${dir}`);
  const data = (jobDir: string) => (existsSync(join(jobDir, 'data', 'manifest.json')) ? join(jobDir, 'data') : null);
  if (existsSync(join(dir, 'run', 'config.json'))) return { runDir: join(dir, 'run'), dataDir: data(dir) };
  if (existsSync(join(dir, 'config.json')) && existsSync(join(dir, 'checkpoints'))) {
    // A run/ copied back beside its job's data/ (DIR/run given instead of DIR): check the data too.
    const parent = dirname(dir);
    return { runDir: dir, dataDir: basename(dir) === 'run' && existsSync(join(parent, 'job.json')) ? data(parent) : null };
  }
  if (existsSync(join(dir, 'job.json'))) throw bad(`The job in ${dir} has not been run yet (no run/ folder): run \`bash ${join(dir, 'run.sh')}\` first, then import it`);
  throw bad(`${dir} is neither a PyTorch job folder (with run/) nor a run folder (config.json and checkpoints/)`);
}

function readJsonFile(path: string, what: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw bad(`${what} (${path}) is unreadable: ${(e as Error).message}`);
  }
}

export function readImportedConfig(runDir: string): RunConfig {
  const path = join(runDir, 'config.json');
  try {
    return parseRunConfig(readJsonFile(path, 'The run config'));
  } catch (e) {
    if (e instanceof ContractError) throw e;
    const issues = (e as { issues?: { path: (string | number)[]; message: string }[] }).issues;
    const why = issues ? issues.slice(0, 3).map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ') : (e as Error).message;
    throw bad(`${path} is not a run config of this app (${why}): was it written by a newer app or edited by hand?`);
  }
}

/** The run's training set: run/labels.json, else the job's data/labels.json. */
export function readImportedLabels(loc: LocatedRun, numClasses: number): RunLabels {
  const path = [join(loc.runDir, 'labels.json'), ...(loc.dataDir ? [join(loc.dataDir, 'labels.json')] : [])].find((p) => existsSync(p));
  if (!path) throw bad(`The run has no labels.json (its training set, needed to continue it): copy ${join(loc.runDir, 'labels.json')} back too`);
  const l = readJsonFile(path, 'The run\'s training set') as Partial<RunLabels> | null;
  const strings = (a: unknown): a is string[] => Array.isArray(a) && a.every((x) => typeof x === 'string');
  if (!l || !strings(l.ids) || !strings(l.labeledIds) || !Array.isArray(l.labels) || l.labels.length !== l.ids.length) {
    throw bad(`${path} is not a run's training set (ids, labels and labeledIds of equal length)`);
  }
  const outOfRange = l.labels.findIndex((v) => !Number.isInteger(v) || v < -1 || v >= numClasses);
  if (outOfRange >= 0) throw bad(`${path}: label ${String(l.labels[outOfRange])} of image ${l.ids[outOfRange]} is not a class index of this run (0..${numClasses - 1}, or -1)`);
  return l as RunLabels;
}

/** The run must have been trained on this project: its classes exist here, its images are here, same channels. */
export function checkAgainstProject(config: RunConfig, labels: RunLabels, project: { classes: ClassDef[]; ids: string[]; channels: number }): { notes: string[] } {
  const notes: string[] = [];
  if (config.gan.channels !== project.channels) {
    throw bad(`The run trains ${config.gan.channels === 3 ? 'colour' : 'grey'} images (${config.gan.channels} channel${config.gan.channels === 1 ? '' : 's'}), this project has ${project.channels}: it belongs to another project`);
  }
  if (config.classIds.length > 0) {
    if (config.classIds.length !== config.gan.numClasses) throw bad(`The run's config lists ${config.classIds.length} class ids for ${config.gan.numClasses} classes`);
    const here = new Set(project.classes.map((c) => c.id));
    const unknown = config.classIds.map((id, i) => ({ id, name: config.classNames[i] ?? id })).filter((c) => !here.has(c.id));
    if (unknown.length > 0) {
      throw bad(`The run's classes ${unknown.map((c) => `"${c.name}" (${c.id})`).join(', ')} are not classes of this project: the run was trained on another project, or those classes were deleted since`);
    }
  }
  const ids = new Set(project.ids);
  const present = labels.ids.filter((id) => ids.has(id)).length;
  if (labels.ids.length > 0 && present === 0) {
    throw bad(`None of the run's ${labels.ids.length} training images is in this project: the run was trained on another project`);
  }
  if (present < labels.ids.length) notes.push(`${labels.ids.length - present} of the run's ${labels.ids.length} training images are no longer in this project; continuing it trains without them`);
  return { notes };
}

function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(path).on('data', (d) => h.update(d)).on('error', reject).on('end', () => resolve(h.digest('hex')));
  });
}

interface Manifest {
  n: number; size: number; channels: number; numClasses: number;
  shards: { file: string; sha256: string }[];
  labels: { file: string; sha256: string };
  labeledPool: { file: string; sha256: string };
}

/** The job's data/ as exported: sizes agree with the run, every file present with its manifest's SHA-256. */
export async function checkJobData(dataDir: string, config: RunConfig): Promise<void> {
  const m = readJsonFile(join(dataDir, 'manifest.json'), 'The job\'s data manifest') as Manifest;
  if (!m || !Array.isArray(m.shards) || !m.labels || !m.labeledPool) throw bad(`${join(dataDir, 'manifest.json')} is not a job data manifest`);
  const g = config.gan;
  if (m.size !== g.resolution || m.channels !== g.channels || m.numClasses !== g.numClasses) {
    throw bad(`The job's data is ${m.size} px, ${m.channels} channel(s), ${m.numClasses} classes but its run is ${g.resolution} px, ${g.channels}, ${g.numClasses}: data and run come from different jobs`);
  }
  for (const f of [...m.shards, m.labels, m.labeledPool]) {
    const path = join(dataDir, f.file);
    if (!existsSync(path)) throw bad(`The job's data file ${path} is missing (listed in manifest.json): copy the job folder again`);
    if ((await sha256File(path)) !== f.sha256) throw bad(`The job's data file ${path} is corrupt (its SHA-256 differs from manifest.json): copy the job folder again`);
  }
}

/** Every checkpoint reads back whole, for this run's model; returns the steps (newest last). */
export function checkCheckpoints(runDir: string, config: RunConfig): number[] {
  const steps = listCheckpoints(runDir);
  if (steps.length === 0) throw bad(`The run in ${runDir} has no checkpoint (checkpoints/ckpt-*.s3g): nothing to import — did the job train any step?`);
  for (const step of steps) {
    const path = checkpointPath(runDir, step);
    let meta: CheckpointHeader;
    try {
      meta = loadCheckpoint(path).meta;
    } catch (e) {
      throw bad(`${(e as Error).message}: copy it again (or delete it to import the run without it)`);
    }
    if (meta.step !== step) throw bad(`${path} holds step ${meta.step}, not ${step}: the file was renamed`);
    const gan = GanConfig.safeParse(meta.config?.gan);
    if (!gan.success || !isDeepStrictEqual(gan.data, config.gan)) throw bad(`${path} was written for another model than the run's config.json (gan section differs)`);
  }
  return steps;
}

/** The job's own record of what trained it (origin.json, written by the trainer), or null. */
export function readJobOrigin(runDir: string): { torch?: string; python?: string; sessions: JobSession[] } | null {
  const path = join(runDir, 'origin.json');
  if (!existsSync(path)) return null;
  const o = readJsonFile(path, 'The job\'s origin record') as { trainer?: string; torch?: string; python?: string; sessions?: JobSession[] };
  if (o?.trainer !== 'pytorch') throw bad(`${path} does not come from the PyTorch job (trainer ${String(o?.trainer)})`);
  const sessions = JobSession.array().safeParse(o.sessions ?? []);
  if (!sessions.success) throw bad(`${path}: sessions are not the job's format (${sessions.error.issues[0]?.message ?? 'invalid'})`);
  return { ...(o.torch ? { torch: o.torch } : {}), ...(o.python ? { python: o.python } : {}), sessions: sessions.data };
}
