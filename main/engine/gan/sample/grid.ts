// Sample grids: PNGs of generated images, rows = classes, columns = latents (sharp encodes; no canvas).
// The trainer's grids use the run's fixed latents; 'sample.grid' and `s3gan sample` render any
// checkpoint for chosen classes, n latents, optional truncation, or an interpolation between two latents.
import { existsSync, readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { ContractError, type SampleResult } from '../../../../shared/contract';
import { Prng } from '../../base/prng';
import type { GanConfig } from '../../models/gan-config';
import type { Net } from '../../models/ops';
import type { RunConfig } from '../run/run-config';
import { gridPath, readRunConfig, runDir } from '../run/run-store';
import { evalLatents, interpolate, latents, loadRunGenerator, sampleImages, standingStats } from './generator';

const GAP = 2;
const MIN_CELL = 64; // small images are enlarged (nearest) so a grid is legible at a glance

/** images [rows·cols, h, w, c] in [-1, 1], row-major → PNG bytes. */
export async function gridPng(images: tf.Tensor4D, rows: number, cols: number): Promise<Buffer> {
  const [n, h, w, c] = images.shape;
  if (n !== rows * cols) throw new Error(`grid of ${rows}×${cols} needs ${rows * cols} images, got ${n}`);
  const scale = Math.max(1, Math.ceil(MIN_CELL / Math.max(h, w)));
  const bytes = tf.tidy(() => tf.clipByValue(tf.round(tf.mul(tf.add(images, 1), 127.5)), 0, 255));
  const pixels = await bytes.data();
  bytes.dispose();
  const cellH = h * scale;
  const cellW = w * scale;
  const width = cols * cellW + (cols + 1) * GAP;
  const height = rows * cellH + (rows + 1) * GAP;
  const out = Buffer.alloc(width * height * c, 255);
  for (let i = 0; i < n; i++) {
    const top = GAP + Math.floor(i / cols) * (cellH + GAP);
    const left = GAP + (i % cols) * (cellW + GAP);
    for (let y = 0; y < cellH; y++) {
      for (let x = 0; x < cellW; x++) {
        const src = ((i * h + Math.floor(y / scale)) * w + Math.floor(x / scale)) * c;
        const dst = ((top + y) * width + left + x) * c;
        for (let k = 0; k < c; k++) out[dst + k] = pixels[src + k]!;
      }
    }
  }
  return sharp(out, { raw: { width, height, channels: c as 1 | 3 } }).png().toBuffer();
}

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
