// Finding candidate files under imported folders. Every regular file is a candidate (sharp decides
// what is an image); hidden files and the temp files editors/browsers leave while writing are not.
import { readdir } from 'node:fs/promises';
import { extname, join } from 'node:path';

const TEMP_SUFFIXES = ['~', '.tmp', '.part', '.crdownload', '.partial', '.download'];

/** Hidden (dot) files and in-progress downloads/saves: never imported, never watched. */
export function isIgnoredName(name: string): boolean {
  if (name.startsWith('.')) return true;
  const lower = name.toLowerCase();
  return TEMP_SUFFIXES.some((s) => lower.endsWith(s));
}

/** File extensions shown in folder pickers; import itself tries every file. */
export const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.webp', '.gif', '.tif', '.tiff', '.avif', '.heic', '.heif', '.bmp', '.svg', '.jxl']);

export function looksLikeImage(name: string): boolean {
  return IMAGE_EXTENSIONS.has(extname(name).toLowerCase());
}

/**
 * Recursively lists regular files under `root` in a stable (sorted) order. Symlinked dirs are not
 * followed; `skipDirs` (e.g. the project folder itself, when it sits inside an imported folder) are left out.
 */
export async function scanFolder(root: string, opts: { signal?: AbortSignal; skipDirs?: string[] } = {}): Promise<string[]> {
  const skip = new Set(opts.skipDirs ?? []);
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    if (opts.signal?.aborted) return;
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return; // unreadable sub-folder: skipped; the root itself is checked by the caller
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (isIgnoredName(e.name)) continue;
      const full = join(dir, e.name);
      if (e.isDirectory()) {
        if (!skip.has(full)) await walk(full);
      }
      else if (e.isFile() || e.isSymbolicLink()) out.push(full);
    }
  };
  await walk(root);
  return out;
}
