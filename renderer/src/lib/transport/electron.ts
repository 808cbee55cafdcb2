// Electron transport: the preload exposes one async function per request plus `on`.
import type { EventName } from '../../../../shared/contract';
import type { ConnectionState, Envelope, Transport } from './types';

export interface PreloadApi {
  [request: string]: unknown;
  on(event: EventName, cb: (payload: unknown) => void): () => void;
}

export function electronTransport(bridge: PreloadApi): Transport {
  return {
    mode: 'electron',
    async call(name, params) {
      const fn = bridge[name];
      if (typeof fn !== 'function') {
        return { ok: false, error: { name: 'ContractError', message: `Unknown request "${name}"`, code: 'UNKNOWN_REQUEST' } };
      }
      return (await (fn as (p: unknown) => Promise<Envelope>)(params)) as Envelope;
    },
    on: (event, cb) => bridge.on(event, cb),
    thumbUrl: (id) => `s3gan://thumb/${encodeURIComponent(id)}`,
    // IPC is always connected while the window lives.
    onConnection(cb: (state: ConnectionState) => void) {
      cb('open');
      return () => {};
    },
  };
}
