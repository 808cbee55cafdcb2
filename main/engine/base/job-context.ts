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
  const minInterval = opts.minIntervalMs ?? 100;
  let last = 0;
  // ETA from the rate since the phase's first report, so a resumed run (done starts at its checkpoint)
  // or a later phase does not inherit an earlier one's pace.
  let base: { phase: string; at: number; done: number } | null = null;
  return {
    jobId,
    kind,
    controller,
    signal: controller.signal,
    progress(done, total, phase = kind, message) {
      const now = Date.now();
      if (base?.phase !== phase || done < base.done) base = { phase, at: now, done };
      if (done < total && now - last < minInterval) return;
      last = now;
      const rate = done > base.done ? (now - base.at) / (done - base.done) : null;
      const etaMs = rate !== null && total >= done ? Math.round(rate * (total - done)) : null;
      emit('job.progress', { jobId, kind, phase, done, total, etaMs, ...(message ? { message } : {}) });
    },
    throwIfCancelled() {
      if (controller.signal.aborted) throw new ContractError('CANCELLED', `${kind} was cancelled`);
    },
  };
}
