// Decoding untrusted image files with sharp: header probe, full decode (catches truncation), thumbnail
// and a grayscale check. Every failure becomes a readable reason instead of an exception.
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import sharp, { type Metadata, type OutputInfo, type SharpOptions } from 'sharp';
import { THUMB_MAX_SIDE } from './thumbs';

/** Images above this many pixels are refused (decompression bombs, memory). */
export const MAX_INPUT_PIXELS = 100_000_000;
/** Channel difference still counted as gray (JPEG chroma noise on gray scans). */
const GRAY_TOLERANCE = 3;

export interface DecodedInfo {
  width: number;
  height: number;
  channels: number;
  isGray: boolean;
}

export class DecodeError extends Error {
  override name = 'DecodeError';
}

/** sharp options for untrusted input: fail on truncated/erroneous data, bounded pixel count. */
export function sharpInputOptions(maxPixels = MAX_INPUT_PIXELS): SharpOptions {
  return { failOn: 'error', limitInputPixels: maxPixels, autoOrient: true };
}

function reasonFor(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  if (/unsupported image format|bad seek|not a known file format/i.test(msg)) return 'not an image (unrecognised format)';
  if (/pixel limit/i.test(msg)) return `image too large (over ${MAX_INPUT_PIXELS / 1e6} megapixels)`;
  return `corrupt or truncated image (${msg.split('\n')[0]})`;
}

/**
 * Decodes `data` fully (so truncated files fail here, not at training time), writes a WebP thumbnail
 * (longest side ≤ 256 px) to `thumbFile`, and reports size and whether the content is gray.
 */
export async function decodeAndThumbnail(data: Buffer, thumbFile: string, opts: { maxPixels?: number } = {}): Promise<DecodedInfo> {
  const maxPixels = opts.maxPixels ?? MAX_INPUT_PIXELS;
  let meta: Metadata;
  try {
    meta = await sharp(data, sharpInputOptions(maxPixels)).metadata();
  } catch (e) {
    throw new DecodeError(reasonFor(e));
  }
  const width = meta.autoOrient?.width ?? meta.width ?? 0;
  const height = meta.autoOrient?.height ?? meta.height ?? 0;
  if (width <= 0 || height <= 0) throw new DecodeError('not an image (no dimensions)');
  if (width * height > maxPixels) {
    throw new DecodeError(`image too large (${width}×${height} is over ${Math.round(maxPixels / 1e6)} megapixels)`);
  }
  let thumb: { data: Buffer; info: OutputInfo };
  try {
    thumb = await sharp(data, sharpInputOptions(maxPixels))
      .resize(THUMB_MAX_SIDE, THUMB_MAX_SIDE, { fit: 'inside', withoutEnlargement: true })
      .raw()
      .toBuffer({ resolveWithObject: true });
  } catch (e) {
    throw new DecodeError(reasonFor(e));
  }
  const { info } = thumb;
  const webp = await sharp(thumb.data, { raw: { width: info.width, height: info.height, channels: info.channels as 1 | 2 | 3 | 4 } })
    .webp({ quality: 82 })
    .toBuffer();
  // temp + rename: a reader (the UI) never sees half a thumbnail. No fsync: a lost thumb is regenerated.
  await mkdir(dirname(thumbFile), { recursive: true });
  const tmp = `${thumbFile}.${process.pid}.tmp`;
  await writeFile(tmp, webp);
  await rename(tmp, thumbFile);
  const channels = meta.channels ?? info.channels;
  return { width, height, channels, isGray: channels <= 2 || isGrayPixels(thumb.data, info.channels) };
}

/** True when every pixel has R≈G≈B (alpha ignored). */
export function isGrayPixels(data: Uint8Array, channels: number): boolean {
  if (channels <= 2) return true;
  for (let i = 0; i < data.length; i += channels) {
    const r = data[i]!;
    const g = data[i + 1]!;
    const b = data[i + 2]!;
    if (Math.abs(r - g) > GRAY_TOLERANCE || Math.abs(g - b) > GRAY_TOLERANCE) return false;
  }
  return true;
}
