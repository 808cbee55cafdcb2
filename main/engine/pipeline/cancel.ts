// Long ML calls get the job's AbortSignal; whatever error they throw once it fired is a cancellation.
import { ContractError } from '../../../shared/contract';
import type { JobContext } from '../base/job-context';

export async function wrapCancel<T>(job: JobContext, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (job.signal.aborted && !(e instanceof ContractError && e.code === 'CANCELLED')) {
      throw new ContractError('CANCELLED', `${job.kind} was cancelled`);
    }
    throw e;
  }
}
