// labels.log: the append-only history of every label and exclusion change, one JSON object per line.
// Replaying it rebuilds the current labels, exclusions and the undo/redo stacks.
import type { ClassDef, LabelSource } from '../../../shared/contract';

export const LABEL_LOG_FILE = 'labels.log';

/** A label as it was before a change: [classId, source], or null when unlabeled. */
export type PrevLabel = [string, LabelSource] | null;

interface EntryBase {
  seq: number;
  /** ISO time of the change. */
  t: string;
  /** Undo step id: every entry of one user action shares it. */
  group: string;
}

export interface LabelEntry extends EntryBase {
  kind: 'label';
  ids: string[];
  /** One class for all ids (null clears) … */
  classId?: string | null;
  /** … or one per id (CSV import). */
  classIds?: (string | null)[];
  source: LabelSource;
  prev: PrevLabel[];
}

export interface ExcludeEntry extends EntryBase {
  kind: 'exclude';
  ids: string[];
  excluded: boolean;
  prev: boolean[];
}

/** Undo/redo name the group they act on in `group`. */
export interface UndoRedoEntry extends EntryBase {
  kind: 'undo' | 'redo';
}

/**
 * Class merge/delete move (or clear) every label of `from`. Written with `def` they are undo steps like
 * any other: the steps below them stay, since reaching them means undoing the merge first, which brings
 * the class back. Entries without `def` (older logs) were not undoable and cleared both stacks.
 */
export interface ClassRelabelEntry extends EntryBase {
  kind: 'class-merge' | 'class-delete';
  ids: string[];
  from: string;
  into: string | null;
  /** The removed class and its position in the class list, to restore it on undo. */
  def?: ClassDef;
  at?: number;
  /** Source of each moved label (a delete forgets them, so undo needs them). */
  sources?: LabelSource[];
  /** Images whose evaluation truth moved with the class. */
  truthIds?: string[];
}

export type LogEntry = LabelEntry | ExcludeEntry | UndoRedoEntry | ClassRelabelEntry;

const KINDS = new Set(['label', 'exclude', 'undo', 'redo', 'class-merge', 'class-delete']);

export function parseLogEntry(line: string): LogEntry | null {
  const e = JSON.parse(line) as Partial<LogEntry>;
  if (typeof e.seq !== 'number' || typeof e.group !== 'string' || !KINDS.has(String(e.kind))) return null;
  if ('ids' in e && !Array.isArray(e.ids)) return null;
  return e as LogEntry;
}

export function formatLogEntry(entry: LogEntry): string {
  return `${JSON.stringify(entry)}\n`;
}
