// What a transport must provide: one call per request name, an event subscription, thumbnail URLs.
// api.ts picks the Electron preload or the web bridge; the rest of the renderer only sees `api`.
import type { EventName, WireError } from '../../../../shared/contract';

export type Envelope = { ok: true; result: unknown } | { ok: false; error: WireError };

/**
 * 'unauthorized': the server answers but rejects this page's token (it restarted with a new one);
 * 'no-token': the page was opened without one. Neither heals by retrying: the person must open the
 * address the server printed.
 */
export type ConnectionState = 'connecting' | 'open' | 'closed' | 'unauthorized' | 'no-token';

export interface Transport {
  readonly mode: 'electron' | 'web';
  call(name: string, params: unknown): Promise<Envelope>;
  on(event: EventName, cb: (payload: unknown) => void): () => void;
  thumbUrl(id: string): string;
  /** Notified when the event stream (re)connects, so state can refetch what it may have missed. */
  onConnection(cb: (state: ConnectionState) => void): () => void;
}
