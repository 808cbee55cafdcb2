// What a long-running engine operation receives: progress reporting, cancellation, events.
// The job layer turns these callbacks into `job.progress` events; engine code never talks to a transport.
import type { EventName, EventPayload, JobKind } from '../../../shared/contract';
import { ContractError } from '../../../shared/contract';

export type Emit = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

export interface JobContext {
  readonly jobId: string;
  readonly kind: JobKind;
  readonly signal: AbortSignal;
  /** Report progress; ETA is derived from elapsed time and done/total. */
  progress(done: number, total: number, phase?: string, message?: string): void;
  /** Throws ContractError('CANCELLED') when the job was cancelled. Call between units of work. */
  throwIfCancelled(): void;
}

let counter = 0;
export function newJobId(kind: JobKind): string {
  counter += 1;
  return `${kind}-${Date.now().toString(36)}-${counter}`;
}

/** Builds a JobContext that reports through `emit`, rate-limited to ~10 events/s (always the last one). */
export function createJobContext(kind: JobKind, emit: Emit, opts: { jobId?: string; signal?: AbortSignal; minIntervalMs?: number } = {}): JobContext & { controller: AbortController } {
  const controller = new AbortController();
  if (opts.signal) opts.signal.addEventListener('abort', () => controller.abort(), { once: true });
  const jobId = opts.jobId ?? newJobId(kind);
  const started = Date.now();
  const minInterval = opts.minIntervalMs ?? 100;
  let last = 0;
  return {
    jobId,
    kind,
    controller,
    signal: controller.signal,
    progress(done, total, phase = kind, message) {
      const now = Date.now();
      if (done < total && now - last < minInterval) return;
      last = now;
      const elapsed = now - started;
      const etaMs = done > 0 && total >= done ? Math.round((elapsed / done) * (total - done)) : null;
      emit('job.progress', { jobId, kind, phase, done, total, etaMs, ...(message ? { message } : {}) });
    },
    throwIfCancelled() {
      if (controller.signal.aborted) throw new ContractError('CANCELLED', `${kind} was cancelled`);
    },
  };
}
