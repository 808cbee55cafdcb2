// Current labels + exclusions with undo/redo, backed by labels.log. Every change is appended and
// fsync'd before its promise resolves; changes run one at a time so each sees the previous one.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LabelSource } from '../../../shared/contract';
import { AppendFile, parseLines } from '../base/durable-fs';
import {
  formatLogEntry, LABEL_LOG_FILE, parseLogEntry,
  type ClassRelabelEntry, type ExcludeEntry, type LabelEntry, type LogEntry, type PrevLabel,
} from './label-log';

export interface Label {
  classId: string;
  source: LabelSource;
}

export interface ChangeResult {
  /** Number of images whose label/exclusion actually changed. */
  applied: number;
  /** The undo step written, or null when nothing changed. */
  group: string | null;
  ids: string[];
}

const NOTHING: ChangeResult = { applied: 0, group: null, ids: [] };

export class LabelStore {
  private readonly labels = new Map<string, Label>();
  private readonly excluded = new Set<string>();
  private readonly groups = new Map<string, LabelEntry | ExcludeEntry>();
  private undoStack: string[] = [];
  private redoStack: string[] = [];
  private seq = 0;
  private chain: Promise<unknown> = Promise.resolve();
  private readonly file: AppendFile | null;
  /** Lines dropped while replaying (a torn tail after a crash). */
  readonly skippedOnOpen: number;

  constructor(dir: string, opts: { readOnly?: boolean } = {}) {
    const path = join(dir, LABEL_LOG_FILE);
    const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
    const { records, validLength, skipped } = parseLines(text, parseLogEntry);
    for (const entry of records) this.replay(entry);
    this.skippedOnOpen = skipped;
    this.file = opts.readOnly ? null : new AppendFile(path, validLength);
  }

  /** Monotonic count of persisted changes (survives reopen). */
  get lastSeq(): number {
    return this.seq;
  }

  get(id: string): Label | undefined {
    return this.labels.get(id);
  }

  isExcluded(id: string): boolean {
    return this.excluded.has(id);
  }

  entries(): IterableIterator<[string, Label]> {
    return this.labels.entries();
  }

  excludedIds(): ReadonlySet<string> {
    return this.excluded;
  }

  canUndo(): boolean {
    return this.undoStack.length > 0;
  }

  canRedo(): boolean {
    return this.redoStack.length > 0;
  }

  /** Sets one class (or clears with null) for all ids as one undo step. */
  setLabels(ids: string[], classId: string | null, source: LabelSource): Promise<ChangeResult> {
    return this.setMany(ids.map((id) => [id, classId]), source);
  }

  /** Sets a class per id (e.g. a CSV import) as one undo step. */
  setMany(assignments: Array<[string, string | null]>, source: LabelSource): Promise<ChangeResult> {
    return this.serial(async () => {
      const latest = new Map(assignments); // later rows for the same id win
      const ids: string[] = [];
      const classIds: (string | null)[] = [];
      const prev: PrevLabel[] = [];
      for (const [id, classId] of latest) {
        const cur = this.labels.get(id);
        if (classId === null ? !cur : cur?.classId === classId && cur.source === source) continue;
        ids.push(id);
        classIds.push(classId);
        prev.push(cur ? [cur.classId, cur.source] : null);
      }
      if (ids.length === 0) return NOTHING;
      const uniform = classIds.every((c) => c === classIds[0]);
      const entry: LabelEntry = { ...this.header(), kind: 'label', ids, source, prev, ...(uniform ? { classId: classIds[0]! } : { classIds }) };
      await this.commit(entry);
      return { applied: ids.length, group: entry.group, ids };
    });
  }

  setExcluded(ids: string[], excluded: boolean): Promise<ChangeResult> {
    return this.serial(async () => {
      const changed = [...new Set(ids)].filter((id) => this.excluded.has(id) !== excluded);
      if (changed.length === 0) return NOTHING;
      const entry: ExcludeEntry = { ...this.header(), kind: 'exclude', ids: changed, excluded, prev: changed.map(() => !excluded) };
      await this.commit(entry);
      return { applied: changed.length, group: entry.group, ids: changed };
    });
  }

  undo(): Promise<ChangeResult> {
    return this.serial(async () => this.undoRedo('undo'));
  }

  redo(): Promise<ChangeResult> {
    return this.serial(async () => this.undoRedo('redo'));
  }

  /** Moves every label of class `from` to `into`, or clears them when `into` is null (class delete). */
  relabelClass(from: string, into: string | null): Promise<ChangeResult> {
    return this.serial(async () => {
      const ids = [...this.labels].filter(([, l]) => l.classId === from).map(([id]) => id);
      const entry: ClassRelabelEntry = { ...this.header(), kind: into === null ? 'class-delete' : 'class-merge', ids, from, into };
      await this.commit(entry);
      return { applied: ids.length, group: null, ids };
    });
  }

  async close(): Promise<void> {
    await this.chain;
    await this.file?.close();
  }

  private async undoRedo(kind: 'undo' | 'redo'): Promise<ChangeResult> {
    const stack = kind === 'undo' ? this.undoStack : this.redoStack;
    const group = stack[stack.length - 1];
    const target = group === undefined ? undefined : this.groups.get(group);
    if (!target) return NOTHING;
    const entry = { seq: this.seq + 1, t: new Date().toISOString(), group: target.group, kind };
    await this.commit(entry);
    return { applied: target.ids.length, group: target.group, ids: target.ids };
  }

  private header(): { seq: number; t: string; group: string } {
    const seq = this.seq + 1;
    return { seq, t: new Date().toISOString(), group: `g${seq}` };
  }

  private async commit(entry: LogEntry): Promise<void> {
    if (!this.file) throw new Error('label store opened read-only');
    await this.file.append(formatLogEntry(entry));
    this.replay(entry); // memory follows the disk: only acknowledged changes are visible
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn);
    this.chain = run.catch(() => undefined);
    return run;
  }

  private replay(entry: LogEntry): void {
    this.seq = Math.max(this.seq, entry.seq);
    switch (entry.kind) {
      case 'label':
      case 'exclude':
        this.groups.set(entry.group, entry);
        this.applyForward(entry);
        this.undoStack.push(entry.group);
        this.redoStack = [];
        return;
      case 'undo':
      case 'redo': {
        const target = this.groups.get(entry.group);
        if (!target) return;
        const [from, to] = entry.kind === 'undo' ? [this.undoStack, this.redoStack] : [this.redoStack, this.undoStack];
        const at = from.lastIndexOf(entry.group);
        if (at < 0) return;
        from.splice(at, 1);
        to.push(entry.group);
        if (entry.kind === 'undo') this.applyBackward(target);
        else this.applyForward(target);
        return;
      }
      case 'class-merge':
      case 'class-delete':
        for (const id of entry.ids) {
          const cur = this.labels.get(id);
          if (!cur || cur.classId !== entry.from) continue;
          if (entry.into === null) this.labels.delete(id);
          else this.labels.set(id, { classId: entry.into, source: cur.source });
        }
        this.undoStack = [];
        this.redoStack = [];
        this.groups.clear();
        return;
    }
  }

  private applyForward(entry: LabelEntry | ExcludeEntry): void {
    entry.ids.forEach((id, i) => {
      if (entry.kind === 'exclude') return void this.setExcludedFlag(id, entry.excluded);
      const classId = entry.classIds ? entry.classIds[i] ?? null : entry.classId ?? null;
      if (classId === null) this.labels.delete(id);
      else this.labels.set(id, { classId, source: entry.source });
    });
  }

  private applyBackward(entry: LabelEntry | ExcludeEntry): void {
    entry.ids.forEach((id, i) => {
      if (entry.kind === 'exclude') return void this.setExcludedFlag(id, entry.prev[i] ?? false);
      const prev = entry.prev[i] ?? null;
      if (prev === null) this.labels.delete(id);
      else this.labels.set(id, { classId: prev[0], source: prev[1] });
    });
  }

  private setExcludedFlag(id: string, excluded: boolean): void {
    if (excluded) this.excluded.add(id);
    else this.excluded.delete(id);
  }
}
