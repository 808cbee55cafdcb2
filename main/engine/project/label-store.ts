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
  /** Ids left as they were because `keep` protected their current label. */
  skipped?: string[];
  /** Set when the step was a class merge/delete: the caller updates the class list and events. */
  classOp?: ClassRelabelEntry;
}

/** Around undo/redo of a class step: the class list and truth change in the same order as a merge. */
export interface ClassStepHooks {
  /** Before an undo is logged: bring the class (and its truth) back, so labels never name a missing class. */
  beforeUndo?(entry: ClassRelabelEntry): Promise<void>;
  /** After a redo is logged: remove the class again. */
  afterRedo?(entry: ClassRelabelEntry): Promise<void>;
}

type Step = LabelEntry | ExcludeEntry | ClassRelabelEntry;

function isClassStep(e: Step): e is ClassRelabelEntry {
  return e.kind === 'class-merge' || e.kind === 'class-delete';
}

const NOTHING: ChangeResult = { applied: 0, group: null, ids: [] };

export class LabelStore {
  private readonly labels = new Map<string, Label>();
  private readonly excluded = new Set<string>();
  private readonly groups = new Map<string, Step>();
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

  /** The undo and redo stacks (group ids, oldest first): the same after a reopen as before it. */
  stacks(): { undo: string[]; redo: string[] } {
    return { undo: [...this.undoStack], redo: [...this.redoStack] };
  }

  /**
   * Sets one class (or clears with null) for all ids as one undo step. `keep` protects a current label of
   * another class (decided inside the write queue, so a label landing meanwhile is protected too).
   */
  setLabels(ids: string[], classId: string | null, source: LabelSource, keep?: (current: Label) => boolean): Promise<ChangeResult> {
    return this.setMany(ids.map((id) => [id, classId]), source, keep);
  }

  /** Sets a class per id (e.g. a CSV import) as one undo step. */
  setMany(assignments: Array<[string, string | null]>, source: LabelSource, keep?: (current: Label) => boolean): Promise<ChangeResult> {
    return this.serial(async () => {
      const latest = new Map(assignments); // later rows for the same id win
      const ids: string[] = [];
      const classIds: (string | null)[] = [];
      const prev: PrevLabel[] = [];
      const skipped: string[] = [];
      for (const [id, classId] of latest) {
        const cur = this.labels.get(id);
        if (classId === null ? !cur : cur?.classId === classId && cur.source === source) continue;
        if (cur && cur.classId !== classId && keep?.(cur)) {
          skipped.push(id);
          continue;
        }
        ids.push(id);
        classIds.push(classId);
        prev.push(cur ? [cur.classId, cur.source] : null);
      }
      if (ids.length === 0) return { ...NOTHING, skipped };
      const uniform = classIds.every((c) => c === classIds[0]);
      const entry: LabelEntry = { ...this.header(), kind: 'label', ids, source, prev, ...(uniform ? { classId: classIds[0]! } : { classIds }) };
      await this.commit(entry);
      return { applied: ids.length, group: entry.group, ids, skipped };
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

  undo(hooks: ClassStepHooks = {}): Promise<ChangeResult> {
    return this.serial(async () => this.undoRedo('undo', hooks));
  }

  redo(hooks: ClassStepHooks = {}): Promise<ChangeResult> {
    return this.serial(async () => this.undoRedo('redo', hooks));
  }

  /**
   * Moves every label of class `from` to `into`, or clears them when `into` is null (class delete), as one
   * undo step that remembers the class (`def` at position `at`) and the truth that moved with it.
   */
  relabelClass(from: string, into: string | null, restore: Pick<ClassRelabelEntry, 'def' | 'at' | 'truthIds'>): Promise<ChangeResult> {
    return this.serial(async () => {
      const moved = [...this.labels].filter(([, l]) => l.classId === from);
      const entry: ClassRelabelEntry = {
        ...this.header(), kind: into === null ? 'class-delete' : 'class-merge', from, into, ...restore,
        ids: moved.map(([id]) => id), sources: moved.map(([, l]) => l.source),
      };
      await this.commit(entry);
      return { applied: entry.ids.length, group: entry.group, ids: entry.ids, classOp: entry };
    });
  }

  async close(): Promise<void> {
    await this.chain;
    await this.file?.close();
  }

  private async undoRedo(kind: 'undo' | 'redo', hooks: ClassStepHooks): Promise<ChangeResult> {
    const stack = kind === 'undo' ? this.undoStack : this.redoStack;
    const group = stack[stack.length - 1];
    const target = group === undefined ? undefined : this.groups.get(group);
    if (!target) return NOTHING;
    const classOp = isClassStep(target) ? target : undefined;
    if (classOp && kind === 'undo') await hooks.beforeUndo?.(classOp);
    const entry = { seq: this.seq + 1, t: new Date().toISOString(), group: target.group, kind };
    await this.commit(entry);
    if (classOp && kind === 'redo') await hooks.afterRedo?.(classOp);
    return { applied: target.ids.length, group: target.group, ids: target.ids, ...(classOp ? { classOp } : {}) };
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
        return this.pushStep(entry);
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
        if (entry.def) return this.pushStep(entry);
        // An older, non-undoable entry: its class is gone for good, so no remaining step may name it.
        this.applyForward(entry);
        this.undoStack = [];
        this.redoStack = [];
        this.groups.clear();
        return;
    }
  }

  private pushStep(entry: Step): void {
    this.groups.set(entry.group, entry);
    this.applyForward(entry);
    this.undoStack.push(entry.group);
    this.redoStack = [];
  }

  private applyForward(entry: Step): void {
    if (isClassStep(entry)) this.moveClass(entry, entry.from, entry.into);
    else this.applyLabels(entry);
  }

  private applyLabels(entry: LabelEntry | ExcludeEntry): void {
    entry.ids.forEach((id, i) => {
      if (entry.kind === 'exclude') return void this.setExcludedFlag(id, entry.excluded);
      const classId = entry.classIds ? entry.classIds[i] ?? null : entry.classId ?? null;
      if (classId === null) this.labels.delete(id);
      else this.labels.set(id, { classId, source: entry.source });
    });
  }

  private applyBackward(entry: Step): void {
    if (isClassStep(entry)) this.moveClass(entry, entry.into, entry.from);
    else this.restoreLabels(entry);
  }

  private restoreLabels(entry: LabelEntry | ExcludeEntry): void {
    entry.ids.forEach((id, i) => {
      if (entry.kind === 'exclude') return void this.setExcludedFlag(id, entry.prev[i] ?? false);
      const prev = entry.prev[i] ?? null;
      if (prev === null) this.labels.delete(id);
      else this.labels.set(id, { classId: prev[0], source: prev[1] });
    });
  }

  /** Moves the step's images from class `a` to `b` (null: unlabeled), each keeping its recorded source. */
  private moveClass(entry: ClassRelabelEntry, a: string | null, b: string | null): void {
    entry.ids.forEach((id, i) => {
      const cur = this.labels.get(id);
      if ((cur?.classId ?? null) !== a) return; // only what the step moved
      const source = entry.sources?.[i] ?? cur?.source;
      if (b === null || !source) this.labels.delete(id);
      else this.labels.set(id, { classId: b, source });
    });
  }

  private setExcludedFlag(id: string, excluded: boolean): void {
    if (excluded) this.excluded.add(id);
    else this.excluded.delete(id);
  }
}
