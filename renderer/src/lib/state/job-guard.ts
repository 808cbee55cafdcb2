// Closing or switching the project while jobs run: ask first, then cancel them and wait until each
// reported job.finished (the engine stops at a safe point; a training run keeps its last checkpoint).
import type { JobProgress } from '../../../../shared/contract';

export interface JobGuardDeps {
  running(): JobProgress[];
  /** Shows the question; resolves true when the person agrees to stop the jobs. */
  ask(message: string): Promise<boolean>;
  cancel(jobId: string): Promise<unknown>;
  waitFinished(jobIds: string[], timeoutMs: number): Promise<boolean>;
}

const JOB_NAMES: Record<JobProgress['kind'], string> = {
  import: 'an import', features: 'the features stage', cluster: 'clustering', infer: 'inference',
  train: 'a training run', eval: 'an evaluation', 'labels-import': 'a label import', export: 'a sample export',
};

export function describeJobs(jobs: JobProgress[]): string {
  const names = [...new Set(jobs.map((j) => JOB_NAMES[j.kind]))];
  const list = names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
  return list.charAt(0).toUpperCase() + list.slice(1);
}

/**
 * Resolves true when `action` may go ahead: no job runs, or the person agreed and every job was
 * cancelled and has finished (or did not finish within the timeout: the engine still stops it before
 * switching). Resolves false when the person chose to keep working.
 */
export async function stopJobsFirst(deps: JobGuardDeps, action: string, timeoutMs = 30_000): Promise<boolean> {
  const running = deps.running();
  if (running.length === 0) return true;
  const them = running.length === 1 ? 'it' : 'them';
  const verb = running.length === 1 ? 'is' : 'are';
  const training = running.some((j) => j.kind === 'train') ? '; the training run keeps its last checkpoint and can be resumed' : '';
  const ok = await deps.ask(`${describeJobs(running)} ${verb} still running. ${action} stops ${them}${training}.`);
  if (!ok) return false;
  const ids = running.map((j) => j.jobId);
  await Promise.all(ids.map((id) => deps.cancel(id).catch(() => undefined)));
  await deps.waitFinished(ids, timeoutMs);
  return true;
}
