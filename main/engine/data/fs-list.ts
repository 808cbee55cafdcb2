// fs.list: one directory's sub-folders and image files, for the folder picker in web mode.
import { readdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, resolve } from 'node:path';
import { ContractError } from '../../../shared/contract';
import { isIgnoredName, looksLikeImage } from './scan';

export interface DirListing {
  path: string;
  parent: string | null;
  entries: Array<{ name: string; dir: boolean }>;
}

export async function listDirectory(path?: string): Promise<DirListing> {
  const abs = resolve(path ?? homedir());
  let dirents;
  try {
    dirents = await readdir(abs, { withFileTypes: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new ContractError('NOT_FOUND', `No such folder: ${abs}`);
    throw new ContractError('IO', `Cannot list ${abs}: ${code ?? (e as Error).message}`);
  }
  const entries = dirents
    .filter((d) => !isIgnoredName(d.name) && (d.isDirectory() || (d.isFile() && looksLikeImage(d.name))))
    .map((d) => ({ name: d.name, dir: d.isDirectory() }))
    .sort((a, b) => (a.dir === b.dir ? a.name.localeCompare(b.name) : a.dir ? -1 : 1));
  const parent = dirname(abs);
  return { path: abs, parent: parent === abs ? null : parent, entries };
}
