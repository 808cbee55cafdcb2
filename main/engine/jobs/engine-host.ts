// The engine child's message loop: validates each request (defence in depth: the host already did),
// runs its handler with a per-request AbortSignal, replies with a response, and forwards events.
import { ContractError, toWireError, type EventName, type RequestName } from '../../../shared/contract';
import type { Handler, HandlerContext } from '../base/handlers';
import type { Emit } from '../base/job-context';
import { isTypedMessage, type EngineFactory, type EngineInstance, type EngineMode, type ParentMessage, type ParentPort } from './protocol';
import { parseIncoming } from './validate';

export interface HostedEngine {
  /** Resolves once the engine exists (requests arriving earlier wait for it). */
  ready: Promise<void>;
  /** Disposes the engine (releases the project lock); safe to call twice. */
  dispose(): Promise<void>;
}

export function hostEngine(port: ParentPort, factory: EngineFactory, opts: { mode: EngineMode; recentFile?: string; onShutdown?: () => void }): HostedEngine {
  const inFlight = new Map<number, AbortController>();
  const emit: Emit = (name, payload) => port.send({ type: 'event', name: name as EventName, payload });
  let engine: EngineInstance | null = null;
  let disposing: Promise<void> | null = null;

  const ready = (async () => {
    engine = await factory({ emit, mode: opts.mode, ...(opts.recentFile ? { recentFile: opts.recentFile } : {}) });
  })();

  async function handle(id: number, name: string, raw: unknown): Promise<void> {
    const controller = new AbortController();
    inFlight.set(id, controller);
    try {
      const { params } = parseIncoming(name, raw);
      await ready;
      if (disposing) throw new ContractError('ENGINE_DIED', 'The engine is shutting down');
      const handler = engine!.handlers[name as RequestName] as Handler<RequestName> | undefined;
      if (!handler) throw new ContractError('UNKNOWN_REQUEST', `The engine does not handle "${name}"`);
      // Cancelled while waiting for the engine to start: handlers only see aborts that happen later.
      if (controller.signal.aborted) throw new ContractError('CANCELLED', `${name} was cancelled`);
      const ctx: HandlerContext = { emit, signal: controller.signal };
      const result = await handler(params as never, ctx);
      port.send({ type: 'response', id, ok: true, result });
    } catch (e) {
      port.send({ type: 'response', id, ok: false, error: toWireError(e) });
    } finally {
      inFlight.delete(id);
    }
  }

  function dispose(): Promise<void> {
    disposing ??= (async () => {
      for (const c of inFlight.values()) c.abort();
      await ready.catch(() => undefined);
      if (engine) await engine.dispose();
    })();
    return disposing;
  }

  port.onMessage((raw) => {
    const msg = raw;
    if (!isTypedMessage<ParentMessage>(msg)) return;
    if (msg.type === 'request') void handle(msg.id, msg.name, msg.params);
    else if (msg.type === 'cancel') inFlight.get(msg.id)?.abort();
    else if (msg.type === 'shutdown') opts.onShutdown?.();
  });

  return { ready, dispose };
}
