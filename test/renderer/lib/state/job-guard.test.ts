import { describe, expect, it } from 'vitest';
import type { JobProgress } from '../../../../shared/contract';
import { ConfirmState } from '../../../../renderer/src/lib/state/confirm.svelte';
import { describeJobs, stopJobsFirst } from '../../../../renderer/src/lib/state/job-guard';
import { JobsState } from '../../../../renderer/src/lib/state/jobs.svelte';
import { fakeApi } from './fake-api';

const { api, request } = fakeApi();
request.mockResolvedValue({ cancelled: true });

const job = (jobId: string, kind: JobProgress['kind']): JobProgress => ({ jobId, kind, phase: 'x', done: 1, total: 10, etaMs: null });

function harness(answer: boolean, running: JobProgress[]) {
  const jobs = new JobsState(api);
  for (const j of running) jobs.progress(j);
  const confirm = new ConfirmState();
  const log: string[] = [];
  const deps = {
    running: () => jobs.jobs,
    ask: (m: string) => {
      log.push(`ask: ${m}`);
      const p = confirm.ask(m);
      queueMicrotask(() => confirm.answer(answer));
      return p;
    },
    cancel: async (id: string) => {
      log.push(`cancel ${id}`);
      // the engine stops the job a little later and reports job.finished
      setTimeout(() => {
        log.push(`finished ${id}`);
        jobs.finished({ jobId: id, kind: 'import', ok: false });
      }, 20);
    },
    waitFinished: (ids: string[], ms: number) => jobs.waitFinished(ids, ms),
  };
  return { jobs, deps, log };
}

describe('stopping jobs before closing or switching the project', () => {
  it('goes ahead without asking when no job runs', async () => {
    const { deps, log } = harness(false, []);
    expect(await stopJobsFirst(deps, 'Closing the project')).toBe(true);
    expect(log).toEqual([]);
  });

  it('asks; "keep working" leaves the jobs alone', async () => {
    const { deps, log, jobs } = harness(false, [job('t1', 'train')]);
    expect(await stopJobsFirst(deps, 'Closing the project')).toBe(false);
    expect(log).toEqual(['ask: A training run is still running. Closing the project stops it; the training run keeps its last checkpoint and can be resumed.']);
    expect(jobs.jobs).toHaveLength(1);
  });

  it('on yes cancels every job and resolves only after each one finished', async () => {
    const { deps, log, jobs } = harness(true, [job('a', 'import'), job('b', 'features')]);
    expect(await stopJobsFirst(deps, 'Opening another project')).toBe(true);
    expect(log[0]).toBe('ask: An import and the features stage are still running. Opening another project stops them.');
    expect(log.slice(1, 3)).toEqual(['cancel a', 'cancel b']);
    expect(log.slice(3).sort()).toEqual(['finished a', 'finished b']);
    expect(jobs.jobs).toEqual([]);
  });

  it('waitFinished times out when a job never reports finished', async () => {
    const jobs = new JobsState(api);
    jobs.progress(job('stuck', 'train'));
    expect(await jobs.waitFinished(['stuck'], 30)).toBe(false);
    expect(await jobs.waitFinished(['other'], 30)).toBe(true);
  });

  it('names job kinds once each', () => {
    expect(describeJobs([job('a', 'infer'), job('b', 'infer'), job('c', 'cluster'), job('d', 'train')])).toBe('Inference, clustering and a training run');
  });

  it('a newer question answers the older one with no', async () => {
    const confirm = new ConfirmState();
    const first = confirm.ask('one?');
    const second = confirm.ask('two?', { confirmLabel: 'Stop' });
    expect(confirm.question).toEqual({ message: 'two?', confirmLabel: 'Stop', cancelLabel: 'Cancel' });
    confirm.answer(true);
    expect(await first).toBe(false);
    expect(await second).toBe(true);
    expect(confirm.question).toBeNull();
  });
});
