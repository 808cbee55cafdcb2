// A run's sample grid from its EMA generator: rows = classes, columns = the run's fixed latents.
import type { GanConfig } from '../models/gan-config';
import type { Net } from '../models/ops';
import { gridPng } from './grid';
import type { RunConfig } from './run-config';
import { evalLatents, sampleImages, standingStats } from './sampling';

export const GRID_COLUMNS = 8;
export const MAX_GRID_ROWS = 20;

export interface GridRequest {
  cfg: GanConfig;
  g: Net; // the EMA generator
  seed: number;
  classes?: number[]; // rows; default all (capped)
  columns?: number;
  truncation?: number;
  latents?: Float32Array; // overrides the fixed ones (interpolation)
}

export async function renderGrid(r: GridRequest): Promise<Buffer> {
  const cols = r.columns ?? GRID_COLUMNS;
  const rows = r.classes ?? Array.from({ length: Math.min(r.cfg.numClasses, MAX_GRID_ROWS) }, (_, i) => i);
  const z1 = r.latents ?? evalLatents(r.cfg, r.seed, cols, r.truncation ?? 0);
  const z = new Float32Array(rows.length * cols * r.cfg.zDim);
  rows.forEach((_, i) => z.set(z1, i * cols * r.cfg.zDim));
  const classes = rows.flatMap((c) => Array<number>(cols).fill(c));
  const stats = standingStats(r.cfg, r.g, { seed: r.seed });
  const images = sampleImages(r.cfg, r.g, stats, z, classes);
  try {
    return await gridPng(images, rows.length, cols);
  } finally {
    images.dispose();
  }
}

export function rowNames(config: RunConfig, rows: number[]): string[] {
  return rows.map((c) => config.classNames[c] ?? `class ${c}`);
}
