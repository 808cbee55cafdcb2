// The engine's side of the contract: one async handler per request the engine answers.
// Implemented in-process by the engine service; hosted in a child process by jobs/engine-host.
import type { Params, RequestName, Result } from '../../../shared/contract';
import type { Emit } from './job-context';

export interface HandlerContext {
  emit: Emit;
  /** Register a cancellable job for the lifetime of one request; the host routes `job.cancel` here. */
  signal?: AbortSignal;
}

export type Handler<K extends RequestName> = (params: Params<K>, ctx: HandlerContext) => Promise<Result<K>>;
export type Handlers = { [K in RequestName]?: Handler<K> };
