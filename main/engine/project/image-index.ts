// The image index: every imported image, in memory (20k rows must be cheap to list) and persisted as
// append-only JSON lines in images.jsonl (last record per id wins), compacted when it grows.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppendFile, parseLines, writeFileAtomic } from '../base/durable-fs';

export interface ImageRecord {
  /** First 32 hex chars of the sha256 of the file content. */
  id: string;
  name: string;
  /** Absolute path of the source file. */
  source: string;
  /** Path relative to `folder`, with '/' separators. */
  rel: string;
  /** The imported folder this image was found under (absolute). */
  folder: string;
  width: number;
  height: number;
  channels: number;
  isGray: boolean;
  status: 'ok' | 'missing';
  order: number;
  addedAt: string;
}

export const INDEX_FILE = 'images.jsonl';

function parseRecord(line: string): ImageRecord | null {
  const r = JSON.parse(line) as Partial<ImageRecord>;
  if (typeof r.id !== 'string' || typeof r.source !== 'string' || typeof r.order !== 'number') return null;
  return r as ImageRecord;
}

export class ImageIndex {
  private readonly byId = new Map<string, ImageRecord>();
  private readonly bySource = new Map<string, string>();
  private ordered: ImageRecord[] | null = [];
  private nextOrder = 0;
  private lines = 0;
  private file: AppendFile | null;

  private constructor(private readonly path: string, records: ImageRecord[], validLength: number | null, readOnly: boolean) {
    for (const r of records) this.apply(r);
    this.lines = records.length;
    this.file = readOnly ? null : new AppendFile(path, validLength);
  }

  static async open(dir: string, opts: { readOnly?: boolean } = {}): Promise<ImageIndex> {
    const path = join(dir, INDEX_FILE);
    const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
    const { records, validLength } = parseLines(text, parseRecord);
    const index = new ImageIndex(path, records, validLength, opts.readOnly ?? false);
    if (!opts.readOnly && index.lines > 2 * index.byId.size + 1000) await index.compact();
    return index;
  }

  get size(): number {
    return this.byId.size;
  }

  get(id: string): ImageRecord | undefined {
    return this.byId.get(id);
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  idForSource(source: string): string | undefined {
    return this.bySource.get(source);
  }

  /** All images in import order. The array is cached; do not mutate it. */
  list(): readonly ImageRecord[] {
    if (!this.ordered) this.ordered = [...this.byId.values()].sort((a, b) => a.order - b.order);
    return this.ordered;
  }

  allocateOrder(): number {
    return this.nextOrder;
  }

  /** Adds or replaces a record. `sync: false` for bulk imports, followed by flush(). */
  async put(record: ImageRecord, opts: { sync?: boolean } = {}): Promise<void> {
    if (!this.file) throw new Error('image index opened read-only');
    this.apply(record);
    this.lines += 1;
    await this.file.append(`${JSON.stringify(record)}\n`, opts);
  }

  async update(id: string, patch: Partial<Pick<ImageRecord, 'source' | 'rel' | 'folder' | 'name' | 'status'>>, opts: { sync?: boolean } = {}): Promise<ImageRecord> {
    const current = this.byId.get(id);
    if (!current) throw new Error(`unknown image ${id}`);
    const next = { ...current, ...patch };
    await this.put(next, opts);
    return next;
  }

  async flush(): Promise<void> {
    await this.file?.flush();
  }

  async close(): Promise<void> {
    if (!this.file) return;
    await this.file.close();
    if (this.lines > this.byId.size) await this.compact();
  }

  /** Rewrites the file with one line per image (atomic replace), then appends go to the new file. */
  async compact(): Promise<void> {
    if (!this.file) return;
    await this.file.close();
    const text = this.list().map((r) => `${JSON.stringify(r)}\n`).join('');
    await writeFileAtomic(this.path, text);
    this.lines = this.byId.size;
    this.file = new AppendFile(this.path);
  }

  private apply(record: ImageRecord): void {
    const previous = this.byId.get(record.id);
    if (previous && this.bySource.get(previous.source) === record.id) this.bySource.delete(previous.source);
    this.byId.set(record.id, record);
    this.bySource.set(record.source, record.id);
    this.nextOrder = Math.max(this.nextOrder, record.order + 1);
    this.ordered = null;
  }
}
