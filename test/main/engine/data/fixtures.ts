// Test fixtures: tiny generated images and temp folders (no checked-in binaries).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';

export function tempDir(prefix = 's3gan-test-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** A PNG whose content is unique for `seed`: a colour field with a seed-dependent stripe. */
export async function makePng(seed: number, opts: { width?: number; height?: number; gray?: boolean } = {}): Promise<Buffer> {
  const width = opts.width ?? 16;
  const height = opts.height ?? 12;
  const channels = opts.gray ? 1 : 3;
  const px = Buffer.alloc(width * height * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * channels;
      const v = (seed * 37 + x * 11 + y * 7 + (x === seed % width ? 128 : 0)) % 256;
      if (opts.gray) px[i] = v;
      else {
        px[i] = v;
        px[i + 1] = (seed * 53 + y * 13) % 256;
        px[i + 2] = (seed * 97) % 256;
      }
    }
  }
  return sharp(px, { raw: { width, height, channels } }).png().toBuffer();
}

/** Writes `count` distinct PNGs named img-000.png … into `dir` (created). Returns their paths. */
export async function writeImages(dir: string, count: number, opts: { start?: number; gray?: boolean; prefix?: string } = {}): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const paths: string[] = [];
  for (let i = 0; i < count; i++) {
    const seed = (opts.start ?? 0) + i;
    const path = join(dir, `${opts.prefix ?? 'img'}-${String(seed).padStart(3, '0')}.png`);
    writeFileSync(path, await makePng(seed, { gray: opts.gray }));
    paths.push(path);
  }
  return paths;
}

/** A PNG cut in half: the header parses, the pixel data does not. */
export async function writeTruncatedPng(path: string): Promise<void> {
  const full = await sharp({ create: { width: 64, height: 64, channels: 3, background: { r: 1, g: 2, b: 3 } } }).png({ compressionLevel: 0 }).toBuffer();
  writeFileSync(path, full.subarray(0, Math.floor(full.length / 2)));
}
