import { describe, expect, it } from 'vitest';
import { formatEta, percent } from '../../../../renderer/src/lib/format';
import { JobsState } from '../../../../renderer/src/lib/state/jobs.svelte';
import { fakeApi } from './fake-api';

const { api, request } = fakeApi();

const p = (jobId: string, kind: 'import' | 'train', done: number) => ({ jobId, kind, phase: 'x', done, total: 10, etaMs: 1000 });

describe('JobsState', () => {
  it('tracks progress per job; the top bar shows the latest; finished jobs disappear', () => {
    const jobs = new JobsState(api);
    jobs.progress(p('a', 'import', 1));
    jobs.progress(p('b', 'train', 2));
    jobs.progress(p('a', 'import', 5));
    expect(jobs.jobs.map((j) => [j.jobId, j.done])).toEqual([['b', 2], ['a', 5]]);
    expect(jobs.active?.jobId).toBe('a');
    expect(jobs.ofKind('train')?.done).toBe(2);
    jobs.finished({ jobId: 'a', kind: 'import', ok: true });
    expect(jobs.active?.jobId).toBe('b');
    expect(jobs.ofKind('import')).toBeNull();
  });

  it('a progress event after the end does not bring the chip back (issue 14)', () => {
    const jobs = new JobsState(api);
    jobs.progress(p('t', 'train', 2));
    jobs.finished({ jobId: 't', kind: 'train', ok: false, interrupted: true, step: 2 });
    jobs.progress(p('t', 'train', 3));
    expect(jobs.jobs).toEqual([]);
  });

  it('✕ on a job the engine no longer runs drops its chip; job.list replaces the chips', async () => {
    const jobs = new JobsState(api);
    jobs.progress(p('gone', 'train', 2));
    jobs.progress(p('live', 'import', 1));
    request.mockResolvedValueOnce({ cancelled: false });
    expect(await jobs.cancel('gone')).toBe(false);
    expect(jobs.jobs.map((j) => j.jobId)).toEqual(['live']);
    request.mockResolvedValueOnce({ jobs: [p('other', 'import', 4)] });
    await jobs.load();
    expect(jobs.jobs.map((j) => j.jobId)).toEqual(['other']);
  });

  it('a job.list asked before a job ended and answered after its job.finished does not bring the chip back', async () => {
    const jobs = new JobsState(api);
    jobs.progress(p('imp', 'import', 9));
    let answer!: (v: unknown) => void;
    request.mockImplementationOnce(() => new Promise((r) => (answer = r)));
    const loading = jobs.load();
    jobs.finished({ jobId: 'imp', kind: 'import', ok: true });
    answer({ jobs: [p('imp', 'import', 9), p('feat', 'train', 1)] });
    await loading;
    expect(jobs.jobs.map((j) => j.jobId)).toEqual(['feat']);
  });

  it('cancel sends job.cancel with the id', async () => {
    request.mockResolvedValueOnce({ cancelled: true });
    expect(await new JobsState(api).cancel('j1')).toBe(true);
    expect(request).toHaveBeenCalledWith('job.cancel', { jobId: 'j1' });
  });
});

describe('format', () => {
  it('formats ETAs and percentages', () => {
    expect(formatEta(null)).toBe('');
    expect(formatEta(42_000)).toBe('42s left');
    expect(formatEta(125_000)).toBe('2m 05s left');
    expect(formatEta(3_900_000)).toBe('1h 05m left');
    expect(percent(1, 3, 1)).toBe('33.3%');
    expect(percent(1, 0)).toBe('0%');
  });
});
