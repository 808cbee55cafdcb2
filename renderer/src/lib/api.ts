// The renderer's only door to the app: a typed client derived from shared/contract.ts.
// Electron: the preload's `window.s3gan`; web mode: the bridge over HTTP + WebSocket.
import { parseEvent, parseRequest, parseResult, toWireError, type Api, type ErrorCode, type EventName, type EventPayload, type Params, type RequestName, type Result, type WireError } from '../../../shared/contract';
import { electronTransport, type PreloadApi } from './transport/electron';
import { resolveToken } from './transport/token';
import type { ConnectionState, Transport } from './transport/types';
import { webTransport } from './transport/web';

/** A request the app answered with `{ok:false}`; `code` is what the UI acts on. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly request: string;
  constructor(request: string, wire: WireError) {
    super(wire.message);
    this.name = wire.name || 'ApiError';
    this.code = wire.code;
    this.request = request;
  }
}

export { errorMessage } from './errors';

export interface Client {
  readonly mode: 'electron' | 'web';
  request<K extends RequestName>(name: K, params: Params<K>): Promise<Result<K>>;
  on<E extends EventName>(event: E, cb: (payload: EventPayload<E>) => void): () => void;
  onConnection(cb: (state: ConnectionState) => void): () => void;
  thumbUrl(id: string): string;
  /** Per-verb proxies typed from the contract: `client.verbs['project.open']({path})`. */
  readonly verbs: Omit<Api, 'on'>;
}

/** `transport` may be a thunk so importing this module never touches `window` (unit tests, SSR). */
export function createClient(transport: Transport | (() => Transport)): Client {
  let resolved: Transport | null = typeof transport === 'function' ? null : transport;
  const t = (): Transport => (resolved ??= (transport as () => Transport)());
  async function request<K extends RequestName>(name: K, params: Params<K>): Promise<Result<K>> {
    // Checked here with the same schema the engine uses, so a bad field (a relative path, a number out
    // of range) is refused in words before anything is sent — nothing is created on the server.
    try {
      parseRequest(name, params ?? {});
    } catch (e) {
      throw new ApiError(name, toWireError(e));
    }
    const env = await t().call(name, params ?? {});
    if (!env.ok) throw new ApiError(name, env.error);
    try {
      return parseResult(name, env.result);
    } catch (e) {
      throw new ApiError(name, toWireError(e));
    }
  }
  const verbs = new Proxy({} as Omit<Api, 'on'>, {
    get: (_t, name) => (params: unknown) => request(name as RequestName, params as never),
  });
  return {
    get mode() {
      return t().mode;
    },
    request,
    // Events are validated on arrival too; a malformed one is dropped with a warning, never acted on.
    on: (event, cb) => t().on(event, (p: unknown) => {
      let payload: EventPayload<typeof event>;
      try {
        payload = parseEvent(event, p);
      } catch (e) {
        console.warn(`s3gan: dropped an invalid "${event}" event: ${(e as Error).message}`);
        return;
      }
      cb(payload);
    }),
    onConnection: (cb) => t().onConnection(cb),
    thumbUrl: (id) => t().thumbUrl(id),
    verbs,
  };
}

declare global {
  interface Window {
    s3gan?: PreloadApi;
  }
}

function detectTransport(): Transport {
  if (typeof window !== 'undefined' && window.s3gan) return electronTransport(window.s3gan);
  const token = resolveToken({ location: window.location, storage: window.sessionStorage, history: window.history });
  return webTransport({ token, host: window.location.host, secure: window.location.protocol === 'https:' });
}

export const api: Client = createClient(detectTransport);
export const thumbUrl = (id: string): string => api.thumbUrl(id);
export const mode = (): 'electron' | 'web' => api.mode;
export type { ConnectionState };
