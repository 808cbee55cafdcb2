// Client-side filter and sort of the image list (images.list returns everything; 20k rows sort
// in a few ms, and doing it here keeps the engine protocol simple).
import type { ImageItem } from '../../../../shared/contract';

/** What the gallery uses of an image's stage annotations (annotations.get). */
export interface GalleryAnnotation {
  cluster: number | null;
  inferred: string | null;
  confidence: number | null;
}
export type AnnotationLookup = ReadonlyMap<string, GalleryAnnotation>;
const NO_ANNOTATIONS: AnnotationLookup = new Map();

export type GalleryFilter =
  | { kind: 'all' }
  | { kind: 'unlabeled' }
  | { kind: 'labeled' }
  | { kind: 'class'; classId: string }
  | { kind: 'excluded' }
  | { kind: 'missing' }
  | { kind: 'cluster'; cluster: number }
  /** Unlabeled images the infer stage gave this class (a label set since then wins). */
  | { kind: 'inferred'; classId: string };

/** 'confidence': least confident inference first; images without one follow in import order. */
export type GallerySort = 'order' | 'name' | 'confidence';

export function matchesFilter(item: ImageItem, filter: GalleryFilter, ann: AnnotationLookup = NO_ANNOTATIONS): boolean {
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
    case 'cluster':
      return ann.get(item.id)?.cluster === filter.cluster;
    case 'inferred':
      return item.label === null && ann.get(item.id)?.inferred === filter.classId;
  }
}

/** Images per cluster, and unlabeled images per inferred class (the counts the filter menus show). */
export function annotationCounts(items: readonly ImageItem[], ann: AnnotationLookup): { clusters: Map<number, number>; inferred: Map<string, number> } {
  const clusters = new Map<number, number>();
  const inferred = new Map<string, number>();
  for (const item of items) {
    const a = ann.get(item.id);
    if (!a) continue;
    if (a.cluster !== null) clusters.set(a.cluster, (clusters.get(a.cluster) ?? 0) + 1);
    if (a.inferred !== null && item.label === null) inferred.set(a.inferred, (inferred.get(a.inferred) ?? 0) + 1);
  }
  return { clusters, inferred };
}

/** The confidence the sort uses: only for images still without a label. */
function confidenceOf(item: ImageItem, ann: AnnotationLookup): number | null {
  return item.label === null ? (ann.get(item.id)?.confidence ?? null) : null;
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

export function filterAndSort(items: readonly ImageItem[], filter: GalleryFilter, sort: GallerySort, ann: AnnotationLookup = NO_ANNOTATIONS): ImageItem[] {
  const out = filter.kind === 'all' ? items.slice() : items.filter((i) => matchesFilter(i, filter, ann));
  if (sort === 'confidence') {
    const conf = new Map(out.map((i) => [i.id, confidenceOf(i, ann)]));
    out.sort((a, b) => {
      const ca = conf.get(a.id) ?? null;
      const cb = conf.get(b.id) ?? null;
      if (ca !== null && cb !== null && ca !== cb) return ca - cb;
      if ((ca === null) !== (cb === null)) return ca === null ? 1 : -1;
      return a.order - b.order;
    });
  } else if (sort === 'name') out.sort((a, b) => collator.compare(a.rel || a.name, b.rel || b.name) || a.order - b.order);
  else out.sort((a, b) => a.order - b.order);
  return out;
}

export function filterKey(f: GalleryFilter): string {
  if (f.kind === 'class') return `class:${f.classId}`;
  if (f.kind === 'cluster') return `cluster:${f.cluster}`;
  if (f.kind === 'inferred') return `inferred:${f.classId}`;
  return f.kind;
}

export function parseFilterKey(key: string): GalleryFilter {
  if (key.startsWith('class:')) return { kind: 'class', classId: key.slice(6) };
  if (key.startsWith('inferred:')) return { kind: 'inferred', classId: key.slice(9) };
  if (/^cluster:\d+$/.test(key)) return { kind: 'cluster', cluster: Number(key.slice(8)) };
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
