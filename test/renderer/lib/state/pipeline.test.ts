// Pipeline panel logic: stage state from annotations + jobs, dependency warnings, and running a stage.
import { beforeEach, describe, expect, it } from 'vitest';
import type { AnnotationsResult, JobProgress } from '../../../../shared/contract';

import { stageView, dependencyWarning, PipelineState, formatDoneAt } from '../../../../renderer/src/lib/state/pipeline.svelte';
import { JobsState } from '../../../../renderer/src/lib/state/jobs.svelte';
import { AppState } from '../../../../renderer/src/lib/state/app.svelte';
import { fakeApi } from './fake-api';

const { api, request } = fakeApi();

const at = '2026-01-01T00:00:00.000Z';
function annotations(stages: Partial<AnnotationsResult['stages']>): AnnotationsResult {
  return { stages: { features: null, cluster: null, infer: null, ...stages }, items: [] };
}
const job: JobProgress = { jobId: 'j1', kind: 'cluster', phase: 'k-means', done: 3, total: 11, etaMs: 4000 };

beforeEach(() => request.mockReset());

describe('stageView', () => {
  it('is not run / done / stale from the stored stages, running while a job reports', () => {
    expect(stageView('features', null, false, null).kind).toBe('none');
    const a = annotations({ features: { doneAt: at, stale: false }, cluster: { doneAt: at, stale: true, k: 3 } });
    expect(stageView('features', a, false, null)).toEqual({ kind: 'done', doneAt: at, progress: null });
    expect(stageView('cluster', a, false, null).kind).toBe('stale');
    expect(stageView('cluster', a, false, job)).toEqual({ kind: 'running', doneAt: at, progress: job });
    expect(stageView('infer', a, true, null).kind).toBe('running');
  });
});

describe('dependencyWarning', () => {
  it('needs features before clusters or inference', () => {
    expect(dependencyWarning('cluster', annotations({}))).toMatch(/Features/);
    expect(dependencyWarning('infer', annotations({ features: { doneAt: at, stale: false } }))).toBeNull();
  });

  it('says so when training would use a missing or stale stage', () => {
    expect(dependencyWarning('train', annotations({}), 'infer')).toMatch(/not been computed/);
    const stale = annotations({ features: { doneAt: at, stale: false }, infer: { doneAt: at, stale: true }, cluster: { doneAt: at, stale: true, k: 2 } });
    expect(dependencyWarning('train', stale, 'infer')).toMatch(/stale.*labels changed/i);
    expect(dependencyWarning('train', stale, 'cluster')).toMatch(/Clusters are stale/);
    expect(dependencyWarning('train', stale, null)).toBeNull();
  });
});

describe('PipelineState.run', () => {
  it('sends the chosen parameters, reports running, then refreshes the stages', async () => {
    const app = new AppState(api);
    const p = new PipelineState(api, app, new JobsState(api));
    let release!: (v: unknown) => void;
    request.mockImplementation((name: string) => {
      if (name === 'cluster.run') return new Promise((r) => (release = r));
      if (name === 'annotations.get') return Promise.resolve(annotations({ cluster: { doneAt: at, stale: false, k: 4 } }));
      return Promise.resolve({ version: '1', mode: 'web', backend: null });
    });
    p.k = 4;
    const done = p.run('cluster');
    expect(p.view('cluster').kind).toBe('running');
    expect(request).toHaveBeenCalledWith('cluster.run', { k: 4 });
    release({ backend: 'wasm', k: 4, inertia: 1, sizes: [1, 1, 1, 1] });
    expect(await done).toBe(true);
    expect(p.view('cluster').kind).toBe('done');
    expect(p.results.cluster?.k).toBe(4);
  });

  it('returns false and says why when a stage fails; a cancel is an info toast "Features cancelled", not an error', async () => {
    const app = new AppState(api);
    const p = new PipelineState(api, app, new JobsState(api));
    request.mockImplementation((name: string) => {
      if (name === 'infer.run') return Promise.reject(Object.assign(new Error('needs hand labels'), { code: 'CONFLICT' }));
      if (name === 'features.run') return Promise.reject(Object.assign(new Error('cancelled'), { code: 'CANCELLED' }));
      return Promise.resolve(annotations({}));
    });
    expect(await p.run('infer')).toBe(false);
    expect(app.notices.at(-1)?.text).toMatch(/Inferred labels failed: needs hand labels/);
    expect(p.errors.infer).toBe('needs hand labels');
    expect(await p.run('features')).toBe(false);
    expect(app.notices.at(-1)).toMatchObject({ kind: 'info', text: 'Features cancelled' });
    expect(app.notices.filter((n) => n.kind === 'error')).toHaveLength(1);
    expect(p.errors.features).toBeUndefined();
    expect(p.running.size).toBe(0);
  });

  it("keeps the engine's sentence on the stage card until the stage runs again (k larger than the images)", async () => {
    const app = new AppState(api);
    const p = new PipelineState(api, app, new JobsState(api));
    const sentence = 'k = 20 clusters is more than the 9 images with features: choose k between 1 and 9.';
    request.mockImplementation((name: string, params: { k?: number }) => {
      if (name === 'cluster.run') return params.k === 20 ? Promise.reject(Object.assign(new Error(sentence), { code: 'INVALID_PAYLOAD' })) : Promise.resolve({ backend: 'wasm', k: 3, inertia: 1, sizes: [3, 3, 3] });
      return Promise.resolve(annotations({}));
    });
    p.k = 20;
    expect(await p.run('cluster')).toBe(false);
    expect(p.errors.cluster).toBe(sentence);
    expect(app.notices.at(-1)?.text).toBe(`Clusters failed: ${sentence}`);
    p.k = 3;
    expect(await p.run('cluster')).toBe(true);
    expect(p.errors.cluster).toBeUndefined();
    p.errors = { cluster: 'x' };
    p.reset();
    expect(p.errors).toEqual({});
  });
});

describe('formatDoneAt', () => {
  it('says how long ago', () => {
    const now = Date.parse(at);
    expect(formatDoneAt(at, now + 5_000)).toBe('just now');
    expect(formatDoneAt(at, now + 10 * 60_000)).toBe('10 min ago');
    expect(formatDoneAt(null)).toBe('');
  });
});
