// 'sample.grid' and `s3gan sample`: a PNG of the EMA generator at a checkpoint, for chosen classes,
// n latents, optional truncation, or an interpolation between two latents.
import { existsSync, readFileSync } from 'node:fs';
import { ContractError, type SampleResult } from '../../../shared/contract';
import { interpolate, latents } from './sampling';
import { Prng } from '../base/prng';
import { loadRunGenerator } from './run-generator';
import { GRID_COLUMNS, MAX_GRID_ROWS, renderGrid, rowNames } from './run-grid';
import { gridPath, readRunConfig, runDir } from './run-store';

export interface SampleOptions {
  run: string;
  step?: number;
  /** A project class id, a class name, or a class index ("3"). */
  classId?: string;
  n?: number;
  truncation?: number;
  seed?: number;
  /** Interpolate between latents number a and b of the run's seed stream, n steps. */
  interpolate?: [number, number];
}

function classRows(names: string[], ids: string[], numClasses: number, wanted?: string): number[] {
  if (wanted === undefined) return Array.from({ length: Math.min(numClasses, MAX_GRID_ROWS) }, (_, i) => i);
  const byId = ids.indexOf(wanted);
  if (byId >= 0) return [byId];
  const byName = names.indexOf(wanted);
  if (byName >= 0) return [byName];
  const idx = Number(wanted);
  if (Number.isInteger(idx) && idx >= 0 && idx < numClasses) return [idx];
  throw new ContractError('NOT_FOUND', `no class "${wanted}" in this run (classes: ${names.join(', ')})`);
}

export async function sampleGrid(projectDir: string, o: SampleOptions): Promise<SampleResult> {
  const png = await samplePng(projectDir, o);
  return { png: png.png.toString('base64'), rows: png.rows, step: png.step };
}

export async function samplePng(projectDir: string, o: SampleOptions): Promise<{ png: Buffer; rows: string[]; step: number }> {
  const loaded = loadRunGenerator(runDir(projectDir, o.run), o.step);
  try {
    const { config } = loaded;
    const rows = classRows(config.classNames, config.classIds, config.gan.numClasses, o.classId);
    const cols = o.n ?? GRID_COLUMNS;
    const seed = o.seed ?? config.train.seed;
    let z: Float32Array | undefined;
    if (o.interpolate) {
      const rng = new Prng(seed);
      const pool = latents(rng, Math.max(...o.interpolate) + 1, config.gan.zDim, o.truncation ?? 0);
      const pick = (i: number) => pool.slice(i * config.gan.zDim, (i + 1) * config.gan.zDim);
      z = interpolate(pick(o.interpolate[0]), pick(o.interpolate[1]), cols);
    } else if (o.seed !== undefined || o.truncation !== undefined) {
      z = latents(new Prng(seed), cols, config.gan.zDim, o.truncation ?? 0);
    }
    const png = await renderGrid({ cfg: config.gan, g: loaded.g, seed: config.train.seed, classes: rows, columns: cols, ...(z ? { latents: z } : {}) });
    return { png, rows: rowNames(config, rows), step: loaded.step };
  } finally {
    loaded.dispose();
  }
}

/** 'runs.grid': the grid the trainer saved at `step` (rows = the default class rows of renderGrid). */
export function savedGrid(projectDir: string, run: string, step: number): SampleResult {
  const dir = runDir(projectDir, run); // rejects ids that could leave the runs folder
  const path = gridPath(dir, step);
  if (!existsSync(path)) throw new ContractError('NOT_FOUND', `run ${run} has no saved grid at step ${step}`);
  const config = readRunConfig(dir);
  const rows = Array.from({ length: Math.min(config.gan.numClasses, MAX_GRID_ROWS) }, (_, i) => i);
  return { png: readFileSync(path).toString('base64'), rows: rowNames(config, rows), step };
}
