// The Train form remembers what the user set (TrainState.chosen) across reloads: localStorage, one
// entry per project folder. Unknown fields (an older or newer app) are dropped on the way in.
import { TRAIN_FIELD_NAMES, type Chosen } from '../../../../shared/contract';

type Store = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export function memoryKey(projectPath: string): string {
  return `s3gan.train.chosen:${projectPath}`;
}

function storage(): Store | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null; // storage disabled (private mode): the form simply forgets
  }
}

export function loadChosen(projectPath: string, store: Store | null = storage()): Chosen {
  try {
    const raw = store?.getItem(memoryKey(projectPath));
    const parsed: unknown = raw ? JSON.parse(raw) : null;
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return {};
    const known = new Set<string>(TRAIN_FIELD_NAMES);
    return Object.fromEntries(Object.entries(parsed).filter(([k, v]) => known.has(k) && v !== null && v !== undefined)) as Chosen;
  } catch {
    return {};
  }
}

export function saveChosen(projectPath: string, chosen: Chosen, store: Store | null = storage()): void {
  try {
    if (Object.keys(chosen).length === 0) store?.removeItem(memoryKey(projectPath));
    else store?.setItem(memoryKey(projectPath), JSON.stringify(chosen));
  } catch {
    // quota or disabled storage: not worth an error for a convenience
  }
}
