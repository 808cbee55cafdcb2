// Issue 14: "Label all N" must not overwrite a label a person gave to another class unless asked
// (labels.set overwrite, default false), and says how many it skipped.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseRequest, requests, type RequestName } from '../../../../shared/contract';
import type { Handler } from '../../../../main/engine/base/handlers';
import { createEngine, type Engine } from '../../../../main/engine/service';
import { tempDir, writeImages } from '../data/fixtures';

describe('labels.set over existing labels', () => {
  let tmp: ReturnType<typeof tempDir>;
  let engine: Engine;
  let ids: string[];
  let cat: string;
  let dog: string;
  /** As a host calls the engine: params validated by the shared schema, result checked against it. */
  const call = async <K extends RequestName>(name: K, params: unknown) => {
    const handler = engine.handlers[name] as Handler<K>;
    const result = await handler(parseRequest<K>(name, params).params as never, { emit: () => undefined });
    return requests[name].result.parse(result) as Awaited<ReturnType<Handler<K>>>;
  };
  const labelOf = async (id: string) => (await call('images.list', {})).items.find((i) => i.id === id)!;

  beforeEach(async () => {
    tmp = tempDir();
    engine = createEngine({ mode: 'cli', recentFile: join(tmp.path, 'recent.json'), emit: () => undefined });
    await writeImages(join(tmp.path, 'img'), 5);
    await call('project.create', { path: join(tmp.path, 'proj') });
    await call('images.import', { folders: [join(tmp.path, 'img')] });
    ids = (await call('images.list', {})).items.map((i) => i.id);
    cat = (await call('classes.add', { name: 'cat' })).id;
    dog = (await call('classes.add', { name: 'dog' })).id;
  });
  afterEach(async () => {
    await engine.dispose();
    tmp.remove();
  });

  it('skips images a person labeled with another class, counts them, and applies the rest as one step', async () => {
    const [a, b, c, d] = ids as [string, string, string, string];
    await call('labels.set', { ids: [a], classId: dog }); // a hand label
    await call('labels.set', { ids: [b, c], classId: dog }); // a selection: bulk, also a person's choice
    await call('labels.set', { ids: [d], classId: cat, source: 'cluster' });

    const r = await call('labels.set', { ids, classId: cat, source: 'cluster' });
    expect(r.skipped).toBe(3);
    expect(new Set(r.skippedIds)).toEqual(new Set([a, b, c]));
    expect(r.applied).toBe(1); // ids[4]; d already is cat
    expect((await labelOf(a)).label).toBe(dog);
    expect((await labelOf(b)).label).toBe(dog);
    expect((await labelOf(ids[4]!)).label).toBe(cat);
    expect(typeof r.revision).toBe('number');
  });

  it('overwrite: true replaces them (one undo step restores them all)', async () => {
    const [a, b] = ids as [string, string];
    await call('labels.set', { ids: [a], classId: dog });
    const r = await call('labels.set', { ids: [a, b], classId: cat, source: 'cluster', overwrite: true });
    expect(r).toMatchObject({ applied: 2, skipped: 0 });
    expect((await labelOf(a)).label).toBe(cat);
    await call('labels.undo', {});
    expect((await labelOf(a)).labelSource).toBe('hand');
    expect((await labelOf(a)).label).toBe(dog);
  });

  it('one image labeled by hand is the person deciding: it always applies; machine labels never block', async () => {
    const [a, b] = ids as [string, string];
    await call('labels.set', { ids: [a], classId: dog });
    expect(await call('labels.set', { ids: [a], classId: cat })).toMatchObject({ applied: 1, skipped: 0 });
    await call('labels.set', { ids: [b], classId: dog, source: 'accepted-inference' });
    expect(await call('labels.set', { ids: [a, b], classId: dog, source: 'bulk' })).toMatchObject({ skipped: 1 }); // a (hand cat) kept
    expect((await labelOf(b)).labelSource).toBe('bulk');
  });

  it('the shared schema validates overwrite', () => {
    expect(() => parseRequest('labels.set', { ids: ['x'], classId: null, overwrite: 'yes' })).toThrow(/"overwrite" must be true or false/);
    expect(parseRequest<'labels.set'>('labels.set', { ids: ['x'], classId: null, overwrite: true }).params.overwrite).toBe(true);
  });
});
