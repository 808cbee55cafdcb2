// The large preview of one image (Space in the gallery): the source file, not the 256 px thumbnail,
// decoded with the same untrusted-input limits as the import, oriented, scaled to fit a 1024 px side
// (never enlarged), as a WebP data URL that both Electron and web mode can show without a file route.
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { ContractError } from '../../../shared/contract';
import { sharpInputOptions } from './decode';

export const PREVIEW_MAX_SIDE = 1024;

export interface Preview {
  dataUrl: string;
  width: number;
  height: number;
}

export async function imagePreview(file: string, maxSide = PREVIEW_MAX_SIDE): Promise<Preview> {
  let data: Buffer;
  try {
    data = await readFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new ContractError('NOT_FOUND', `The image file is missing: ${file}`);
    throw new ContractError('IO', `Could not read ${file}: ${(e as Error).message}`);
  }
  try {
    const { data: webp, info } = await sharp(data, sharpInputOptions())
      .resize(maxSide, maxSide, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 88 })
      .toBuffer({ resolveWithObject: true });
    return { dataUrl: `data:image/webp;base64,${webp.toString('base64')}`, width: info.width, height: info.height };
  } catch (e) {
    throw new ContractError('IO', `Could not decode ${file}: ${(e as Error).message.split('\n')[0]}`);
  }
}
