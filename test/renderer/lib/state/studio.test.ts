// The one app-state owner: every engine event has exactly one subscriber once started (and none
// before, or after stop), and each event reaches the states that depend on it.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ProjectSummary } from '../../../../shared/contract';
import { Studio } from '../../../../renderer/src/lib/state/studio';
import { fakeApi } from './fake-api';

const summary = { path: '/p', name: 'p', classes: [], settings: { resolution: 32, channels: 'auto' }, status: null } as unknown as ProjectSummary;

function setup(open = true) {
  const fake = fakeApi();
  fake.request.mockImplementation(async (name: string) => {
    switch (name) {
      case 'project.current':
        return open ? summary : null;
      case 'project.recent':
        return { projects: [] };
      case 'images.list':
        return { items: [] };
      case 'annotations.get':
        return { items: [], stages: {} };
      case 'runs.list':
        return { runs: [] };
      case 'job.list':
        return { jobs: [] };
      case 'project.status':
        return { total: 0 };
      default:
        return { version: '1', mode: 'web', backend: null };
    }
  });
  return { ...fake, studio: new Studio(fake.api) };
}

const calls = (request: ReturnType<typeof vi.fn>) => request.mock.calls.map((c) => c[0] as string);

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('Studio', () => {
  it('subscribes once per engine event when started, never twice, and unsubscribes on stop', () => {
    const { studio, subscribers } = setup();
    expect(subscribers()).toEqual({});
    const stop = studio.start();
    const once = { 'job.progress': 1, 'job.finished': 1, 'labels.changed': 1, 'images.changed': 1, 'classes.changed': 1, 'project.changed': 1, 'train.metrics': 1, connection: 1 };
    expect(subscribers()).toEqual(once);
    expect(studio.start()).toBe(stop);
    expect(subscribers()).toEqual(once);
    stop();
    expect(subscribers()).toEqual({});
  });

  it('loads the open project, its images and its stages on start', async () => {
    const { studio, request } = setup();
    studio.start();
    await vi.runAllTimersAsync();
    expect(studio.project.current).toEqual(summary);
    expect(studio.pipeline.loaded).toBe(true);
    expect(calls(request)).toEqual(expect.arrayContaining(['app.info', 'project.current', 'images.list', 'annotations.get', 'job.list']));
  });

  it("routes events: a label change refreshes images, counts and stages once; a run's end reloads the runs", async () => {
    const { studio, request, emit } = setup();
    studio.start();
    await vi.runAllTimersAsync();
    request.mockClear();
    emit('labels.changed', { ids: ['a'], group: null });
    emit('labels.changed', { ids: ['b'], group: null });
    await vi.runAllTimersAsync();
    expect(calls(request).sort()).toEqual(['annotations.get', 'images.list', 'project.status']);
    request.mockClear();
    emit('job.finished', { jobId: 'j', kind: 'train', ok: true });
    await vi.runAllTimersAsync();
    expect(calls(request)).toEqual(['runs.list']);
    emit('job.progress', { jobId: 'j2', kind: 'cluster', phase: 'x', done: 1, total: 2, etaMs: null });
    expect(studio.jobs.ofKind('cluster')?.jobId).toBe('j2');
  });

  it("forgets the old project's stages and stage filter when the project changes", async () => {
    const { studio, emit } = setup();
    studio.start();
    await vi.runAllTimersAsync();
    studio.gallery.setFilter({ kind: 'cluster', cluster: 1 });
    emit('project.changed', { path: '/q' });
    expect(studio.pipeline.annotations).toBeNull();
    expect(studio.gallery.filter).toEqual({ kind: 'all' });
    await vi.runAllTimersAsync();
    expect(studio.pipeline.loaded).toBe(true);
  });

  it('clears the gallery and the stages when no project is open', async () => {
    const { studio } = setup(false);
    studio.start();
    await vi.runAllTimersAsync();
    expect(studio.project.current).toBeNull();
    expect(studio.pipeline.loaded).toBe(false);
    expect(studio.gallery.items).toEqual([]);
  });
});
