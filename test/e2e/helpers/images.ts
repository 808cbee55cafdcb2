// Test images: N distinct PNGs (coloured shapes over seeded noise) plus deliberately broken files.
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { registerTempDir } from '../../setup/temp-dirs';

/** Small deterministic PRNG so every run produces the same images. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hsl(h: number, s: number, l: number): [number, number, number] {
  const f = (n: number) => {
    const k = (n + h / 30) % 12;
    const a = s * Math.min(l, 1 - l);
    return Math.round(255 * (l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return [f(0), f(8), f(4)];
}

/** One image: background hue by index, a disc or square whose place and size vary, plus noise. */
export function makeImagePixels(index: number, size = 64): Buffer {
  const rand = mulberry32(index * 7919 + 17);
  const bg = hsl((index * 47) % 360, 0.45, 0.55);
  const fg = hsl((index * 47 + 180) % 360, 0.7, 0.35);
  const cx = size * (0.3 + 0.4 * rand());
  const cy = size * (0.3 + 0.4 * rand());
  const r = size * (0.15 + 0.15 * rand());
  const square = index % 2 === 1;
  const px = Buffer.alloc(size * size * 3);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const inside = square ? Math.abs(x - cx) < r && Math.abs(y - cy) < r : (x - cx) ** 2 + (y - cy) ** 2 < r * r;
      const c = inside ? fg : bg;
      const noise = (rand() - 0.5) * 30;
      const o = (y * size + x) * 3;
      for (let k = 0; k < 3; k++) px[o + k] = Math.max(0, Math.min(255, c[k]! + noise));
    }
  }
  return px;
}

export interface ImageFolder {
  dir: string;
  files: string[];
  corrupt: string[];
}

export async function makeImageFolder(opts: { count: number; corruptPng?: boolean; textFile?: boolean; size?: number; prefix?: string }): Promise<ImageFolder> {
  const dir = registerTempDir(await mkdtemp(join(tmpdir(), 's3gan-e2e-images-')));
  await mkdir(dir, { recursive: true });
  const size = opts.size ?? 64;
  const files: string[] = [];
  for (let i = 0; i < opts.count; i++) {
    const file = join(dir, `${opts.prefix ?? 'img'}-${String(i).padStart(3, '0')}.png`);
    await sharp(makeImagePixels(i, size), { raw: { width: size, height: size, channels: 3 } }).png().toFile(file);
    files.push(file);
  }
  const corrupt: string[] = [];
  if (opts.corruptPng) {
    // A PNG signature followed by garbage: looks like an image by name and magic, fails to decode.
    const file = join(dir, 'broken.png');
    await writeFile(file, Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('not really a png, just bytes'.repeat(8))]));
    corrupt.push(file);
  }
  if (opts.textFile) {
    const file = join(dir, 'notes.txt');
    await writeFile(file, 'not an image\n');
    corrupt.push(file);
  }
  return { dir, files, corrupt };
}
