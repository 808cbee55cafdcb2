// ProjectState: the newest information wins, not the last answer to arrive (a project.current asked
// mid-demo that lands after the demo's final answer must not show 4 labels of 10).
import { describe, expect, it } from 'vitest';
import type { ProjectStatus, ProjectSummary } from '../../../../shared/contract';
import { ProjectState } from '../../../../renderer/src/lib/state/project.svelte';
import { fakeApi } from './fake-api';

const status = (labeled: number): ProjectStatus => ({ path: '/p', name: 'p', images: 30, labeled, labeled_by_source: { hand: labeled, bulk: 0, cluster: 0, 'accepted-inference': 0, import: 0 }, classes: 10, missing: 0, excluded: 0, truth: 0, folders: [], per_class: {} });
const summary = (labeled: number) => ({ path: '/p', status: status(labeled) }) as unknown as ProjectSummary;

function deferred<T>() {
  let resolve!: (v: T) => void;
  return { promise: new Promise<T>((r) => (resolve = r)), resolve };
}

describe('ProjectState', () => {
  it('a project.current asked during the demo and answered after it does not overwrite the final counts', async () => {
    const { api, request } = fakeApi();
    const s = new ProjectState(api);
    const demo = deferred<ProjectSummary>();
    const midway = deferred<ProjectSummary | null>();
    request.mockImplementation((name: string) => {
      if (name === 'demo.create') return demo.promise;
      if (name === 'project.current') return midway.promise;
      return Promise.resolve({ projects: [] });
    });
    const opening = s.openDemo({ path: '/p', images: 30, labelsPerClass: 1 });
    const reloading = s.load(); // project.changed during the demo: a reload is asked
    demo.resolve(summary(10));
    await opening;
    midway.resolve(summary(4)); // its answer, computed midway, arrives last
    await reloading;
    expect(s.status?.labeled).toBe(10);
  });

  it('an event newer than a pending status read wins; a read asked after the event is shown', async () => {
    const { api, request } = fakeApi();
    const s = new ProjectState(api);
    request.mockResolvedValueOnce(summary(1)).mockResolvedValueOnce({ projects: [] });
    await s.load();
    const old = deferred<ProjectStatus>();
    request.mockImplementationOnce(() => old.promise);
    const refreshing = s.refreshStatus();
    s.applyStatus(status(3)); // labels.changed arrives while the read is out
    old.resolve(status(2));
    await refreshing;
    expect(s.status?.labeled).toBe(3);
    request.mockResolvedValueOnce(status(5));
    await s.refreshStatus();
    expect(s.status?.labeled).toBe(5);
  });
});
