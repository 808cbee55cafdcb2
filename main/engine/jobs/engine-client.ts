// Parent side of the engine child process. Requests never block the caller's event loop: they are
// messages answered asynchronously. If the child dies, pending requests reject with ENGINE_DIED and
// the next request starts a new child, reopening the project that was open.
import { ContractError, type EventName, type JobProgress, type EventPayload, type Params, type RequestName, type Result, type WireError } from '../../../shared/contract';
import { isTypedMessage, type ChildMessage, type EngineChild, type ForkEngine } from './protocol';

interface Pending {
  name: RequestName;
  resolve(v: unknown): void;
  reject(e: unknown): void;
  cleanup(): void;
}

interface Live {
  child: EngineChild;
  started: Promise<void>;
  pending: Map<number, Pending>;
  exited: boolean;
}

export interface EngineClientOptions {
  fork: ForkEngine;
  /** How long close() waits for a clean exit before killing the child. */
  shutdownTimeoutMs?: number;
  log?: (msg: string) => void;
}

type Listener = (payload: unknown) => void;

export class EngineClient {
  private live: Live | null = null;
  private nextId = 1;
  private closed = false;
  private everStarted = false;
  private project: string | null = null;
  private readonly listeners = new Map<EventName, Set<Listener>>();
  /** Running jobs by id, with their latest progress (what a crash report says about each). */
  private readonly jobs = new Map<string, JobProgress>();

  constructor(private readonly opts: EngineClientOptions) {}

  /** Path of the project open in the engine, as seen from its responses and events. */
  get currentProject(): string | null {
    return this.project;
  }

  /** Jobs that reported progress and have not finished (for "quit while a job runs?"). */
  activeJobs(): string[] {
    return [...this.jobs.keys()];
  }

  get pid(): number | undefined {
    return this.live?.child.pid;
  }

  on<E extends EventName>(event: E, cb: (payload: EventPayload<E>) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(cb as Listener);
    return () => set.delete(cb as Listener);
  }

  async request<K extends RequestName>(name: K, params: Params<K>, opts: { signal?: AbortSignal } = {}): Promise<Result<K>> {
    if (this.closed) throw new ContractError('ENGINE_DIED', 'The engine has been closed');
    if (opts.signal?.aborted) throw new ContractError('CANCELLED', `${name} was cancelled`);
    const live = this.ensureStarted(name);
    await live.started;
    const result = (await this.send(live, name, params, opts.signal)) as Result<K>;
    this.track(name, params, result);
    return result;
  }

  /** Asks the child to dispose the engine (releasing the project lock) and exit; kills it if it hangs. */
  async close(): Promise<void> {
    this.closed = true;
    const live = this.live;
    if (!live || live.exited) return;
    const exited = new Promise<void>((resolve) => live.child.onExit(() => resolve()));
    live.child.send({ type: 'shutdown' });
    const timeout = this.opts.shutdownTimeoutMs ?? 10_000;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), timeout)));
    if (await Promise.race([exited.then(() => false), timedOut])) {
      this.opts.log?.('engine did not exit in time; killing it');
      live.child.kill('SIGKILL');
      await exited;
    }
    clearTimeout(timer);
  }

  private ensureStarted(trigger: RequestName): Live {
    if (this.live && !this.live.exited) return this.live;
    const restart = this.everStarted;
    this.everStarted = true;
    const child = this.opts.fork();
    const live: Live = { child, pending: new Map(), exited: false, started: Promise.resolve() };
    let markReady!: () => void;
    let failStart!: (e: unknown) => void;
    const ready = new Promise<void>((res, rej) => ((markReady = res), (failStart = rej)));
    child.onMessage((m) => this.onMessage(live, m, markReady, failStart));
    child.onExit(({ code, signal }) => {
      live.exited = true;
      if (this.live === live) this.live = null;
      const how = signal ? `signal ${signal}` : `exit code ${code}`;
      if (!this.closed) this.reportInterrupted(how);
      this.jobs.clear();
      const err = new ContractError('ENGINE_DIED', `The engine process stopped unexpectedly (${how}). It will restart on the next request.`);
      failStart(err);
      for (const p of live.pending.values()) {
        p.cleanup();
        p.reject(new ContractError('ENGINE_DIED', `The engine process stopped (${how}) while handling "${p.name}". Try again: it restarts automatically.`));
      }
      live.pending.clear();
    });
    live.started = ready.then(() => this.reopenAfterRestart(live, restart, trigger));
    live.started.catch(() => undefined); // observed by every request awaiting it
    this.live = live;
    return live;
  }

  private async reopenAfterRestart(live: Live, restart: boolean, trigger: RequestName): Promise<void> {
    const path = this.project;
    if (!restart || !path || trigger === 'project.open' || trigger === 'project.create') return;
    try {
      await this.send(live, 'project.open', { path });
      this.opts.log?.(`engine restarted; reopened ${path}`);
    } catch (e) {
      this.opts.log?.(`engine restarted but could not reopen ${path}: ${(e as Error).message}`);
      this.setProject(null);
    }
  }

  private send(live: Live, name: RequestName, params: unknown, signal?: AbortSignal): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const onAbort = () => live.child.send({ type: 'cancel', id });
      signal?.addEventListener('abort', onAbort, { once: true });
      const cleanup = () => signal?.removeEventListener('abort', onAbort);
      live.pending.set(id, { name, resolve, reject, cleanup });
      live.child.send({ type: 'request', id, name, params });
      if (signal?.aborted) onAbort();
    });
  }

  private onMessage(live: Live, raw: unknown, markReady: () => void, failStart: (e: unknown) => void): void {
    if (!isTypedMessage<ChildMessage>(raw)) return;
    const msg = raw;
    if (msg.type === 'ready') markReady();
    else if (msg.type === 'fatal') failStart(wireToError(msg.error));
    else if (msg.type === 'event') this.dispatch(msg.name, msg.payload);
    else if (msg.type === 'response') {
      const p = live.pending.get(msg.id);
      if (!p) return;
      live.pending.delete(msg.id);
      p.cleanup();
      if (msg.ok) p.resolve(msg.result);
      else p.reject(wireToError(msg.error));
    }
  }

  private dispatch(name: EventName, payload: unknown): void {
    if (name === 'job.progress') this.jobs.set((payload as JobProgress).jobId, payload as JobProgress);
    if (name === 'job.finished') this.jobs.delete((payload as { jobId: string }).jobId);
    if (name === 'project.changed') this.setProject((payload as { path: string | null }).path);
    for (const cb of this.listeners.get(name) ?? []) {
      try {
        cb(payload);
      } catch (e) {
        this.opts.log?.(`listener of ${name} threw: ${(e as Error).message}`);
      }
    }
  }

  /**
   * The engine died: every job it ran is over. Listeners (the job chips) hear it as a finished job that was
   * interrupted, at the step it last reported; runs.list then says which checkpoint a run resumes from.
   */
  private reportInterrupted(how: string): void {
    for (const p of this.jobs.values()) {
      const at = p.total > 0 ? ` at ${p.kind === 'train' ? 'step ' : ''}${p.done} of ${p.total}` : '';
      this.dispatch('job.finished', {
        jobId: p.jobId, kind: p.kind, ok: false, interrupted: true, step: p.done,
        error: { name: 'ContractError', code: 'ENGINE_DIED', message: `The engine stopped (${how}) while this ${p.kind} job ran${at}.` },
      });
    }
  }

  private track(name: RequestName, params: unknown, result: unknown): void {
    if (name === 'project.open' || name === 'project.create') this.setProject((result as { path?: string }).path ?? (params as { path: string }).path);
    else if (name === 'project.close') this.setProject(null);
    else if (name === 'project.current') this.setProject((result as { path: string } | null)?.path ?? null);
  }

  private setProject(path: string | null): void {
    this.project = path;
  }
}

/** Rebuilds a ContractError from its wire form so `code` survives for callers. */
export function wireToError(w: WireError): ContractError {
  const e = new ContractError(w.code, w.message);
  if (w.name && w.name !== 'ContractError') e.name = w.name;
  return e;
}
