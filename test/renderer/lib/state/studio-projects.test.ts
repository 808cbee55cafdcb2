// Issue 14: what a window shows belongs to one project. Opening B after A (or closing A) resets every
// per-project state in one place (Studio.resetForProject); 'labels.changed' from any tab patches the
// gallery, the counts and undo/redo without a refetch, in revision order, and only for the open project.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EventPayload, ImageItem, ProjectStatus, ProjectSummary } from '../../../../shared/contract';
import { Studio } from '../../../../renderer/src/lib/state/studio';
import { fakeApi } from './fake-api';

const status = (path: string, labeled: number): ProjectStatus => ({
  path, name: path, images: 2, labeled, labeled_by_source: {} as ProjectStatus['labeled_by_source'], classes: 1, missing: 0, excluded: 0, truth: 0, folders: [], per_class: {},
});
const summary = (path: string): ProjectSummary => ({ path, name: path, classes: [{ id: 'c1', name: 'cat', color: '#ff0000' }], settings: { resolution: 32, channels: 'auto', backend: 'auto' }, status: status(path, 0) } as ProjectSummary);
const item = (id: string, label: string | null = null): ImageItem => ({ id, name: `${id}.png`, source: `/d/${id}.png`, rel: `${id}.png`, width: 8, height: 8, status: 'ok', excluded: false, label, labelSource: label ? 'hand' : null, order: 0 });

function setup() {
  const fake = fakeApi();
  let open: string | null = '/a';
  const runs: Record<string, unknown[]> = { '/a': [{ run: 'r-a', method: 's3gan', step: 40, steps: 40, state: 'done', checkpoints: [40], grids: [], createdAt: '2026-01-01T00:00:00Z' }], '/b': [] };
  fake.request.mockImplementation(async (name: string) => {
    switch (name) {
      case 'project.current':
        return open ? summary(open) : null;
      case 'project.recent':
        return { projects: [] };
      case 'images.list':
        return { items: open === '/a' ? [item('a1'), item('a2')] : open === '/b' ? [item('b1'), item('b2')] : [] };
      case 'annotations.get':
        return { items: [], stages: open === '/a' ? { cluster: { doneAt: '2026-01-01T00:00:00Z', stale: false, k: 3 } } : {} };
      case 'runs.list':
        return { runs: open ? runs[open] : [] };
      case 'runs.metrics':
        return { run: 'r-a', rows: [{ step: 1, d_loss: 1 }] };
      case 'job.list':
        return { jobs: [] };
      case 'project.status':
        return status(open ?? '', 0);
      default:
        return { version: '1', mode: 'web', backend: null };
    }
  });
  const studio = new Studio(fake.api);
  return { ...fake, studio, openProject: (path: string | null) => (open = path) };
}

/** Everything a person could have set up in project A's views. */
function dirtyA(studio: Studio): void {
  studio.pipeline.k = 3;
  studio.pipeline.featuresEpochs = 20;
  studio.gallery.setFilter({ kind: 'class', classId: 'c1' });
  studio.clusters.select(['a1']);
  studio.clusters.opened = 'a2';
  studio.review.setFilter({ classId: 'c1', min: 0.2 });
  studio.review.skipped = new Set(['a1']);
  studio.labels.history(true, false);
  studio.labelUi.previewOpen = true;
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('Studio: one project at a time', () => {
  it("opening B after A shows none of A's runs, charts, k, filters, selection or undo state", async () => {
    const { studio, emit, openProject } = setup();
    studio.start();
    await vi.runAllTimersAsync();
    // A is loaded, with its run selected and its charts' rows.
    expect(studio.train.runs.map((r) => r.run)).toEqual(['r-a']);
    expect(studio.train.rows).toHaveLength(1);
    dirtyA(studio);
    openProject('/b');
    emit('project.changed', { path: '/b' });
    // At once, before B has loaded: nothing of A is on screen.
    expect(studio.train.runs).toEqual([]);
    expect(studio.train.rows).toEqual([]);
    expect(studio.train.selected).toBeNull();
    expect(studio.pipeline.annotations).toBeNull();
    expect(studio.pipeline.k).toBe(0);
    expect(studio.pipeline.featuresEpochs).toBe(8);
    expect(studio.gallery.filter).toEqual({ kind: 'all' });
    expect(studio.gallery.items).toEqual([]);
    expect(studio.clusters.selected.size).toBe(0);
    expect(studio.clusters.opened).toBeNull();
    expect(studio.review.filter).toEqual({ classId: null, min: 0, max: 1 });
    expect(studio.review.skipped.size).toBe(0);
    expect(studio.labels.canUndo).toBeNull();
    expect(studio.labelUi.previewOpen).toBe(false);
    await vi.runAllTimersAsync();
    expect(studio.gallery.view.map((i) => i.id)).toEqual(['b1', 'b2']);
    expect(studio.train.runs).toEqual([]); // B has no runs: the GAN stage card says "not run"
  });

  it('closing the project resets the same state (loadProjectData with none open)', async () => {
    const { studio, openProject } = setup();
    studio.start();
    await vi.runAllTimersAsync();
    dirtyA(studio);
    openProject(null);
    await studio.reloadProject();
    expect(studio.train.runs).toEqual([]);
    expect(studio.pipeline.k).toBe(0);
    expect(studio.gallery.filter).toEqual({ kind: 'all' });
    expect(studio.clusters.selected.size).toBe(0);
    expect(studio.classes.list).toEqual([]);
  });

  it('reloading the same project keeps what the person set up', async () => {
    const { studio } = setup();
    studio.start();
    await vi.runAllTimersAsync();
    dirtyA(studio);
    await studio.reloadProject();
    expect(studio.pipeline.k).toBe(3);
    expect(studio.gallery.filter).toEqual({ kind: 'class', classId: 'c1' });
    expect(studio.clusters.selected.size).toBe(1);
  });
});

describe('Studio: two tabs converge through labels.changed', () => {
  const change = (revision: number, label: string | null, over: Partial<EventPayload<'labels.changed'>> = {}): EventPayload<'labels.changed'> => ({
    ids: ['a1'], group: 'g', revision, changes: [{ id: 'a1', label, labelSource: label ? 'hand' : null, excluded: false }],
    status: status('/a', label ? 1 : 0), canUndo: label !== null, canRedo: label === null, ...over,
  });

  it('patches labels, counts and undo/redo without asking the engine, newest revision wins', async () => {
    const { studio, emit, request } = setup();
    studio.start();
    await vi.runAllTimersAsync();
    request.mockClear();
    emit('labels.changed', change(5, 'c1')); // labeled in the other tab
    expect(studio.gallery.items.find((i) => i.id === 'a1')?.label).toBe('c1');
    expect(studio.gallery.counts.perClass.get('c1')).toBe(1);
    expect(studio.project.status?.labeled).toBe(1);
    expect([studio.labels.canUndo, studio.labels.canRedo]).toEqual([true, false]);
    emit('labels.changed', change(6, null)); // undone in the other tab
    expect(studio.gallery.items.find((i) => i.id === 'a1')?.label).toBeNull();
    expect(studio.project.status?.labeled).toBe(0);
    expect([studio.labels.canUndo, studio.labels.canRedo]).toEqual([false, true]);
    emit('labels.changed', change(5, 'c1')); // a late duplicate of an older revision changes nothing
    expect(studio.gallery.items.find((i) => i.id === 'a1')?.label).toBeNull();
    await vi.runAllTimersAsync();
    expect(request.mock.calls.map((c) => c[0])).not.toContain('images.list');
    expect(request.mock.calls.map((c) => c[0])).not.toContain('project.status');
  });

  it("ignores another project's event (the counts are that project's)", async () => {
    const { studio, emit } = setup();
    studio.start();
    await vi.runAllTimersAsync();
    emit('labels.changed', change(9, 'c1', { status: status('/elsewhere', 7) }));
    expect(studio.project.status?.labeled).toBe(0);
    expect(studio.gallery.items.find((i) => i.id === 'a1')?.label).toBeNull();
  });

  it("a write's own answer does not undo a newer change that arrived first", async () => {
    const { studio, emit } = setup();
    studio.start();
    await vi.runAllTimersAsync();
    emit('labels.changed', change(7, null)); // the other tab's newer change is already shown
    studio.gallery.patchLabels(['a1'], 'c1', 'hand', 6); // this tab's older write answers late
    expect(studio.gallery.items.find((i) => i.id === 'a1')?.label).toBeNull();
    studio.gallery.patchLabels(['a1'], 'c1', 'hand', 8);
    expect(studio.gallery.items.find((i) => i.id === 'a1')?.label).toBe('c1');
  });
});
