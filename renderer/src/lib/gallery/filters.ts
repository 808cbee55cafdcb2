// Client-side filter and sort of the image list (images.list returns everything; 20k rows sort
// in a few ms, and doing it here keeps the engine protocol simple).
import type { ImageItem } from '../../../../shared/contract';

export type GalleryFilter =
  | { kind: 'all' }
  | { kind: 'unlabeled' }
  | { kind: 'labeled' }
  | { kind: 'class'; classId: string }
  | { kind: 'excluded' }
  | { kind: 'missing' };

export type GallerySort = 'order' | 'name';

export function matchesFilter(item: ImageItem, filter: GalleryFilter): boolean {
  switch (filter.kind) {
    case 'all':
      return true;
    // Excluded images are out of the dataset: they do not count as work left to label.
    case 'unlabeled':
      return item.label === null && !item.excluded;
    case 'labeled':
      return item.label !== null;
    case 'class':
      return item.label === filter.classId;
    case 'excluded':
      return item.excluded;
    case 'missing':
      return item.status === 'missing';
  }
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

export function filterAndSort(items: readonly ImageItem[], filter: GalleryFilter, sort: GallerySort): ImageItem[] {
  const out = filter.kind === 'all' ? items.slice() : items.filter((i) => matchesFilter(i, filter));
  if (sort === 'name') out.sort((a, b) => collator.compare(a.rel || a.name, b.rel || b.name) || a.order - b.order);
  else out.sort((a, b) => a.order - b.order);
  return out;
}

export function filterKey(f: GalleryFilter): string {
  return f.kind === 'class' ? `class:${f.classId}` : f.kind;
}

export function parseFilterKey(key: string): GalleryFilter {
  if (key.startsWith('class:')) return { kind: 'class', classId: key.slice(6) };
  if (key === 'unlabeled' || key === 'labeled' || key === 'excluded' || key === 'missing') return { kind: key };
  return { kind: 'all' };
}

/** Next image after `fromIndex` that still needs a label (wraps once); null when none is left. */
export function nextUnlabeledIndex(
  order: readonly ImageItem[],
  fromIndex: number,
  isLabeled: (item: ImageItem) => boolean,
): number | null {
  const n = order.length;
  for (let step = 1; step <= n; step++) {
    const i = (fromIndex + step) % n;
    const item = order[i]!;
    if (!item.excluded && !isLabeled(item)) return i;
  }
  return null;
}
