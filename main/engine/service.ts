// The engine service: one object answering every engine request of the contract, in-process (CLI)
// or hosted in the engine child process (app, web). Owns the open project, the job registry and the
// recent-projects list; ML and training handlers plug in through the EngineContext.
import { ContractError, hostRequests, requestNames, toWireError, type EventPayload, type JobKind, type JobProgress, type RequestName } from '../../shared/contract';
import { resolve } from 'node:path';
import { createDemoHandlers } from './demo-handlers';
import type { EngineContext } from './base/engine-context';
import type { Handler, Handlers } from './base/handlers';
import { createJobContext, type Emit, type JobContext } from './base/job-context';
import { labelsChanged } from './project/label-events';
import { createLabelHandlers } from './project/label-handlers';
import { createProjectHandlers } from './project/project-handlers';
import { defaultRecentFile, RecentProjects } from './project/recent';
import { ProjectSession } from './project/session';

export interface EngineOptions {
  emit: Emit;
  mode: 'electron' | 'web' | 'cli';
  recentFile?: string;
  /** Watch imported folders while a project is open. Default: on in the app and web mode, off in the CLI. */
  watch?: boolean;
}

export interface Engine {
  handlers: Handlers;
  context: EngineContext;
  /** Cancels running jobs and closes the project (releasing its lock). */
  dispose(): Promise<void>;
}

interface RunningJob {
  progress: JobProgress;
  job: JobContext & { controller: AbortController };
  done?: Promise<unknown>;
}

/** How long closing a project (or dispose()) waits for cancelled jobs to reach a safe point. */
const DISPOSE_JOB_GRACE_MS = 10_000;

/**
 * The ML-stage and training handlers, loaded on first use: they pull in tfjs and the models, which
 * would add seconds to every project command (CLI init/import/status, opening a project in the app).
 */
/** True once the feature handlers (and with them tfjs and the backend module) are loaded. */
let featureModulesLoaded = false;

function lazyFeatureHandlers(context: EngineContext, names: RequestName[]): Handlers {
  let loaded: Promise<Handlers> | null = null;
  const load = () =>
    (loaded ??= Promise.all([import('./ml-handlers'), import('./train-handlers')]).then(([ml, train]) => {
      featureModulesLoaded = true;
      return { ...ml.createMlHandlers(context), ...train.createTrainHandlers(context) };
    }));
  const forward = (name: RequestName): Handler<RequestName> => async (params, ctx) => {
    const handler = (await load())[name] as Handler<RequestName> | undefined;
    if (!handler) throw new ContractError('UNKNOWN_REQUEST', `The engine does not handle "${name}"`);
    return handler(params, ctx);
  };
  return Object.fromEntries(names.map((name) => [name, forward(name)])) as Handlers;
}

/**
 * Every 'labels.changed' a handler emits carries the state after the change (revision, the images' new
 * labels, counts, undo/redo): every client gets it, so two tabs converge without asking.
 */
function withLabelState(handlers: Handlers, session: ProjectSession): Handlers {
  const wrapped: Handlers = {};
  for (const [name, handler] of Object.entries(handlers) as Array<[RequestName, Handler<RequestName>]>) {
    (wrapped as Record<string, Handler<RequestName>>)[name] = (params, ctx) => handler(params, {
      ...ctx,
      emit: (event, payload) => {
        const project = session.maybeCurrent();
        if (event !== 'labels.changed' || !project) return ctx.emit(event, payload);
        const p = payload as EventPayload<'labels.changed'>;
        ctx.emit('labels.changed', labelsChanged(project, p.ids, p.group));
      },
    });
  }
  return wrapped;
}

export function createEngine(opts: EngineOptions): Engine {
  const { emit } = opts;
  const recent = new RecentProjects(opts.recentFile ?? defaultRecentFile());
  const session = new ProjectSession({ emit, recent, watch: opts.watch ?? opts.mode !== 'cli' });
  const jobs = new Map<string, RunningJob>();

  async function runJob<T>(kind: JobKind, fn: (job: JobContext) => Promise<T>, signal?: AbortSignal): Promise<T> {
    let entry: RunningJob | null = null;
    // Remember each job's latest progress for job.list, then pass the event on.
    const trackingEmit: Emit = (event, payload) => {
      if (event === 'job.progress' && entry) entry.progress = payload as JobProgress;
      emit(event, payload);
    };
    const job = createJobContext(kind, trackingEmit, signal ? { signal } : {});
    entry = { job, progress: { jobId: job.jobId, kind, phase: 'starting', done: 0, total: 0, etaMs: null } };
    jobs.set(job.jobId, entry);
    try {
      const running = fn(job);
      entry.done = running.catch(() => undefined);
      const result = await running;
      emit('job.finished', { jobId: job.jobId, kind, ok: true });
      return result;
    } catch (e) {
      const error = toWireError(e);
      emit('job.finished', { jobId: job.jobId, kind, ok: false, error, ...(error.code === 'CANCELLED' ? { cancelled: true } : {}) });
      throw e;
    } finally {
      jobs.delete(job.jobId);
    }
  }

  /** Cancels every running job and waits (bounded) until each has stopped at a safe point. */
  async function stopJobs(): Promise<void> {
    const pending = [...jobs.values()];
    if (pending.length === 0) return;
    for (const j of pending) j.job.controller.abort();
    await Promise.race([Promise.allSettled(pending.map((j) => j.done)), new Promise((r) => setTimeout(r, DISPOSE_JOB_GRACE_MS).unref())]);
  }

  /** Project switches stop the jobs working on the current project first (a no-op re-open does not). */
  function stoppingJobs<K extends 'project.close' | 'project.open' | 'project.create' | 'demo.create'>(name: K, handler: Handler<K>): Handler<K> {
    return async (params, ctx) => {
      const path = (params as { path?: string }).path;
      const same = name === 'project.open' && path !== undefined && session.maybeCurrent()?.dir === resolve(path);
      if (!same) await stopJobs();
      return handler(params, ctx);
    };
  }

  const context: EngineContext = {
    project: () => session.current(),
    emit,
    runJob: (kind, fn) => runJob(kind, fn),
  };

  const core: Handlers = {
    ...createProjectHandlers(session, recent, runJob),
    ...createLabelHandlers(session, runJob),
    'job.list': async () => ({ jobs: [...jobs.values()].map((j) => j.progress) }),
    // The host answers app.info and asks the engine only for the backend in use (null until a model
    // stage selected one; the backend module is not loaded just to say so).
    'app.info': async () => ({
      version: '', mode: opts.mode,
      backend: featureModulesLoaded ? (await import('./backend')).currentBackendInfo() : null,
    }),
    'job.cancel': async ({ jobId }) => {
      const running = jobs.get(jobId);
      if (!running) return { cancelled: false };
      running.job.controller.abort();
      return { cancelled: true };
    },
  };
  Object.assign(core, createDemoHandlers(session, { ...core }, runJob));
  for (const name of ['project.close', 'project.open', 'project.create', 'demo.create'] as const) {
    core[name] = stoppingJobs(name, core[name] as Handler<typeof name>) as never;
  }
  const featureNames = requestNames.filter((n) => !(n in core) && !hostRequests.has(n));
  const handlers = withLabelState({ ...lazyFeatureHandlers(context, featureNames), ...core }, session);

  return {
    handlers,
    context,
    async dispose() {
      // Let cancelled jobs stop between units of work before their project goes away.
      await stopJobs();
      await session.close().catch((e: unknown) => {
        throw e instanceof ContractError ? e : new ContractError('IO', `Closing the project failed: ${(e as Error).message}`);
      });
    },
  };
}
