// Samples view logic: sample.grid parameters from the controls, checkpoint steps of the picked run.
import { describe, expect, it, vi } from 'vitest';

const request = vi.fn();
vi.mock('../../renderer/src/lib/api', () => ({ api: { request: (...a: unknown[]) => request(...a) }, errorMessage: String }));

const { gridParams, SamplesState } = await import('../../renderer/src/lib/state/samples.svelte');

const run = (id: string, checkpoints: number[]) => ({ run: id, method: 's3gan', step: 6, steps: 6, state: 'done', checkpoints, grids: [], createdAt: '' });

describe('gridParams', () => {
  it('omits what is off (latest step, no truncation, all classes)', () => {
    expect(gridParams('r', { step: null, truncation: 0, seed: 3, classId: null, interpolate: false })).toEqual({ run: 'r', seed: 3 });
    expect(gridParams('r', { step: 4, truncation: 0.5, seed: 0, classId: 'cat', interpolate: true })).toEqual({ run: 'r', step: 4, truncation: 0.5, seed: 0, classId: 'cat', interpolate: [0, 1] });
  });
});

describe('SamplesState', () => {
  it('picks the newest run with checkpoints and slides over its checkpoint steps', async () => {
    request.mockImplementation(async (name: string, params: { step?: number }) => {
      if (name === 'runs.list') return { runs: [run('old', [2, 4]), run('empty', []), run('new', [2, 4, 6])] };
      return { png: 'AAAA', rows: ['cat', 'dog'], step: params.step ?? 6 };
    });
    const s = new SamplesState();
    await s.loadRuns();
    expect(s.runs.map((r) => r.run)).toEqual(['old', 'new']);
    expect(s.a.run).toBe('new');
    expect(s.step).toBe(6);
    s.stepIndex = 0;
    expect(s.step).toBe(2);
    await s.refresh();
    expect(request).toHaveBeenLastCalledWith('sample.grid', { run: 'new', step: 2, seed: 0 });
    expect(s.a.grid).toMatchObject({ step: 2, rows: ['cat', 'dog'], src: 'data:image/png;base64,AAAA' });
    s.compare = true;
    s.b.run = 'old';
    s.stepIndex = 2;
    await s.refresh();
    // Run B has no checkpoint at step 6: it shows its latest.
    expect(request).toHaveBeenLastCalledWith('sample.grid', { run: 'old', seed: 0 });
    const seed = s.seed;
    s.resample();
    expect(s.seed).not.toBe(seed);
  });
});
