// Review view logic: the queue (unlabeled, inferred, least confident first, filters, skip) and the
// sources of accept ('accepted-inference') and correct ('hand').
import { describe, expect, it, vi } from 'vitest';
import type { ImageItem } from '../../../../shared/contract';

import { rangeProblem, reviewQueue, ReviewState } from '../../../../renderer/src/lib/state/review.svelte';
import { AppState } from '../../../../renderer/src/lib/state/app.svelte';
import { fakeApi } from './fake-api';

const { api } = fakeApi();

const ann = (id: string, inferred: string | null, confidence: number | null) => ({ id, cluster: null, inferred, confidence, x: null, y: null });
function item(id: string, label: string | null = null, excluded = false): ImageItem {
  return { id, name: id, source: `/d/${id}`, rel: id, width: 8, height: 8, status: 'ok', excluded, label, labelSource: label ? 'hand' : null, order: 0 };
}

describe('reviewQueue', () => {
  const anns = [ann('a', 'cat', 0.9), ann('b', 'dog', 0.4), ann('c', 'cat', 0.6), ann('d', 'dog', 0.2), ann('e', null, null), ann('gone', 'cat', 0.1)];
  const labels = new Map<string, string | null>([['a', null], ['b', null], ['c', 'cat'], ['d', null], ['e', null]]);
  const all = { classId: null, min: 0, max: 1 };

  it('lists unlabeled images with an inference, ascending confidence; skips labeled and removed ones', () => {
    expect(reviewQueue(anns, (id) => labels.get(id), all).map((q) => q.id)).toEqual(['d', 'b', 'a']);
  });

  it('filters by predicted class and confidence range, and hides skipped images', () => {
    expect(reviewQueue(anns, (id) => labels.get(id), { classId: 'dog', min: 0, max: 1 }).map((q) => q.id)).toEqual(['d', 'b']);
    expect(reviewQueue(anns, (id) => labels.get(id), { classId: null, min: 0.3, max: 0.95 }).map((q) => q.id)).toEqual(['b', 'a']);
    expect(reviewQueue(anns, (id) => labels.get(id), all, new Set(['d'])).map((q) => q.id)).toEqual(['b', 'a']);
  });
});

describe('rangeProblem (issue 14: an inverted range showed an empty queue with no reason)', () => {
  it('says why a confidence range is empty, and nothing for a usable one', () => {
    expect(rangeProblem({ min: 0.8, max: 0.3 })).toBe('The range is empty: minimum 0.8 is above maximum 0.3.');
    expect(rangeProblem({ min: 0, max: 1 })).toBeNull();
    expect(rangeProblem({ min: 0.5, max: 0.5 })).toBeNull();
    expect(rangeProblem({ min: 0, max: 1.5 })).toMatch(/from 0 to 1, and the maximum is 1.5/);
    expect(rangeProblem({ min: -0.2, max: 1 })).toMatch(/the minimum is -0.2/);
    expect(rangeProblem({ min: Number.NaN, max: 1 })).toMatch(/minimum confidence is not a number/);
  });
});

describe('ReviewState', () => {
  it('accepts as accepted-inference, corrects as hand, skips without writing', async () => {
    const set = vi.fn(async () => true);
    const pipeline = { annotations: { stages: { features: null, cluster: null, infer: null }, items: [ann('a', 'cat', 0.3), ann('b', 'dog', 0.5), ann('c', 'cat', 0.7)] } };
    const items = [item('a'), item('b'), item('c')];
    const r = new ReviewState(api, pipeline as never, () => items, { set }, new AppState(api));
    expect(r.current?.id).toBe('a');
    await r.accept();
    expect(set).toHaveBeenLastCalledWith(['a'], 'cat', 'accepted-inference');
    r.move(1);
    expect(r.current?.id).toBe('b');
    await r.correct('cat');
    expect(set).toHaveBeenLastCalledWith(['b'], 'cat', 'hand');
    r.skip();
    expect(r.queue.map((q) => q.id)).toEqual(['a', 'c']);
    expect(set).toHaveBeenCalledTimes(2);
    r.setFilter({ classId: 'dog' });
    expect(r.current).toBeNull();
    expect(await r.accept()).toBe(false);
  });
});
