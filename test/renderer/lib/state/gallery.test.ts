// The gallery keeps some image focused once the list is there (the first number key labels at
// once), and drops a filter by a stage that belongs to the previous project.
import { describe, expect, it } from 'vitest';
import type { ImageItem } from '../../../../shared/contract';
import { GalleryState } from '../../../../renderer/src/lib/state/gallery.svelte';
import { fakeApi } from './fake-api';

function item(order: number, over: Partial<ImageItem> = {}): ImageItem {
  return { id: `i${order}`, name: `${order}.png`, source: `/d/${order}.png`, rel: `${order}.png`, width: 8, height: 8, status: 'ok', excluded: false, label: null, labelSource: null, order, ...over };
}

describe('GalleryState', () => {
  it('focuses the first image when the list arrives, and a visible one when a filter hides the focus', async () => {
    const { api, request } = fakeApi();
    request.mockResolvedValueOnce({ items: [item(0, { label: 'c' }), item(1), item(2)] });
    const g = new GalleryState(api);
    expect(g.selection.focus).toBeNull();
    await g.refresh();
    expect(g.selection.focus).toBe('i0');
    g.setFilter({ kind: 'unlabeled' });
    expect(g.selection.focus).toBe('i1');
  });

  it('asks for the full-size preview through the API it was given', async () => {
    const { api, request } = fakeApi();
    request.mockResolvedValueOnce({ dataUrl: 'data:', width: 512, height: 512 });
    await new GalleryState(api).preview('i3');
    expect(request).toHaveBeenCalledWith('images.preview', { id: 'i3' });
  });

  it('clears a cluster or inferred-label filter only', () => {
    const g = new GalleryState(fakeApi().api);
    g.setFilter({ kind: 'labeled' });
    g.clearStageFilter();
    expect(g.filter).toEqual({ kind: 'labeled' });
    g.setFilter({ kind: 'inferred', classId: 'c' });
    g.clearStageFilter();
    expect(g.filter).toEqual({ kind: 'all' });
  });
});
