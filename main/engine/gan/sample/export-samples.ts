// A generated, labeled dataset from a run: DIR/<class name>/<n>.png for every class, labels.csv
// (path,label) and manifest.json (run, step, seed, truncation, counts) — what users feed to another
// model. Never writes into a non-empty folder unless asked; progress per image.
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { ContractError } from '../../../../shared/contract';
import { writeFileAtomic } from '../../base/durable-fs';
import { Prng } from '../../base/prng';
import { runDir } from '../run/run-store';
import { latents, loadRunGenerator, sampleImages, standingStats } from './generator';

export interface ExportSamplesOptions {
  run: string;
  step?: number;
  perClass: number;
  truncation?: number;
  /** Default: the run's seed (the same call gives the same images). */
  seed?: number;
  out: string;
  /** Replace what is in a non-empty `out` (default: refuse). */
  overwrite?: boolean;
  progress?(done: number, total: number): void;
  throwIfCancelled?(): void;
}

export interface ExportSamplesResult {
  out: string;
  run: string;
  step: number;
  images: number;
  classes: string[];
}

const BATCH = 32;

/** Folder names from class names: path separators and control characters out, duplicates numbered. */
export function classFolders(names: string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((name, i) => {
    const base = name.replace(/[/\\:*?"<>|\p{Cc}]/gu, '_').replace(/^\.+$/, '_').trim() || `class-${i}`;
    const n = (seen.get(base.toLowerCase()) ?? 0) + 1;
    seen.set(base.toLowerCase(), n);
    return n === 1 ? base : `${base}-${n}`;
  });
}

function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function prepareOut(out: string, overwrite: boolean): void {
  if (existsSync(out) && readdirSync(out).length > 0) {
    if (!overwrite) throw new ContractError('CONFLICT', `${out} is not empty: choose an empty folder, or pass --force (overwrite: true) to replace its contents`);
    for (const entry of readdirSync(out)) rmSync(join(out, entry), { recursive: true, force: true });
  }
  mkdirSync(out, { recursive: true });
}

export async function exportSamples(projectDir: string, o: ExportSamplesOptions): Promise<ExportSamplesResult> {
  if (!(Number.isInteger(o.perClass) && o.perClass >= 1)) throw new ContractError('INVALID_PAYLOAD', 'per-class count must be a positive integer');
  const loaded = loadRunGenerator(runDir(projectDir, o.run), o.step); // checks run and step before anything is written
  try {
    const { config, g } = loaded;
    const cfg = config.gan;
    prepareOut(o.out, o.overwrite ?? false);
    const names = Array.from({ length: cfg.numClasses }, (_, c) => config.classNames[c] ?? `class ${c}`);
    const folders = classFolders(names);
    const seed = o.seed ?? config.train.seed;
    const truncation = o.truncation ?? 0;
    const rng = Prng.derive(seed, 0x5a4d); // its own stream: not the grid's fixed latents
    const stats = standingStats(cfg, g, { seed: config.train.seed });
    const total = cfg.numClasses * o.perClass;
    const rows: string[] = ['path,label'];
    let done = 0;
    for (let c = 0; c < cfg.numClasses; c++) {
      mkdirSync(join(o.out, folders[c]!), { recursive: true });
      for (let start = 0; start < o.perClass; start += BATCH) {
        o.throwIfCancelled?.();
        const n = Math.min(BATCH, o.perClass - start);
        const images = sampleImages(cfg, g, stats, latents(rng, n, cfg.zDim, truncation), new Array<number>(n).fill(c));
        const bytes = tf.tidy(() => tf.clipByValue(tf.round(tf.mul(tf.add(images, 1), 127.5)), 0, 255).asType('int32'));
        images.dispose();
        const pixels = Uint8Array.from(await bytes.data());
        bytes.dispose();
        const size = cfg.resolution * cfg.resolution * cfg.channels;
        for (let i = 0; i < n; i++) {
          const file = `${folders[c]}/${String(start + i).padStart(String(o.perClass - 1).length, '0')}.png`;
          const png = await sharp(Buffer.from(pixels.subarray(i * size, (i + 1) * size)), { raw: { width: cfg.resolution, height: cfg.resolution, channels: cfg.channels } })
            .toColourspace(cfg.channels === 1 ? 'b-w' : 'srgb').png().toBuffer(); // grey stays one channel
          writeFileSync(join(o.out, file), png);
          rows.push(`${csvField(file)},${csvField(names[c]!)}`);
          o.progress?.(++done, total);
        }
      }
    }
    await writeFileAtomic(join(o.out, 'labels.csv'), `${rows.join('\n')}\n`);
    const manifest = {
      format: 1, run: config.run, method: config.method, step: loaded.step, seed, truncation, perClass: o.perClass, images: total,
      classes: names.map((name, c) => ({ index: c, name, id: config.classIds[c] ?? null, folder: folders[c] })), createdAt: new Date().toISOString(),
    };
    await writeFileAtomic(join(o.out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    return { out: o.out, run: config.run, step: loaded.step, images: total, classes: names };
  } finally {
    loaded.dispose();
  }
}
