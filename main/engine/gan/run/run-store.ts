// The run folder: runs/<run>/{config.json, state.json, labels.json, metrics.jsonl, checkpoints/, grids/,
// export/}. Small JSON files are replaced atomically; metrics are an fsync'd append-only log.
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ContractError, RunOrigin, type Method } from '../../../../shared/contract';
import { parseLines, writeFileAtomic } from '../../base/durable-fs';
import { listCheckpoints } from './checkpoint';
import { parseRunConfig, type RunConfig } from './run-config';

export type RunStateName = 'running' | 'paused' | 'stopped' | 'done' | 'failed';

export interface RunState {
  state: RunStateName;
  step: number;
  updatedAt: string;
  message?: string;
}

/** The exact training set of a run (ids and labels), so a resume trains on the same data. */
export interface RunLabels {
  ids: string[];
  labels: number[];
  labeledIds: string[];
}

export function runsDir(projectDir: string): string {
  return join(projectDir, 'runs');
}

export function runDir(projectDir: string, run: string): string {
  if (!/^[A-Za-z0-9._-]+$/.test(run) || run.startsWith('.')) throw new ContractError('INVALID_PAYLOAD', `Bad run id "${run}"`);
  return join(runsDir(projectDir), run);
}

export function newRunId(projectDir: string, method: Method, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  let id = `${stamp}-${method}`;
  for (let i = 2; existsSync(join(runsDir(projectDir), id)); i++) id = `${stamp}-${method}-${i}`;
  return id;
}

async function writeJson(path: string, value: unknown): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(value, null, 1)}\n`);
}

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

export async function createRunFolder(dir: string, config: RunConfig, labels: RunLabels): Promise<void> {
  mkdirSync(join(dir, 'grids'), { recursive: true });
  await writeJson(join(dir, 'labels.json'), labels);
  await writeJson(join(dir, 'config.json'), config);
}

export async function writeRunConfig(dir: string, config: RunConfig): Promise<void> {
  await writeJson(join(dir, 'config.json'), config);
}

export function readRunConfig(dir: string): RunConfig {
  const path = join(dir, 'config.json');
  if (!existsSync(path)) throw new ContractError('NOT_FOUND', `No run at ${dir}`);
  try {
    return parseRunConfig(readJson(path));
  } catch (e) {
    throw new ContractError('IO', `Run config ${path} is unreadable: ${(e as Error).message}`);
  }
}

export function readRunLabels(dir: string): RunLabels {
  return readJson(join(dir, 'labels.json')) as RunLabels;
}

export async function writeRunState(dir: string, state: Omit<RunState, 'updatedAt'>): Promise<void> {
  await writeJson(join(dir, 'state.json'), { ...state, updatedAt: new Date().toISOString() });
}

export function readRunState(dir: string): RunState | null {
  try {
    return readJson(join(dir, 'state.json')) as RunState;
  } catch {
    return null;
  }
}

export function readMetrics(dir: string): Record<string, number>[] {
  const path = join(dir, 'metrics.jsonl');
  if (!existsSync(path)) return [];
  return parseLines(readFileSync(path, 'utf8'), (l) => JSON.parse(l) as Record<string, number>).records;
}

export function listGrids(dir: string): number[] {
  const grids = join(dir, 'grids');
  if (!existsSync(grids)) return [];
  return readdirSync(grids).map((f) => /^step-(\d+)\.png$/.exec(f)).filter((m): m is RegExpExecArray => !!m).map((m) => Number(m[1])).sort((a, b) => a - b);
}

export function gridPath(dir: string, step: number): string {
  return join(dir, 'grids', `step-${String(step).padStart(6, '0')}.png`);
}

/** origin.json of an imported run (gan/train/import-run.ts), or null for a run trained here. */
export function readRunOrigin(dir: string): RunOrigin | null {
  const path = join(dir, 'origin.json');
  if (!existsSync(path)) return null;
  const parsed = RunOrigin.safeParse(readJson(path));
  return parsed.success ? parsed.data : null; // a damaged record hides the origin, not the run
}

export interface RunListing {
  run: string;
  config: RunConfig;
  state: RunState | null;
  checkpoints: number[];
  grids: number[];
  origin: RunOrigin | null;
}

export function listRuns(projectDir: string): RunListing[] {
  const root = runsDir(projectDir);
  if (!existsSync(root)) return [];
  const out: RunListing[] = [];
  for (const run of readdirSync(root).sort()) {
    if (run.startsWith('.')) continue; // an import still being copied (import-run's temp folder)
    const dir = join(root, run);
    if (!existsSync(join(dir, 'config.json'))) continue;
    try {
      out.push({ run, config: readRunConfig(dir), state: readRunState(dir), checkpoints: listCheckpoints(dir), grids: listGrids(dir), origin: readRunOrigin(dir) });
    } catch {
      // A foreign or damaged folder is not a run; listing the others matters more.
    }
  }
  return out;
}
