// `s3gan import-run` / 'runs.import': a PyTorch job's run (the job folder, or just its run/) checked
// against the project (run/import-checks.ts) and added as a NEW run — never over an existing one: a job
// that continued an app run (export-job --resume) becomes a new run recording what it resumed from.
// Everything is copied into a temp folder inside runs/ (not listed as a run) and renamed at the end, so a
// failure or crash leaves runs/ as it was. The generator export (export/) is made here, as the app's
// trainer makes it at the end of a run; the job writes none.
import { closeSync, copyFileSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ContractError, Id, type RunOrigin } from '../../../../shared/contract';
import { writeFileAtomic } from '../../base/durable-fs';
import type { OpenProject } from '../../base/engine-context';
import { checkpointDir, checkpointPath, latestCheckpoint } from '../run/checkpoint';
import { checkAgainstProject, checkCheckpoints, checkJobData, locateRun, readImportedConfig, readImportedLabels, readJobOrigin } from '../run/import-checks';
import { createRunFolder, gridPath, listGrids, newRunId, readRunState, runDir, runsDir, writeRunState } from '../run/run-store';
import { exportGenerator } from '../sample/export';
import { loadRunGenerator } from '../sample/generator';
import { loadTrainingCheckpoint, restoreInto } from './checkpoint-state';
import { createModels, disposeModels } from './models';

/** Written by `export-job --resume` into the job's run/: the app run and checkpoint it continues. */
export const RESUMED_FROM_FILE = 'resumed-from.json';
const TEMP_PREFIX = '.import-';

export interface ImportedRun {
  run: string;
  step: number;
  origin: RunOrigin;
  notes: string[];
}

function readResumedFrom(runDir: string): RunOrigin['resumedFrom'] {
  const path = join(runDir, RESUMED_FROM_FILE);
  if (!existsSync(path)) return undefined;
  const r = JSON.parse(readFileSync(path, 'utf8')) as { run?: unknown; step?: unknown };
  if (!Id.safeParse(r.run).success || !Number.isInteger(r.step)) throw new ContractError('INVALID_PAYLOAD', `${path} is not a record of the run the job resumed`);
  return { run: r.run as string, step: r.step as number };
}

/** Temp folders of imports whose process is gone (a crash mid-copy) are removed. */
function removeStaleTemps(root: string): void {
  if (!existsSync(root)) return;
  for (const name of readdirSync(root)) {
    const pid = Number(new RegExp(`^\\${TEMP_PREFIX}(\\d+)-`).exec(name)?.[1]);
    if (!pid) continue;
    let alive = true;
    try {
      process.kill(pid, 0);
    } catch {
      alive = false;
    }
    if (!alive) rmSync(join(root, name), { recursive: true, force: true });
  }
}

function copyDurable(from: string, to: string): void {
  copyFileSync(from, to);
  const fd = openSync(to, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** The newest checkpoint restores into the app's models: every tensor present, of the right shape. */
function checkRestores(dir: string, config: ReturnType<typeof readImportedConfig>): void {
  const latest = latestCheckpoint(dir);
  if (!latest) throw new ContractError('INVALID_PAYLOAD', `no readable checkpoint in ${dir}`);
  const m = createModels(config.gan, { seed: config.train.seed, lrG: config.train.lrG, lrD: config.train.lrD });
  try {
    const { meta, arrays } = loadTrainingCheckpoint(latest.path);
    if (!meta.sampler || !meta.adamSteps) throw new ContractError('INVALID_PAYLOAD', `${latest.path} lacks the trainer's state (sampler, optimiser steps): it cannot be continued`);
    restoreInto(m, arrays, meta);
  } catch (e) {
    if (e instanceof ContractError && e.code === 'IO') throw new ContractError('INVALID_PAYLOAD', `${latest.path}: ${e.message} — it was not written for this run's model`);
    throw e;
  } finally {
    disposeModels(m);
  }
}

export async function importRun(project: OpenProject, dir: string): Promise<ImportedRun> {
  const loc = locateRun(resolve(dir));
  const config = readImportedConfig(loc.runDir);
  const labels = readImportedLabels(loc, config.gan.numClasses);
  const ds = await project.loadDataset({ resolution: config.gan.resolution });
  const { notes } = checkAgainstProject(config, labels, { classes: project.classes(), ids: ds.ids, channels: ds.channels });
  if (loc.dataDir) await checkJobData(loc.dataDir, config);
  else notes.push('the job\'s data/ was not brought back: its shards were not checked');
  const steps = checkCheckpoints(loc.runDir, config);
  checkRestores(loc.runDir, config);
  const job = readJobOrigin(loc.runDir);
  const resumedFrom = readResumedFrom(loc.runDir);

  const root = runsDir(project.dir);
  mkdirSync(root, { recursive: true });
  removeStaleTemps(root);
  const run = resumedFrom || existsSync(join(root, config.run)) ? newRunId(project.dir, config.method) : config.run;
  const target = runDir(project.dir, run);
  const origin: RunOrigin = {
    trainer: job ? 'pytorch' : 'app', ...(job ?? {}), importedFrom: loc.runDir, importedAt: new Date().toISOString(), jobRun: config.run,
    ...(resumedFrom ? { resumedFrom } : {}),
  };
  const step = steps.at(-1)!;
  const tmp = join(root, `${TEMP_PREFIX}${process.pid}-${Math.random().toString(36).slice(2, 10)}`);
  try {
    await createRunFolder(tmp, { ...config, run }, labels);
    mkdirSync(checkpointDir(tmp), { recursive: true });
    for (const s of steps) copyDurable(checkpointPath(loc.runDir, s), checkpointPath(tmp, s));
    for (const s of listGrids(loc.runDir)) copyDurable(gridPath(loc.runDir, s), gridPath(tmp, s));
    if (existsSync(join(loc.runDir, 'metrics.jsonl'))) copyDurable(join(loc.runDir, 'metrics.jsonl'), join(tmp, 'metrics.jsonl'));
    await writeFileAtomic(join(tmp, 'origin.json'), `${JSON.stringify(origin, null, 1)}\n`);
    // Nothing drives the run in this app yet: 'done' only when the job finished its steps.
    const state = readRunState(loc.runDir);
    const finished = state?.state === 'done' && step >= config.train.steps;
    await writeRunState(tmp, { state: finished ? 'done' : 'stopped', step, ...(state?.message ? { message: state.message } : {}) });
    const g = loadRunGenerator(tmp);
    try {
      await exportGenerator(join(tmp, 'export'), { ...config, run }, g.g);
    } finally {
      g.dispose();
    }
    if (existsSync(target)) throw new ContractError('CONFLICT', `a run ${run} appeared while importing: import again`);
    renameSync(tmp, target);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  return { run, step, origin, notes };
}
