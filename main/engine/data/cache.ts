// The training cache: every image centre-cropped to a square, area-resized to the project resolution,
// as one uint8 NHWC file per (resolution, channels) plus a JSON list of the ids in row order.
// Rebuilt incrementally: rows of images already cached are copied, only new images are decoded.
import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { writeFileAtomic } from '../base/durable-fs';
import { areaResize } from './area-resize';
import { sharpInputOptions } from './decode';

/** Above this crop side sharp pre-shrinks (bounded memory); the exact box filter does the rest. */
const MAX_EXACT_SIDE = 4096;

export interface CacheSource {
  id: string;
  source: string;
  width: number;
  height: number;
  status: 'ok' | 'missing';
}

export interface TrainingCache {
  resolution: number;
  channels: 1 | 3;
  ids: string[];
  /** ids.length rows of resolution*resolution*channels bytes. */
  pixels: Uint8Array;
}

interface CacheMeta {
  version: 1;
  resolution: number;
  channels: 1 | 3;
  ids: string[];
}

export function cacheFiles(projectDir: string, resolution: number, channels: 1 | 3): { data: string; meta: string } {
  const base = join(projectDir, 'cache', `r${resolution}-c${channels}`);
  return { data: `${base}.u8`, meta: `${base}.json` };
}

/** One image as training pixels: centre square crop, area resize, gray or RGB (alpha flattened on white). */
export async function trainingPixels(source: string | Buffer, resolution: number, channels: 1 | 3): Promise<Uint8Array> {
  const meta = await sharp(source, sharpInputOptions()).metadata();
  const w = meta.autoOrient?.width ?? meta.width ?? 0;
  const h = meta.autoOrient?.height ?? meta.height ?? 0;
  const side = Math.min(w, h);
  if (side <= 0) throw new Error('image has no pixels');
  let pipeline = sharp(source, sharpInputOptions())
    .flatten({ background: '#ffffff' })
    .extract({ left: Math.floor((w - side) / 2), top: Math.floor((h - side) / 2), width: side, height: side });
  let cropSide = side;
  if (side > MAX_EXACT_SIDE) {
    cropSide = Math.floor(MAX_EXACT_SIDE / resolution) * resolution;
    pipeline = pipeline.resize(cropSide, cropSide);
  }
  pipeline = channels === 1 ? pipeline.grayscale() : pipeline.toColourspace('srgb');
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== channels || info.width !== cropSide || info.height !== cropSide) {
    throw new Error(`unexpected decode shape ${info.width}x${info.height}x${info.channels}`);
  }
  return areaResize(data, cropSide, cropSide, channels, resolution, resolution);
}

function readCache(projectDir: string, resolution: number, channels: 1 | 3): TrainingCache | null {
  const files = cacheFiles(projectDir, resolution, channels);
  if (!existsSync(files.meta) || !existsSync(files.data)) return null;
  try {
    const meta = JSON.parse(readFileSync(files.meta, 'utf8')) as CacheMeta;
    const pixels = new Uint8Array(readFileSync(files.data));
    if (meta.version !== 1 || pixels.length !== meta.ids.length * resolution * resolution * channels) return null;
    return { resolution, channels, ids: meta.ids, pixels };
  } catch {
    return null; // unreadable cache: rebuild
  }
}

function sameIds(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}

/**
 * Returns the cache for (resolution, channels) covering `images` (in their order): cached rows are
 * reused, images that are 'ok' but not cached are decoded, the rest (missing, undecodable) left out.
 */
export async function ensureTrainingCache(
  projectDir: string,
  images: readonly CacheSource[],
  resolution: number,
  channels: 1 | 3,
  onProgress?: (done: number, total: number) => void,
): Promise<TrainingCache> {
  const old = readCache(projectDir, resolution, channels);
  const oldRow = new Map((old?.ids ?? []).map((id, i) => [id, i]));
  const wanted = images.filter((img) => oldRow.has(img.id) || img.status === 'ok');
  if (old && sameIds(old.ids, wanted.map((i) => i.id))) return old;

  const rowSize = resolution * resolution * channels;
  const rows: Uint8Array[] = [];
  const ids: string[] = [];
  const toDecode = wanted.filter((img) => !oldRow.has(img.id)).length;
  let decoded = 0;
  for (const img of wanted) {
    const at = oldRow.get(img.id);
    if (at !== undefined && old) {
      rows.push(old.pixels.subarray(at * rowSize, (at + 1) * rowSize));
      ids.push(img.id);
      continue;
    }
    try {
      rows.push(await trainingPixels(img.source, resolution, channels));
      ids.push(img.id);
    } catch {
      // The source changed or vanished since import: left out until it is re-linked.
    }
    decoded += 1;
    onProgress?.(decoded, toDecode);
  }
  const pixels = new Uint8Array(ids.length * rowSize);
  rows.forEach((row, i) => pixels.set(row, i * rowSize));
  const files = cacheFiles(projectDir, resolution, channels);
  await mkdir(join(projectDir, 'cache'), { recursive: true });
  // Data first, then the id list: a crash in between leaves a length mismatch, which reads as "rebuild".
  await writeFileAtomic(files.data, pixels);
  const meta: CacheMeta = { version: 1, resolution, channels, ids };
  await writeFileAtomic(files.meta, JSON.stringify(meta));
  return { resolution, channels, ids, pixels };
}
