// Messages between a host (Electron main, the web bridge's process, the CLI) and the engine child
// process. The same shapes travel over Electron's utilityProcess port and Node's fork IPC channel.
import type { EventName, EventPayload, Params, RequestName, Result, WireError } from '../../../shared/contract';
import type { Emit } from '../base/job-context';
import type { Handlers } from '../base/handlers';

export type ParentMessage =
  | { type: 'request'; id: number; name: string; params: unknown }
  | { type: 'cancel'; id: number }
  | { type: 'shutdown' };

export type ChildMessage =
  | { type: 'ready'; pid: number }
  | { type: 'fatal'; error: WireError }
  | { type: 'response'; id: number; ok: true; result: unknown }
  | { type: 'response'; id: number; ok: false; error: WireError }
  | { type: 'event'; name: EventName; payload: unknown };

/** What a host (IPC, bridge) needs from the engine: EngineClient implements it; tests pass fakes. */
export interface EngineApi {
  request<K extends RequestName>(name: K, params: Params<K>): Promise<Result<K>>;
  on<E extends EventName>(event: E, cb: (payload: EventPayload<E>) => void): () => void;
}

/** What the child needs from an engine: `createEngine` in main/engine/service.ts has this shape. */
export interface EngineInstance {
  handlers: Handlers;
  dispose(): Promise<void>;
}
export type EngineMode = 'electron' | 'web' | 'cli';
export type EngineFactory = (opts: { emit: Emit; mode: EngineMode; recentFile?: string }) => EngineInstance | Promise<EngineInstance>;

/** Environment variables the host sets for the child. */
export const ENGINE_ENV = {
  mode: 'S3GAN_ENGINE_MODE',
  recentFile: 'S3GAN_RECENT_FILE',
  /** Tests only: absolute path of a module exporting `createEngine` to host instead of the real engine. */
  factoryModule: 'S3GAN_ENGINE_FACTORY',
} as const;

/** A running engine child as the parent sees it, whatever forked it (utilityProcess or child_process). */
export interface EngineChild {
  readonly pid?: number;
  send(msg: ParentMessage): void;
  onMessage(cb: (msg: unknown) => void): void;
  onExit(cb: (info: { code: number | null; signal: string | null }) => void): void;
  kill(signal?: NodeJS.Signals): void;
}
export type ForkEngine = () => EngineChild;

/** The child's side of the channel, whatever hosts it. */
export interface ParentPort {
  send(msg: ChildMessage): void;
  onMessage(cb: (msg: unknown) => void): void;
}

export function isTypedMessage<T extends { type: string }>(m: unknown): m is T {
  return typeof m === 'object' && m !== null && typeof (m as { type?: unknown }).type === 'string';
}
