import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventName, EventPayload, RequestName } from '../../../shared/contract';
import { hostRequests, parseEvent, requestNames, requests } from '../../../shared/contract';
import type { Handler } from '../../../main/engine/base/handlers';
import { createEngine, type Engine } from '../../../main/engine/service';
import { makePng, tempDir, writeImages } from './data/fixtures';
import { writeFileSync } from 'node:fs';

type Seen = { event: EventName; payload: unknown };

describe('engine service', () => {
  let tmp: ReturnType<typeof tempDir>;
  let engine: Engine;
  let seen: Seen[];
  const call = async <K extends RequestName>(name: K, params: unknown) => {
    const handler = engine.handlers[name] as Handler<K> | undefined;
    if (!handler) throw new Error(`no handler ${name}`);
    const parsed = requests[name].params.parse(params ?? {}); // handlers receive validated params
    const result = await handler(parsed as never, { emit: engine.context.emit });
    return requests[name].result.parse(result) as Awaited<ReturnType<Handler<K>>>; // and answer with valid results
  };
  const events = <E extends EventName>(e: E) => seen.filter((s) => s.event === e).map((s) => s.payload as EventPayload<E>);

  beforeEach(() => {
    tmp = tempDir();
    seen = [];
    engine = createEngine({
      mode: 'web',
      recentFile: join(tmp.path, 'config', 'recent.json'),
      emit: (event, payload) => seen.push({ event, payload: parseEvent(event, payload) }),
    });
  });
  afterEach(async () => {
    await engine.dispose();
    tmp.remove();
  });

  it('answers every core request of the contract', () => {
    const core: RequestName[] = ['fs.list', 'project.create', 'project.open', 'project.close', 'project.current', 'project.recent', 'project.status', 'project.settings',
      'images.import', 'images.list', 'images.exclude', 'labels.set', 'labels.undo', 'labels.redo', 'labels.import', 'labels.export',
      'classes.add', 'classes.update', 'classes.reorder', 'classes.merge', 'classes.delete', 'job.cancel', 'job.list', 'demo.create'];
    expect(core.filter((n) => !engine.handlers[n])).toEqual([]);
    // ML/training requests are there too (loaded on first use), host-only ones are not.
    expect(requestNames.filter((n) => !hostRequests.has(n) && !engine.handlers[n])).toEqual([]);
    expect(engine.handlers['dialog.pickFolder']).toBeUndefined();
  });

  it('tells the host which backend is in use: null before any model stage ran', async () => {
    // The host (bridge / Electron main) asks the engine for app.info's backend field.
    expect((await call('app.info', {})).backend).toBeNull();
  });

  it('loads the training handlers on first use and routes to them', async () => {
    await expect(call('runs.list', {})).rejects.toMatchObject({ code: 'NO_PROJECT' });
    await call('project.create', { path: join(tmp.path, 'proj') });
    expect(await call('runs.list', {})).toMatchObject({ runs: [] });
  });

  it('create → import → label → undo/redo → status, with events; recent list; NO_PROJECT when closed', async () => {
    await expect(call('project.status', {})).rejects.toMatchObject({ code: 'NO_PROJECT' });
    const images = join(tmp.path, 'images');
    await writeImages(images, 5);
    const proj = join(tmp.path, 'proj');
    const created = await call('project.create', { path: proj, name: 'Demo' });
    expect(created).toMatchObject({ name: 'Demo', settings: { resolution: 32, channels: 'auto', backend: 'auto' }, status: { images: 0 } });
    expect(events('project.changed')).toEqual([{ path: proj }]);

    const report = await call('images.import', { folders: [images] });
    expect(report).toMatchObject({ imported: 5, failed: [], cancelled: false });
    expect(events('images.changed')).toEqual([{ added: 5, missing: 0, relinked: 0 }]);
    const finished = events('job.finished');
    expect(finished).toEqual([expect.objectContaining({ kind: 'import', ok: true })]);
    expect(events('job.progress').at(-1)).toMatchObject({ jobId: finished[0]!.jobId, done: 5, total: 5 });

    const { items } = await call('images.list', {});
    expect(items.map((i) => i.order)).toEqual([0, 1, 2, 3, 4]);
    const cat = await call('classes.add', { name: 'cat' });
    expect(events('classes.changed').at(-1)?.classes).toEqual([cat]);
    const one = await call('labels.set', { ids: [items[0]!.id], classId: cat.id });
    const bulk = await call('labels.set', { ids: [items[1]!.id, items[2]!.id], classId: cat.id });
    expect(events('labels.changed').at(-1)).toMatchObject({ ids: [items[1]!.id, items[2]!.id], group: bulk.group, revision: bulk.revision, canUndo: true });
    let status = await call('project.status', {});
    expect(status).toMatchObject({ images: 5, labeled: 3, labeled_by_source: { hand: 1, bulk: 2 }, per_class: { [cat.id]: 3 } });

    expect((await call('labels.undo', {})).group).toBe(bulk.group);
    expect((await call('project.status', {})).labeled).toBe(1);
    expect((await call('labels.redo', {})).applied).toBe(2);
    await call('images.exclude', { ids: [items[0]!.id], excluded: true });
    status = await call('project.status', {});
    expect(status).toMatchObject({ labeled: 2, excluded: 1 });
    expect(one.applied).toBe(1);

    expect(await call('project.settings', { resolution: 16 })).toMatchObject({ resolution: 16 });
    expect((await call('project.current', {}))?.settings.resolution).toBe(16);
    expect((await call('project.recent', {})).projects).toEqual([expect.objectContaining({ path: proj, name: 'Demo' })]);
    expect(JSON.parse(readFileSync(join(tmp.path, 'config', 'recent.json'), 'utf8')).projects).toHaveLength(1);

    // A failed open leaves the current project open.
    await expect(call('project.open', { path: join(tmp.path, 'not-a-project') })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await call('project.current', {}))?.path).toBe(proj);

    await call('project.close', {});
    expect(await call('project.current', {})).toBeNull();
    await expect(call('labels.set', { ids: [items[0]!.id], classId: null })).rejects.toMatchObject({ code: 'NO_PROJECT' });
    const reopened = await call('project.open', { path: proj });
    expect(reopened.status).toMatchObject({ labeled: 2, excluded: 1, images: 5 });
  });

  it('emits images.changed to a subscriber when a file lands in a watched folder', async () => {
    const images = join(tmp.path, 'images');
    await writeImages(images, 2);
    await call('project.create', { path: join(tmp.path, 'proj') });
    await call('images.import', { folders: [images] });
    seen.length = 0;
    writeFileSync(join(tmp.path, 'new.png'), await makePng(42));
    copyFileSync(join(tmp.path, 'new.png'), join(images, 'new.png'));
    const deadline = Date.now() + 15_000;
    while (events('images.changed').length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(events('images.changed')).toEqual([{ added: 1, missing: 0, relinked: 0 }]);
    expect((await call('images.list', {})).items).toHaveLength(3);
  });

  it('lists running jobs and cancels them; fs.list shows folders and images only', async () => {
    const images = join(tmp.path, 'images');
    await writeImages(images, 30);
    writeFileSync(join(images, 'notes.txt'), 'x');
    const listing = await call('fs.list', { path: images });
    expect(listing.entries).toHaveLength(30);
    expect(listing.parent).toBe(tmp.path);
    await expect(call('fs.list', { path: join(tmp.path, 'nope') })).rejects.toMatchObject({ code: 'NOT_FOUND' });

    await call('project.create', { path: join(tmp.path, 'proj') });
    const running = call('images.import', { folders: [images] });
    let jobId: string | undefined;
    while (!jobId) {
      jobId = (await call('job.list', {})).jobs[0]?.jobId;
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(await call('job.cancel', { jobId })).toEqual({ cancelled: true });
    const report = await running;
    expect(report.cancelled).toBe(true);
    expect(report.imported).toBeLessThan(30);
    expect((await call('job.list', {})).jobs).toEqual([]);
    expect(await call('job.cancel', { jobId })).toEqual({ cancelled: false });
  });

  it('project.close while a job runs cancels the job and waits for it before closing', async () => {
    const images = join(tmp.path, 'images');
    await writeImages(images, 40);
    await call('project.create', { path: join(tmp.path, 'proj') });
    seen.length = 0;
    const running = call('images.import', { folders: [images] });
    while ((await call('job.list', {})).jobs.length === 0) await new Promise((r) => setTimeout(r, 5));
    await call('project.close', {});
    expect((await running).cancelled).toBe(true);
    // the job had stopped (finished event) before the project went away (project.changed → null)
    const order = seen.map((s) => s.event).filter((e) => e === 'job.finished' || e === 'project.changed');
    expect(order).toEqual(['job.finished', 'project.changed']);
    expect(events('project.changed')).toEqual([{ path: null }]);
    expect((await call('job.list', {})).jobs).toEqual([]);
    // what was imported before the cancel is in the project
    const reopened = await call('project.open', { path: join(tmp.path, 'proj') });
    expect(reopened.status.images).toBeLessThan(40);
  });
});
