// The honest pending state: a label is pending until labels.set resolves, then acknowledged;
// on error it reverts and is never shown as written.
import { beforeEach, describe, expect, it } from 'vitest';
import type { ImageItem } from '../../../../shared/contract';

import { AppState } from '../../../../renderer/src/lib/state/app.svelte';
import { GalleryState } from '../../../../renderer/src/lib/state/gallery.svelte';
import { LabelsState } from '../../../../renderer/src/lib/state/labels.svelte';
import { fakeApi } from './fake-api';

const { api, request } = fakeApi();

function item(order: number, over: Partial<ImageItem> = {}): ImageItem {
  return { id: `i${order}`, name: `${order}.png`, source: `/d/${order}.png`, rel: `${order}.png`, width: 8, height: 8, status: 'ok', excluded: false, label: null, labelSource: null, order, ...over };
}

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

async function setup(items: ImageItem[]) {
  request.mockImplementationOnce(async () => ({ items }));
  const gallery = new GalleryState(api);
  await gallery.refresh();
  const app = new AppState(api);
  const labels = new LabelsState(api, gallery, app);
  return { gallery, labels, app };
}

beforeEach(() => request.mockReset());

describe('LabelsState', () => {
  it('shows a label as pending until the engine acknowledges it, then as written', async () => {
    const { gallery, labels } = await setup([item(0), item(1)]);
    const ack = deferred<unknown>();
    request.mockImplementationOnce(() => ack.promise);
    const done = labels.set(['i0'], 'cat');
    expect(labels.isPending('i0')).toBe(true);
    expect(labels.effectiveLabel(gallery.items[0]!)).toBe('cat');
    expect(gallery.items[0]!.label).toBeNull(); // not claimed as written yet
    ack.resolve({ applied: 1, group: 'g1' });
    expect(await done).toBe(true);
    expect(labels.isPending('i0')).toBe(false);
    expect(gallery.items[0]!.label).toBe('cat');
    expect(gallery.items[0]!.labelSource).toBe('hand');
    expect(request).toHaveBeenLastCalledWith('labels.set', { ids: ['i0'], classId: 'cat', source: 'hand' });
  });

  it('reverts and reports when the write fails', async () => {
    const { gallery, labels, app } = await setup([item(0)]);
    request.mockImplementationOnce(async () => {
      throw new Error('disk full');
    });
    expect(await labels.set(['i0'], 'cat')).toBe(false);
    expect(labels.isPending('i0')).toBe(false);
    expect(labels.effectiveLabel(gallery.items[0]!)).toBeNull();
    expect(app.notices.at(-1)?.text).toContain('disk full');
  });

  it('a multi-image label is one request with source bulk', async () => {
    const { gallery, labels } = await setup([item(0), item(1), item(2)]);
    request.mockImplementationOnce(async () => ({ applied: 2, group: 'g' }));
    await labels.set(['i0', 'i2'], 'dog');
    expect(request).toHaveBeenCalledTimes(2); // images.list + one labels.set
    expect(request).toHaveBeenLastCalledWith('labels.set', { ids: ['i0', 'i2'], classId: 'dog', source: 'bulk' });
    expect(gallery.items.map((i) => i.labelSource)).toEqual(['bulk', null, 'bulk']);
  });

  it('auto-advance moves focus to the next unlabeled image right away, skipping pending ones', async () => {
    const { gallery, labels } = await setup([item(0), item(1, { label: 'x' }), item(2), item(3)]);
    gallery.select({ focus: 'i0', anchor: 'i0', selected: new Set() });
    const first = deferred<unknown>();
    request.mockImplementationOnce(() => first.promise);
    const a = labels.set(['i0'], 'cat', { advance: true });
    expect(gallery.selection.focus).toBe('i2'); // skipped the labeled i1 without waiting for the ack
    request.mockImplementationOnce(async () => ({ applied: 1, group: 'g2' }));
    const b = labels.set(['i2'], 'cat', { advance: true });
    expect(gallery.selection.focus).toBe('i3');
    first.resolve({ applied: 1, group: 'g1' });
    await Promise.all([a, b]);
  });

  it('writes go out in keystroke order, one at a time', async () => {
    const { labels } = await setup([item(0)]);
    const order: string[] = [];
    const first = deferred<unknown>();
    request.mockImplementationOnce((_n: string, p: { classId: string }) => (order.push(p.classId), first.promise));
    request.mockImplementationOnce(async (_n: string, p: { classId: string }) => (order.push(p.classId), { applied: 1, group: 'b' }));
    const a = labels.set(['i0'], 'a');
    const b = labels.set(['i0'], 'b');
    await Promise.resolve();
    expect(order).toEqual(['a']); // b waits for a's acknowledgement
    first.resolve({ applied: 1, group: 'a' });
    await Promise.all([a, b]);
    expect(order).toEqual(['a', 'b']);
    expect(labels.isPending('i0')).toBe(false);
  });

  it('undo asks the engine and refetches the list', async () => {
    const { gallery, labels } = await setup([item(0, { label: 'cat', labelSource: 'hand' })]);
    request.mockImplementationOnce(async () => ({ applied: 1, group: 'g' }));
    request.mockImplementationOnce(async () => ({ items: [item(0)] }));
    await labels.undo();
    expect(request.mock.calls.map((c) => c[0])).toEqual(['images.list', 'labels.undo', 'images.list']);
    expect(gallery.items[0]!.label).toBeNull();
  });

  it('recognises its own events so they need no refetch', async () => {
    const { labels } = await setup([item(0), item(1)]);
    request.mockImplementationOnce(async () => ({ applied: 1, group: 'g' }));
    await labels.set(['i0'], 'cat');
    expect(labels.isOwnEcho(['i0'])).toBe(true);
    expect(labels.isOwnEcho(['i0', 'i1'])).toBe(false);
  });
});

describe('GalleryState', () => {
  it('keeps focus at the same place when the focused image leaves a filtered view', async () => {
    const { gallery } = await setup([item(0), item(1), item(2)]);
    gallery.setFilter({ kind: 'unlabeled' });
    gallery.select({ focus: 'i1', anchor: 'i1', selected: new Set() });
    gallery.patchLabels(['i1'], 'cat', 'hand');
    expect(gallery.order).toEqual(['i0', 'i2']);
    expect(gallery.selection.focus).toBe('i2');
    expect(gallery.counts.labeled).toBe(1);
    expect(gallery.counts.perClass.get('cat')).toBe(1);
  });
});
