// Running jobs as reported by 'job.progress' / 'job.finished' events; the top bar shows them.
import type { EventPayload, JobKind, JobProgress } from '../../../../shared/contract';
import type { Requests } from './requests';

export class JobsState {
  jobs = $state.raw<JobProgress[]>([]);
  /** The job shown in the top bar: the most recently updated one. */
  active = $derived(this.jobs.at(-1) ?? null);
  #waiters = new Set<() => void>();
  /** Jobs known to be over: a progress event that arrives after the end must not bring a chip back. */
  #ended = new Set<string>();

  constructor(private readonly api: Requests) {}

  progress(p: EventPayload<'job.progress'>): void {
    if (this.#ended.has(p.jobId)) return;
    this.jobs = [...this.jobs.filter((j) => j.jobId !== p.jobId), p];
  }

  finished(p: EventPayload<'job.finished'>): void {
    this.#forget(p.jobId);
  }

  /** Resolves true once none of `jobIds` is running (their job.finished arrived), false on timeout. */
  waitFinished(jobIds: string[], timeoutMs = 30_000): Promise<boolean> {
    const pending = () => this.jobs.some((j) => jobIds.includes(j.jobId));
    if (!pending()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (ok: boolean) => {
        clearTimeout(timer);
        this.#waiters.delete(check);
        resolve(ok);
      };
      const check = () => {
        if (!pending()) done(true);
      };
      const timer = setTimeout(() => done(false), timeoutMs);
      this.#waiters.add(check);
    });
  }

  ofKind(kind: JobKind): JobProgress | null {
    return this.jobs.findLast((j) => j.kind === kind) ?? null;
  }

  /** False: the engine runs no such job (it ended, or the engine restarted), so its chip goes too. */
  async cancel(jobId: string): Promise<boolean> {
    const r = await this.api.request('job.cancel', { jobId });
    if (!r.cancelled) this.#forget(jobId);
    return r.cancelled;
  }

  /** The engine's list is the truth (after a reconnect or a restart): chips match what really runs. */
  async load(): Promise<void> {
    const r = await this.api.request('job.list', {});
    // A list asked before a job's end may arrive after its job.finished: it must not bring the chip back.
    this.jobs = r.jobs.filter((j) => !this.#ended.has(j.jobId));
    for (const wake of [...this.#waiters]) wake();
  }

  #forget(jobId: string): void {
    this.#ended.add(jobId);
    this.jobs = this.jobs.filter((j) => j.jobId !== jobId);
    for (const wake of [...this.#waiters]) wake();
  }
}
