// A bulk label never replaces a hand label silently (issue 14: "Label all 22" overwrote a hand label of
// another class). The engine skips images a person labeled with another class and says which; the UI
// patches only the images really written and offers to overwrite the kept ones, as one more undo step.
import type { Result } from '../../../../shared/contract';
import type { NoticeAction } from './app.svelte';

/** "3 images already had another hand label and were kept". */
export function keptWords(n: number): string {
  return n === 1 ? '1 image already had another hand label and was kept' : `${n.toLocaleString('en-US')} images already had another hand label and were kept`;
}

export interface WriteOutcome {
  /** The ids whose label is now the requested one. */
  written: string[];
  /** How many were kept (0: all written). */
  kept: number;
  /** False when the engine listed only some kept ids (it sends the first 1000): refetch to be exact. */
  exact: boolean;
  /** What "Overwrite them" re-sends: the kept ids, or all `ids` when the list was cut (same end state). */
  overwriteIds: string[];
}

/** Pure: what a labels.set answer means for the ids that were sent. */
export function writeOutcome(ids: readonly string[], r: Pick<Result<'labels.set'>, 'skipped' | 'skippedIds'>): WriteOutcome {
  const kept = r.skipped ?? 0;
  if (kept === 0) return { written: [...ids], kept: 0, exact: true, overwriteIds: [] };
  const keptIds = new Set(r.skippedIds ?? []);
  const exact = keptIds.size >= kept;
  return { written: ids.filter((id) => !keptIds.has(id)), kept, exact, overwriteIds: exact ? [...keptIds] : [...ids] };
}

/** The toast's button: re-send the kept ids with overwrite (the caller's write path, so pending/undo work alike). */
export function overwriteAction(o: WriteOutcome, resend: (ids: string[]) => unknown): NoticeAction {
  return { label: 'Overwrite them', run: () => resend(o.overwriteIds) };
}
