// Crash-safe file primitives the project store is built on: atomic replace (temp + fsync + rename +
// directory fsync) and an append-only line file whose every append is fsync'd before it resolves.
import { closeSync, fsyncSync, openSync } from 'node:fs';
import { open, rename, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

let tempCounter = 0;
function tempPathFor(path: string): string {
  tempCounter += 1;
  return join(dirname(path), `.${basename(path)}.${process.pid}.${tempCounter}.tmp`);
}

/** Directory fsync makes a rename durable; some filesystems refuse it, which is harmless. */
function fsyncDirSync(dir: string): void {
  let fd: number | null = null;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Not supported on this platform/filesystem (e.g. Windows): the rename is still atomic.
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/** Replaces `path` with `data` so that a crash leaves either the old or the new content, never a mix. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = tempPathFor(path);
  const fh = await open(tmp, 'w');
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, path);
  fsyncDirSync(dirname(path));
}

/**
 * An append-only file of lines. Appends are serialised (callers may fire several without awaiting)
 * and each resolves only after its bytes are fsync'd. `validLength` lets the owner cut away a torn
 * tail found while replaying, before the first new line is written after it.
 */
export class AppendFile {
  private handle: FileHandle | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private truncateTo: number | null;

  constructor(private readonly path: string, validLength: number | null = null) {
    this.truncateTo = validLength;
  }

  /** Appends `text` (should end with '\n') and fsyncs; `sync: false` batches durability for bulk writes. */
  append(text: string, opts: { sync?: boolean } = {}): Promise<void> {
    const run = this.queue.then(() => this.write(text, opts.sync ?? true));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Waits for queued appends and fsyncs whatever was written without sync. */
  async flush(): Promise<void> {
    await this.queue;
    if (this.handle) await this.handle.sync();
  }

  async close(): Promise<void> {
    await this.flush();
    if (this.handle) await this.handle.close();
    this.handle = null;
  }

  private async write(text: string, sync: boolean): Promise<void> {
    if (!this.handle) {
      // O_APPEND writes always land at the current end, so truncating first is enough to drop a torn tail.
      this.handle = await open(this.path, 'a');
      if (this.truncateTo !== null) {
        const { size } = await this.handle.stat();
        if (size > this.truncateTo) await this.handle.truncate(this.truncateTo);
        this.truncateTo = null;
      }
    }
    await this.handle.write(text);
    if (sync) await this.handle.datasync();
  }
}

/** Splits a line file into parsed records; a torn or garbled line is skipped. */
export function parseLines<T>(text: string, parse: (line: string) => T | null): { records: T[]; validLength: number; skipped: number } {
  const records: T[] = [];
  let validLength = 0;
  let skipped = 0;
  let offset = 0;
  while (offset < text.length) {
    const nl = text.indexOf('\n', offset);
    if (nl < 0) {
      // No newline: the last write was torn mid-line. Everything from here on is dropped.
      skipped += 1;
      break;
    }
    const line = text.slice(offset, nl);
    offset = nl + 1;
    if (line.trim() === '') {
      validLength = offset;
      continue;
    }
    const rec = safeParse(line, parse);
    if (rec === null) {
      skipped += 1;
      continue;
    }
    records.push(rec);
    validLength = offset;
  }
  return { records, validLength: Buffer.byteLength(text.slice(0, validLength)), skipped };
}

function safeParse<T>(line: string, parse: (line: string) => T | null): T | null {
  try {
    return parse(line);
  } catch {
    return null;
  }
}
