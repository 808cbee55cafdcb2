import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventName, EventPayload, RequestName } from '../../../shared/contract';
import { parseEvent, requests } from '../../../shared/contract';
import type { Handler } from '../../../main/engine/base/handlers';
import { createEngine, type Engine } from '../../../main/engine/service';
import { tempDir } from './data/fixtures';

describe('demo.create', () => {
  let tmp: ReturnType<typeof tempDir>;
  let engine: Engine;
  let seen: { event: EventName; payload: unknown }[];
  const call = async <K extends RequestName>(name: K, params: unknown) => {
    const handler = engine.handlers[name] as Handler<K>;
    const parsed = requests[name].params.parse(params ?? {});
    return requests[name].result.parse(await handler(parsed as never, { emit: engine.context.emit })) as Awaited<ReturnType<Handler<K>>>;
  };
  const events = <E extends EventName>(e: E) => seen.filter((s) => s.event === e).map((s) => s.payload as EventPayload<E>);

  beforeEach(() => {
    tmp = tempDir();
    seen = [];
    engine = createEngine({
      mode: 'web', watch: false,
      recentFile: join(tmp.path, 'config', 'recent.json'),
      emit: (event, payload) => seen.push({ event, payload: parseEvent(event, payload) }),
    });
  });
  afterEach(async () => {
    await engine.dispose();
    tmp.remove();
  });

  it('validates its options', () => {
    const p = requests['demo.create'].params;
    expect(p.safeParse({}).success).toBe(true);
    expect(p.safeParse({ images: 10_001 }).success).toBe(false);
    expect(p.safeParse({ images: 30.5 }).success).toBe(false);
    expect(p.safeParse({ labelsPerClass: 0 }).success).toBe(false);
    expect(p.safeParse({ path: '' }).success).toBe(false);
  });

  it.each([1, 2])('builds and opens a 30-digit demo with %i hand labels per class, the rest as truth, as one import job', async (k) => {
    const out = join(tmp.path, `demo-${k}`);
    const summary = await call('demo.create', { path: out, images: 30, labelsPerClass: k });
    expect(summary.path).toBe(out);
    expect(summary.classes.map((c) => c.name)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(summary.status).toMatchObject({ images: 30, classes: 10, labeled: 10 * k, truth: 30 - 10 * k, labeled_by_source: { hand: 10 * k } });
    expect(Object.values(summary.status.per_class)).toEqual(Array(10).fill(k));
    expect((await call('project.current', {}))?.path).toBe(out);
    expect(existsSync(join(out, 'images', '7'))).toBe(true);
    expect(JSON.parse(readFileSync(join(out, 'demo.json'), 'utf8'))).toMatchObject({ images: 30, labelsPerClass: k, handLabels: 10 * k, truth: 30 - 10 * k });

    // one 'import' job with the digit writing and the import as its phases (the truth CSV is a sub-job)
    const finished = events('job.finished').filter((f) => f.kind === 'import');
    expect(finished).toEqual([expect.objectContaining({ kind: 'import', ok: true })]);
    expect(events('job.finished').every((f) => f.ok)).toBe(true);
    const phases = new Set(events('job.progress').filter((p) => p.jobId === finished[0]!.jobId).map((p) => p.phase));
    expect(phases).toContain('writing digits');
    expect(phases).toContain('importing');

    // the same options again: the demo is reopened, not rebuilt; other options conflict
    await call('project.close', {});
    expect((await call('demo.create', { path: out, images: 30, labelsPerClass: k })).status.labeled).toBe(10 * k);
    await expect(call('demo.create', { path: out, images: 40, labelsPerClass: k })).rejects.toMatchObject({ code: 'CONFLICT' });
  }, 60_000);

  it('project.close while the demo is being built cancels it, leaves nothing open, and the next try rebuilds it', async () => {
    const out = join(tmp.path, 'demo');
    const building = call('demo.create', { path: out, images: 2000, labelsPerClass: 1 });
    building.catch(() => undefined);
    while (events('job.progress').length === 0) await new Promise((r) => setTimeout(r, 5));
    await call('project.close', {});
    await expect(building).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(events('job.finished')).toEqual([expect.objectContaining({ kind: 'import', ok: false, error: expect.objectContaining({ code: 'CANCELLED' }) })]);
    expect(await call('project.current', {})).toBeNull();
    expect((await call('job.list', {})).jobs).toEqual([]);
    expect(existsSync(join(out, 'demo.json'))).toBe(false);

    const rebuilt = await call('demo.create', { path: out, images: 20, labelsPerClass: 1 });
    expect(rebuilt.status).toMatchObject({ images: 20, labeled: 10, truth: 10 });
  }, 60_000);
});
