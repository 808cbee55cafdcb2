// Samples view logic: sample.grid parameters from the controls, the slider's steps (saved grids ∪ checkpoints),
// saved grid (runs.grid) vs re-render from the nearest checkpoint.
import { describe, expect, it } from 'vitest';
import { gridParams, gridSource, nearestCheckpoint, SamplesState, sliderSteps } from '../../../../renderer/src/lib/state/samples.svelte';
import { fakeApi } from './fake-api';

const { api, request } = fakeApi();

const run = (id: string, checkpoints: number[], grids: number[] = []) => ({ run: id, method: 's3gan' as const, step: 6, steps: 6, state: 'done' as const, checkpoints, grids, createdAt: '' });
const defaults = { step: null, truncation: 0, seed: null, classId: null, interpolate: false };

describe('slider steps', () => {
  it('are the sorted union of saved grid steps and checkpoint steps', () => {
    expect(sliderSteps(run('r', [6, 20, 30, 40], [5, 10, 15, 20, 25, 30, 35, 40]))).toEqual([5, 6, 10, 15, 20, 25, 30, 35, 40]);
    expect(sliderSteps(run('r', [4], []))).toEqual([4]);
    expect(sliderSteps(run('r', [], [1, 2]))).toEqual([1, 2]);
    expect(sliderSteps(null)).toEqual([]);
  });

  it('nearest checkpoint (earlier on a tie)', () => {
    expect(nearestCheckpoint([10, 20, 40], 14)).toBe(10);
    expect(nearestCheckpoint([10, 20, 40], 15)).toBe(10);
    expect(nearestCheckpoint([10, 20, 40], 31)).toBe(40);
    expect(nearestCheckpoint([], 3)).toBeNull();
  });

  it('shows the saved grid for the default view, else re-renders at the nearest checkpoint', () => {
    const r = run('r', [20, 40], [10, 20, 30, 40]);
    expect(gridSource(r, { ...defaults, step: 10 })).toEqual({ kind: 'saved', params: { run: 'r', step: 10 } });
    expect(gridSource(r, defaults)).toEqual({ kind: 'saved', params: { run: 'r', step: 40 } });
    expect(gridSource(r, { ...defaults, step: 10, truncation: 0.5 })).toEqual({ kind: 'render', params: { run: 'r', step: 20, truncation: 0.5 }, requested: 10 });
    expect(gridSource(r, { ...defaults, step: 30, seed: 7 })).toEqual({ kind: 'render', params: { run: 'r', step: 20, seed: 7 }, requested: 30 });
    expect(gridSource(r, { ...defaults, step: 40, classId: 'cat' })).toMatchObject({ kind: 'render', params: { step: 40, classId: 'cat' } });
    expect(gridSource(run('r', [4], []), { ...defaults, step: 4 })).toEqual({ kind: 'render', params: { run: 'r', step: 4 }, requested: 4 });
  });
});

describe('gridParams', () => {
  it('omits what is off (latest step, no truncation, all classes)', () => {
    expect(gridParams('r', { step: null, truncation: 0, seed: 3, classId: null, interpolate: false })).toEqual({ run: 'r', seed: 3 });
    expect(gridParams('r', { step: 4, truncation: 0.5, seed: 0, classId: 'cat', interpolate: true })).toEqual({ run: 'r', step: 4, truncation: 0.5, seed: 0, classId: 'cat', interpolate: [0, 1] });
    expect(gridParams('r', { step: 4, truncation: 0, seed: null, classId: null, interpolate: false })).toEqual({ run: 'r', step: 4 });
  });
});

describe('SamplesState', () => {
  it('picks the newest run with grids or checkpoints and slides over saved grids and checkpoints', async () => {
    request.mockImplementation(async (name: string, params: { step?: number }) => {
      if (name === 'runs.list') return { runs: [run('old', [2, 4]), run('empty', []), run('new', [4, 6], [1, 2, 3, 4, 5, 6])] };
      return { png: name === 'runs.grid' ? 'SAVED' : 'AAAA', rows: ['cat', 'dog'], step: params.step ?? 6 };
    });
    const s = new SamplesState(api);
    await s.loadRuns();
    expect(s.runs.map((r) => r.run)).toEqual(['old', 'new']);
    expect(s.a.run).toBe('new');
    expect(s.steps).toEqual([1, 2, 3, 4, 5, 6]);
    expect(s.step).toBe(6);
    s.stepIndex = 0;
    expect(s.step).toBe(1);
    await s.refresh();
    expect(request).toHaveBeenLastCalledWith('runs.grid', { run: 'new', step: 1 });
    expect(s.a.grid).toMatchObject({ step: 1, rows: ['cat', 'dog'], src: 'data:image/png;base64,SAVED', source: 'saved', requested: 1 });
    s.truncation = 0.5;
    await s.refresh();
    // No checkpoint at step 1: re-rendered at the nearest one, and the pane says so.
    expect(request).toHaveBeenLastCalledWith('sample.grid', { run: 'new', step: 4, truncation: 0.5 });
    expect(s.a.grid).toMatchObject({ step: 4, source: 'rendered', requested: 1, src: 'data:image/png;base64,AAAA' });
    s.truncation = 0;
    s.compare = true;
    s.b.run = 'old';
    s.stepIndex = 5;
    await s.refresh();
    // Run B has no saved grid nor checkpoint at step 6: its nearest checkpoint.
    expect(request).toHaveBeenLastCalledWith('sample.grid', { run: 'old', step: 4 });
    expect(s.b.grid).toMatchObject({ step: 4, source: 'rendered', requested: 6 });
    const seed = s.seed;
    s.resample();
    expect(s.seed).not.toBe(seed);
  });

  it("re-renders a step without a saved grid with the run's fixed latents: no seed until Resample", async () => {
    // The engine takes any seed it is sent as a new latent stream (seed 0 included), so sending
    // none is what shows the latents the trainer's own grids use.
    request.mockImplementation(async (name: string, params: { step?: number }) => {
      if (name === 'runs.list') return { runs: [run('r', [4, 6], [6])] };
      return { png: 'AAAA', rows: ['cat'], step: params.step ?? 6 };
    });
    const s = new SamplesState(api);
    await s.loadRuns();
    s.stepIndex = 0;
    await s.refresh();
    expect(request).toHaveBeenLastCalledWith('sample.grid', { run: 'r', step: 4 });
    s.resample();
    await s.refresh();
    expect(request).toHaveBeenLastCalledWith('sample.grid', { run: 'r', step: 4, seed: s.seed });
  });
});
