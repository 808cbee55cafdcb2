// Bulk labels never replace a hand label silently (issue 14): the engine's `skipped`/`skippedIds` decide
// which images the gallery shows as written, a toast says how many were kept and "Overwrite them"
// re-sends exactly those with overwrite: true — from the Label view (LabelsState) and from clusters /
// review (Studio.writeLabels) alike.
import { beforeEach, describe, expect, it } from 'vitest';
import type { ImageItem } from '../../../../shared/contract';
import { AppState } from '../../../../renderer/src/lib/state/app.svelte';
import { GalleryState } from '../../../../renderer/src/lib/state/gallery.svelte';
import { keptWords, writeOutcome } from '../../../../renderer/src/lib/state/kept-labels';
import { LabelsState } from '../../../../renderer/src/lib/state/labels.svelte';
import { Studio } from '../../../../renderer/src/lib/state/studio';
import { fakeApi } from './fake-api';

const { api, request } = fakeApi();

function item(order: number, over: Partial<ImageItem> = {}): ImageItem {
  return { id: `i${order}`, name: `${order}.png`, source: `/d/${order}.png`, rel: `${order}.png`, width: 8, height: 8, status: 'ok', excluded: false, label: null, labelSource: null, order, ...over };
}

beforeEach(() => request.mockReset());

describe('writeOutcome', () => {
  it('all written, some kept, or a cut list of kept ids (then the overwrite re-sends every id)', () => {
    expect(writeOutcome(['a', 'b'], { skipped: 0 })).toEqual({ written: ['a', 'b'], kept: 0, exact: true, overwriteIds: [] });
    expect(writeOutcome(['a', 'b', 'c'], {})).toMatchObject({ written: ['a', 'b', 'c'], kept: 0 });
    expect(writeOutcome(['a', 'b', 'c'], { skipped: 1, skippedIds: ['b'] })).toEqual({ written: ['a', 'c'], kept: 1, exact: true, overwriteIds: ['b'] });
    expect(writeOutcome(['a', 'b', 'c'], { skipped: 2, skippedIds: ['b'] })).toEqual({ written: ['a', 'c'], kept: 2, exact: false, overwriteIds: ['a', 'b', 'c'] });
  });

  it('says how many were kept', () => {
    expect(keptWords(1)).toBe('1 image already had another hand label and was kept');
    expect(keptWords(3)).toBe('3 images already had another hand label and were kept');
    expect(keptWords(1200)).toBe('1,200 images already had another hand label and were kept');
  });
});

describe('a bulk label in the Label view (LabelsState)', () => {
  it('shows only the written images as labeled, and "Overwrite them" re-sends the kept ones with overwrite', async () => {
    const items = [item(0), item(1, { label: 'dog', labelSource: 'hand' }), item(2)];
    request.mockImplementationOnce(async () => ({ items }));
    const gallery = new GalleryState(api);
    await gallery.refresh();
    const app = new AppState(api);
    const labels = new LabelsState(api, gallery, app);

    request.mockImplementationOnce(async () => ({ applied: 2, group: 'g1', revision: 5, skipped: 1, skippedIds: ['i1'] }));
    expect(await labels.set(['i0', 'i1', 'i2'], 'cat')).toBe(true);
    expect(request).toHaveBeenLastCalledWith('labels.set', { ids: ['i0', 'i1', 'i2'], classId: 'cat', source: 'bulk' });
    expect(gallery.items.map((i) => i.label)).toEqual(['cat', 'dog', 'cat']);
    expect(app.notices).toHaveLength(1);
    const notice = app.notices[0]!;
    expect(notice.text).toBe('1 image already had another hand label and was kept');
    expect(notice.action?.label).toBe('Overwrite them');

    request.mockImplementationOnce(async () => ({ applied: 1, group: 'g2', revision: 6, skipped: 0, skippedIds: [] }));
    app.act(notice.id);
    await expect.poll(() => gallery.items[1]!.label).toBe('cat');
    expect(request).toHaveBeenLastCalledWith('labels.set', { ids: ['i1'], classId: 'cat', source: 'bulk', overwrite: true });
    expect(app.notices).toEqual([]);
  });
});

describe('a cluster or review bulk label (Studio.writeLabels)', () => {
  it('keeps the hand label, says so, and overwrites with the same source on request', async () => {
    const studio = new Studio(api);
    request.mockImplementationOnce(async () => ({ items: [item(0), item(1, { label: 'dog', labelSource: 'hand' })] }));
    await studio.gallery.refresh();
    studio.project.current = { path: '/p', name: 'p' } as never;
    request.mockImplementation(async (name: string) => {
      if (name === 'labels.set') return { applied: 1, group: 'g1', revision: 3, skipped: 1, skippedIds: ['i1'] };
      if (name === 'project.status') return { path: '/p' };
      throw new Error(`unexpected ${name}`);
    });
    expect(await studio.writeLabels(['i0', 'i1'], 'cat', 'cluster')).toBe(true);
    expect(studio.gallery.items.map((i) => i.label)).toEqual(['cat', 'dog']);
    const notice = studio.app.notices.find((n) => n.action)!;
    expect(notice.text).toBe('1 image already had another hand label and was kept');

    request.mockImplementation(async (name: string) => (name === 'labels.set' ? { applied: 1, group: 'g2', revision: 4, skipped: 0 } : { path: '/p' }));
    studio.app.act(notice.id);
    await expect.poll(() => studio.gallery.items[1]!.label).toBe('cat');
    expect(request).toHaveBeenCalledWith('labels.set', { ids: ['i1'], classId: 'cat', source: 'cluster', overwrite: true });
    expect(studio.gallery.items[1]!.labelSource).toBe('cluster');
  });
});
