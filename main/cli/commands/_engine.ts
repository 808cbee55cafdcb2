// Shared by the project commands: an in-process engine with one project open, progress to io.log.
import { resolve } from 'node:path';
import { parseRequest, type EventName, type EventPayload } from '../../../shared/contract';
import type { Handler, Handlers } from '../../engine/base/handlers';
import type { Emit } from '../../engine/base/job-context';
import { createEngine } from '../../engine/service';
import type { CliIO } from '../command';
import { UsageError } from '../args';

const PROGRESS_EVERY_MS = 1000;

function progressLogger(io: CliIO): Emit {
  let last = 0;
  return <E extends EventName>(event: E, payload: EventPayload<E>) => {
    if (event !== 'job.progress') return;
    const p = payload as EventPayload<'job.progress'>;
    const now = Date.now();
    if (p.done < p.total && now - last < PROGRESS_EVERY_MS) return;
    last = now;
    const eta = p.etaMs !== null && p.done < p.total ? `, about ${Math.ceil(p.etaMs / 1000)} s left` : '';
    io.log(p.total > 0 ? `${p.phase}: ${p.done}/${p.total}${eta}` : `${p.phase}${p.message ? ` ${p.message}` : ''}…`);
  };
}

/** Calls a handler by name with the CLI's emit, after the contract's validation (errors in words, as in the app). */
export type Call = <K extends keyof Handlers>(name: K, params: Parameters<NonNullable<Handlers[K]>>[0]) => ReturnType<NonNullable<Handlers[K]>>;

/** Runs `fn` with an engine whose project at `projectPath` is open (or created with `create`). */
export async function withEngine<T>(io: CliIO, fn: (call: Call) => Promise<T>, opts: { emit?: Emit } = {}): Promise<T> {
  const emit = opts.emit ?? progressLogger(io);
  const engine = createEngine({ emit, mode: 'cli' });
  const call: Call = ((name: keyof Handlers, params: unknown) => {
    const handler = engine.handlers[name] as Handler<typeof name> | undefined;
    if (!handler) throw new Error(`engine has no handler for ${name}`);
    return handler(parseRequest(name, params).params as never, { emit });
  }) as Call;
  const stopOnSignal = interruptHandler(io, call);
  process.on('SIGINT', stopOnSignal);
  process.on('SIGTERM', stopOnSignal);
  try {
    return await fn(call);
  } finally {
    process.off('SIGINT', stopOnSignal);
    process.off('SIGTERM', stopOnSignal);
    await engine.dispose();
  }
}

/**
 * Ctrl-C (or SIGTERM) cancels the running jobs the way the app's Stop button does: a training run
 * stops after its current step with a final checkpoint and state "stopped", an ML stage keeps its last
 * epoch checkpoint. A second Ctrl-C quits at once (everything acknowledged is already on disk).
 */
function interruptHandler(io: CliIO, call: Call): () => void {
  let signals = 0;
  return () => {
    signals += 1;
    if (signals > 1) {
      io.log('Quitting now; the last checkpoint is kept.');
      process.exit(130);
    }
    io.log('Stopping after the current step (a checkpoint is written)… press Ctrl-C again to quit at once.');
    void (async () => {
      const { jobs } = await call('job.list', {});
      await Promise.all(jobs.map((j) => call('job.cancel', { jobId: j.jobId })));
    })().catch((e: unknown) => io.log(`Could not stop the running job: ${e instanceof Error ? e.message : String(e)}`));
  };
}

export function projectArg(positional: string[], usage: string): string {
  const p = positional[0];
  if (!p) throw new UsageError(`Missing <project> folder. ${usage}`);
  return resolve(p);
}
