import { describe, expect, it } from 'vitest';
import type { ImageItem } from '../../../../shared/contract';
import { annotationCounts, filterAndSort, filterKey, nextUnlabeledIndex, parseFilterKey, type GalleryAnnotation, type GalleryFilter } from '../../../../renderer/src/lib/gallery/filters';

function item(order: number, over: Partial<ImageItem> = {}): ImageItem {
  return { id: `id${order}`, name: `img${order}.png`, source: `/d/img${order}.png`, rel: `img${order}.png`, width: 8, height: 8, status: 'ok', excluded: false, label: null, labelSource: null, order, ...over };
}

const items = [
  item(0, { label: 'cat', labelSource: 'hand' }),
  item(1),
  item(2, { excluded: true }),
  item(3, { status: 'missing' }),
  item(4, { label: 'dog', labelSource: 'bulk', name: 'img10.png', rel: 'img10.png' }),
  item(5, { label: 'cat', labelSource: 'hand', excluded: true }),
];
const ids = (f: GalleryFilter) => filterAndSort(items, f, 'order').map((i) => i.order);

describe('filters', () => {
  it('each filter picks the right images; excluded images are not "unlabeled" work', () => {
    expect(ids({ kind: 'all' })).toEqual([0, 1, 2, 3, 4, 5]);
    expect(ids({ kind: 'unlabeled' })).toEqual([1, 3]);
    expect(ids({ kind: 'labeled' })).toEqual([0, 4, 5]);
    expect(ids({ kind: 'class', classId: 'cat' })).toEqual([0, 5]);
    expect(ids({ kind: 'excluded' })).toEqual([2, 5]);
    expect(ids({ kind: 'missing' })).toEqual([3]);
  });

  it('sorts by import order or by name with numeric collation', () => {
    const shuffled = [items[4]!, items[1]!, items[0]!];
    expect(filterAndSort(shuffled, { kind: 'all' }, 'order').map((i) => i.order)).toEqual([0, 1, 4]);
    // img0, img1, img10 — numeric, not lexical (img10 after img1)
    expect(filterAndSort(shuffled, { kind: 'all' }, 'name').map((i) => i.name)).toEqual(['img0.png', 'img1.png', 'img10.png']);
  });

  it('filter keys round-trip', () => {
    for (const f of [{ kind: 'all' }, { kind: 'unlabeled' }, { kind: 'class', classId: 'x:y' }, { kind: 'missing' }, { kind: 'cluster', cluster: 12 }, { kind: 'inferred', classId: 'c:1' }] as GalleryFilter[]) {
      expect(parseFilterKey(filterKey(f))).toEqual(f);
    }
    expect(parseFilterKey('garbage')).toEqual({ kind: 'all' });
  });

  it('next unlabeled skips labeled and excluded images and wraps around', () => {
    const isLabeled = (i: ImageItem) => i.label !== null;
    expect(nextUnlabeledIndex(items, 0, isLabeled)).toBe(1);
    expect(nextUnlabeledIndex(items, 1, isLabeled)).toBe(3);
    expect(nextUnlabeledIndex(items, 3, isLabeled)).toBe(1); // wraps
    expect(nextUnlabeledIndex([items[0]!, items[2]!], 0, isLabeled)).toBeNull();
  });

  describe('with stage annotations', () => {
    // id1 and id3 unlabeled with inferences; id0 hand-labeled (an older inference is ignored); id2 has a cluster only
    const ann = new Map<string, GalleryAnnotation>([
      ['id0', { cluster: 0, inferred: 'dog', confidence: 0.1 }],
      ['id1', { cluster: 1, inferred: 'cat', confidence: 0.9 }],
      ['id2', { cluster: 1, inferred: null, confidence: null }],
      ['id3', { cluster: 0, inferred: 'cat', confidence: 0.35 }],
      ['id4', { cluster: 2, inferred: null, confidence: null }],
    ]);
    const pick = (f: GalleryFilter, sort: 'order' | 'confidence' = 'order') => filterAndSort(items, f, sort, ann).map((i) => i.order);

    it('filters by cluster', () => {
      expect(pick({ kind: 'cluster', cluster: 0 })).toEqual([0, 3]);
      expect(pick({ kind: 'cluster', cluster: 1 })).toEqual([1, 2]);
      expect(pick({ kind: 'cluster', cluster: 7 })).toEqual([]);
      expect(filterAndSort(items, { kind: 'cluster', cluster: 0 }, 'order').map((i) => i.order)).toEqual([]); // no annotations yet
    });

    it('filters by inferred label: only images still without a label', () => {
      expect(pick({ kind: 'inferred', classId: 'cat' })).toEqual([1, 3]);
      expect(pick({ kind: 'inferred', classId: 'dog' })).toEqual([]); // id0 got a hand label since
    });

    it('sorts by confidence, least confident first, then the rest in import order', () => {
      expect(pick({ kind: 'all' }, 'confidence')).toEqual([3, 1, 0, 2, 4, 5]);
      expect(pick({ kind: 'inferred', classId: 'cat' }, 'confidence')).toEqual([3, 1]);
      expect(filterAndSort(items, { kind: 'all' }, 'confidence').map((i) => i.order)).toEqual([0, 1, 2, 3, 4, 5]);
    });

    it('counts images per cluster and unlabeled images per inferred class', () => {
      const c = annotationCounts(items, ann);
      expect([...c.clusters].sort()).toEqual([[0, 2], [1, 2], [2, 1]]);
      expect([...c.inferred]).toEqual([['cat', 2]]);
    });
  });
});
