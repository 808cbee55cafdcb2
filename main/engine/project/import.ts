// Importing image files into a project: hash (dedupe + identity), decode + thumbnail, index record.
// A file whose content matches a missing image re-links it instead of becoming a duplicate.
// Bad files are reported, never thrown; cancellation is checked between files.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename, relative, resolve, sep } from 'node:path';
import { ContractError, type ImportReport } from '../../../shared/contract';
import type { JobContext } from '../base/job-context';
import type { ImageIndex } from './image-index';
import { decodeAndThumbnail, DecodeError } from '../data/decode';
import { scanFolder } from '../data/scan';
import { thumbPath } from '../data/thumbs';

/** What import needs from a project. */
export interface ImportTarget {
  readonly dir: string;
  readonly index: ImageIndex;
  /** Remembers folders as imported (watched, listed in status). */
  addFolders(folders: string[]): Promise<void>;
}

export type FileOutcome = { kind: 'imported' | 'duplicate' | 'relinked'; id: string } | { kind: 'failed'; reason: string };

export function contentId(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex').slice(0, 32);
}

function relPath(folder: string, file: string): string {
  return relative(folder, file).split(sep).join('/');
}

/** Imports one file found under `folder`. `sync: false` leaves the index fsync to the caller's flush. */
export async function importFile(target: ImportTarget, file: string, folder: string, opts: { sync?: boolean; maxPixels?: number } = {}): Promise<FileOutcome> {
  const { index } = target;
  let data: Buffer;
  try {
    const st = await stat(file);
    if (!st.isFile()) return { kind: 'failed', reason: 'not a regular file' };
    if (st.size === 0) return { kind: 'failed', reason: 'empty file (0 bytes)' };
    data = await readFile(file);
  } catch (e) {
    return { kind: 'failed', reason: `cannot read file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` };
  }
  const id = contentId(data);
  const location = { source: file, rel: relPath(folder, file), folder, name: basename(file) };
  const existing = index.get(id);
  if (existing) {
    const samePlace = existing.source === file;
    // Same content elsewhere while the known copy is gone: the file was moved or renamed.
    const moved = !samePlace && (existing.status === 'missing' || !existsSync(existing.source));
    if (!moved && !(samePlace && existing.status === 'missing')) return { kind: 'duplicate', id };
    await index.update(id, { ...location, status: 'ok' }, opts);
    if (!existsSync(thumbPath(target.dir, id))) await decodeAndThumbnail(data, thumbPath(target.dir, id), opts).catch(() => undefined);
    return { kind: 'relinked', id };
  }
  let info;
  try {
    info = await decodeAndThumbnail(data, thumbPath(target.dir, id), opts);
  } catch (e) {
    if (e instanceof DecodeError) return { kind: 'failed', reason: e.message };
    return { kind: 'failed', reason: `cannot decode (${(e as Error).message})` };
  }
  // The path held other content before (file overwritten): that image is gone now.
  const previousId = index.idForSource(file);
  if (previousId && previousId !== id) await index.update(previousId, { status: 'missing' }, opts);
  await index.put({ id, ...location, ...info, status: 'ok', order: index.allocateOrder(), addedAt: new Date().toISOString() }, opts);
  return { kind: 'imported', id };
}

export function emptyReport(): ImportReport {
  return { scanned: 0, imported: 0, duplicates: 0, relinked: 0, failed: [], cancelled: false };
}

export function addOutcome(report: ImportReport, file: string, outcome: FileOutcome): void {
  if (outcome.kind === 'imported') report.imported += 1;
  else if (outcome.kind === 'duplicate') report.duplicates += 1;
  else if (outcome.kind === 'relinked') report.relinked += 1;
  else if (outcome.kind === 'failed') report.failed.push({ path: file, reason: outcome.reason });
}

const FLUSH_EVERY = 200;

/** Scans `folders` recursively and imports every file. Throws only for folders that do not exist. */
export async function importFolders(target: ImportTarget, folders: string[], job?: JobContext, opts: { maxPixels?: number } = {}): Promise<ImportReport> {
  const roots = [...new Set(folders.map((f) => resolve(f)))];
  for (const root of roots) {
    const st = await stat(root).catch(() => null);
    if (!st?.isDirectory()) throw new ContractError('NOT_FOUND', `Folder not found: ${root}`);
  }
  await target.addFolders(roots);
  const report = emptyReport();
  const rootOf = new Map<string, string>(); // first listed root wins for a folder nested in another
  for (const root of roots) {
    job?.progress(0, 0, 'scanning', root);
    for (const f of await scanFolder(root, { signal: job?.signal, skipDirs: [target.dir] })) if (!rootOf.has(f)) rootOf.set(f, root);
  }
  const files = [...rootOf];
  const scanInterrupted = Boolean(job?.signal.aborted);
  try {
    for (const [file, root] of files) {
      if (job?.signal.aborted) break;
      report.scanned += 1;
      addOutcome(report, file, await importFile(target, file, root, { sync: false, ...opts }));
      if (report.scanned % FLUSH_EVERY === 0) await target.index.flush();
      job?.progress(report.scanned, files.length, 'importing');
    }
  } finally {
    await target.index.flush();
  }
  // Cancelled while scanning or between files: what was imported so far stays imported.
  report.cancelled = scanInterrupted || (Boolean(job?.signal.aborted) && report.scanned < files.length);
  return report;
}
