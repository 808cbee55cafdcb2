// Class merge and delete as the user meets them (issue 14: merge had no question and no undo). Merge asks
// first, naming both classes and how many labels move; both end in a toast whose Undo is labels.undo
// (the engine keeps merge/delete as undo steps, and the steps before them survive).
import type { ClassDef } from '../../../../shared/contract';
import type { NoticeAction } from './app.svelte';
import type { Ask } from './labels-io.svelte';

export interface ClassActionDeps {
  ask: Ask;
  notify: (kind: 'error' | 'info', text: string, opts?: { action?: NoticeAction }) => void;
  merge: (from: string, into: string) => Promise<number>;
  remove: (id: string) => Promise<number>;
  undo: () => Promise<unknown>;
  /** Labels changed under the gallery: reload it. */
  refresh: () => Promise<unknown>;
}

const labelsWord = (n: number) => `${n.toLocaleString('en-US')} label${n === 1 ? '' : 's'}`;

export function mergeQuestion(from: Pick<ClassDef, 'name'>, into: Pick<ClassDef, 'name'>, moving: number): string {
  const move = moving === 0 ? `“${from.name}” has no labels yet` : `${labelsWord(moving)} ${moving === 1 ? 'moves' : 'move'} from “${from.name}” to “${into.name}”`;
  return `Merge “${from.name}” into “${into.name}”? ${move}, and “${from.name}” is removed. Undo brings it back.`;
}

/** Asks, then merges; false when the user said no. Errors propagate (the caller says them in words). */
export async function mergeClass(d: ClassActionDeps, from: ClassDef, into: ClassDef, moving: number): Promise<boolean> {
  if (!(await d.ask(mergeQuestion(from, into, moving), { confirmLabel: 'Merge', cancelLabel: 'Keep both' }))) return false;
  const moved = await d.merge(from.id, into.id);
  d.notify('info', `Merged “${from.name}” into “${into.name}”: ${labelsWord(moved)} moved`, { action: { label: 'Undo', run: () => d.undo() } });
  await d.refresh();
  return true;
}

/** Deletes (the row asks first); the toast offers Undo. */
export async function deleteClass(d: ClassActionDeps, cls: ClassDef): Promise<void> {
  const n = await d.remove(cls.id);
  d.notify('info', `Deleted “${cls.name}”; ${n.toLocaleString('en-US')} image${n === 1 ? '' : 's'} back to unlabeled`, { action: { label: 'Undo', run: () => d.undo() } });
  await d.refresh();
}
