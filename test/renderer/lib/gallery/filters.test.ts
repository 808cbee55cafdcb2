import { describe, expect, it } from 'vitest';
import type { ImageItem } from '../../../../shared/contract';
import { filterAndSort, filterKey, nextUnlabeledIndex, parseFilterKey, type GalleryFilter } from '../../../../renderer/src/lib/gallery/filters';

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
    for (const f of [{ kind: 'all' }, { kind: 'unlabeled' }, { kind: 'class', classId: 'x:y' }, { kind: 'missing' }] as GalleryFilter[]) {
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
});
