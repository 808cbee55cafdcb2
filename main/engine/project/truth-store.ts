// Evaluation-only ground truth, kept in truth.log apart from the label log so it can never be mistaken
// for a hand label. Read only through explicit evaluation APIs (truthLabels(), includeTruth).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppendFile, parseLines } from '../base/durable-fs';

export const TRUTH_FILE = 'truth.log';

interface TruthEntry {
  seq: number;
  t: string;
  ids: string[];
  classIds: (string | null)[];
}

function parseTruth(line: string): TruthEntry | null {
  const e = JSON.parse(line) as Partial<TruthEntry>;
  if (typeof e.seq !== 'number' || !Array.isArray(e.ids) || !Array.isArray(e.classIds) || e.ids.length !== e.classIds.length) return null;
  return e as TruthEntry;
}

export class TruthStore {
  private readonly truth = new Map<string, string>();
  private seq = 0;
  private readonly file: AppendFile | null;

  constructor(dir: string, opts: { readOnly?: boolean } = {}) {
    const path = join(dir, TRUTH_FILE);
    const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
    const { records, validLength } = parseLines(text, parseTruth);
    for (const e of records) this.apply(e);
    this.file = opts.readOnly ? null : new AppendFile(path, validLength);
  }

  get size(): number {
    return this.truth.size;
  }

  /** A copy: evaluation code may not mutate the store. */
  snapshot(): Map<string, string> {
    return new Map(this.truth);
  }

  get(id: string): string | undefined {
    return this.truth.get(id);
  }

  async setMany(assignments: Array<[string, string | null]>): Promise<number> {
    if (!this.file) throw new Error('truth store opened read-only');
    const latest = new Map(assignments);
    const ids = [...latest.keys()].filter((id) => (this.truth.get(id) ?? null) !== latest.get(id));
    if (ids.length === 0) return 0;
    const entry: TruthEntry = { seq: this.seq + 1, t: new Date().toISOString(), ids, classIds: ids.map((id) => latest.get(id) ?? null) };
    await this.file.append(`${JSON.stringify(entry)}\n`);
    this.apply(entry);
    return ids.length;
  }

  /** Re-points truth of a merged class; forgets truth of a deleted one. */
  async relabelClass(from: string, into: string | null): Promise<void> {
    const ids = [...this.truth].filter(([, c]) => c === from).map(([id]) => id);
    if (ids.length > 0) await this.setMany(ids.map((id) => [id, into]));
  }

  async close(): Promise<void> {
    await this.file?.close();
  }

  private apply(e: TruthEntry): void {
    this.seq = Math.max(this.seq, e.seq);
    e.ids.forEach((id, i) => {
      const c = e.classIds[i] ?? null;
      if (c === null) this.truth.delete(id);
      else this.truth.set(id, c);
    });
  }
}
