// Web-mode transport: requests as POST /api/<name> with a bearer token, events over one WebSocket
// that reconnects with exponential backoff (the server may restart; the laptop may sleep).
import type { EventName, WireError } from '../../../../shared/contract';
import type { ConnectionState, Envelope, Transport } from './types';

type SocketLike = Pick<WebSocket, 'close'> & {
  onopen: ((ev: Event) => unknown) | null;
  onclose: ((ev: CloseEvent) => unknown) | null;
  onmessage: ((ev: MessageEvent) => unknown) | null;
  onerror: ((ev: Event) => unknown) | null;
};

export interface WebTransportOptions {
  token: string | null;
  host: string; // location.host
  secure?: boolean; // https page → wss
  fetch?: typeof fetch;
  createSocket?: (url: string) => SocketLike;
  setTimer?: (fn: () => void, ms: number) => unknown;
}

export const BACKOFF_MIN_MS = 250;
export const BACKOFF_MAX_MS = 8000;

/** Delay before reconnect attempt n (0-based): doubles from 250 ms, capped at 8 s. */
export function backoffDelay(attempt: number): number {
  return Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** Math.max(0, attempt));
}

function networkError(message: string): Envelope {
  return { ok: false, error: { name: 'NetworkError', message, code: 'IO' } };
}

export const NO_TOKEN_MESSAGE = 'This address has no access token. Open the full address `s3gan serve` printed (the line S3GAN_URL http://127.0.0.1:…/?token=…).';
export const TOKEN_REJECTED_MESSAGE = 'The server restarted, so this page\'s access token no longer works. Open the new address it printed (the line S3GAN_URL http://127.0.0.1:…/?token=…).';

/** Turns any HTTP response into an envelope; non-JSON bodies become typed errors, not crashes. */
export async function envelopeFromResponse(res: Response): Promise<Envelope> {
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    body = null; // not JSON (e.g. a plain 401 text): fall through to the status-based error below
  }
  if (body && typeof body === 'object' && 'ok' in body) {
    const env = body as Envelope;
    if (env.ok || (env.error && typeof env.error.message === 'string')) return env;
  }
  const code: WireError['code'] = res.status === 401 || res.status === 403 ? 'UNAUTHORIZED' : res.status === 404 ? 'UNKNOWN_REQUEST' : 'INTERNAL';
  const hint = code === 'UNAUTHORIZED' ? ' — open the URL printed by `s3gan serve` (it carries the token)' : '';
  return { ok: false, error: { name: 'HttpError', message: `HTTP ${res.status} ${res.statusText}${hint}`, code } };
}

export function webTransport(opts: WebTransportOptions): Transport {
  const doFetch = opts.fetch ?? ((...a: Parameters<typeof fetch>) => fetch(...a));
  const createSocket = opts.createSocket ?? ((url: string) => new WebSocket(url) as SocketLike);
  const setTimer = opts.setTimer ?? ((fn: () => void, ms: number) => setTimeout(fn, ms));
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const connectionListeners = new Set<(s: ConnectionState) => void>();
  const tokenQuery = opts.token ? `?token=${encodeURIComponent(opts.token)}` : '';
  const auth: Record<string, string> = opts.token ? { Authorization: `Bearer ${opts.token}` } : {};
  let socket: SocketLike | null = null;
  let attempt = 0;
  let state: ConnectionState = 'closed';
  /** The token is missing or rejected: retrying cannot help, so the stream stays down. */
  let final = false;

  function setState(s: ConnectionState): void {
    state = s;
    for (const cb of connectionListeners) cb(s);
  }

  function giveUp(s: 'unauthorized' | 'no-token'): void {
    if (final) return;
    final = true;
    socket?.close();
    socket = null;
    setState(s);
  }

  /** A closed stream: is the server up but refusing this token (a WebSocket cannot tell us why)? */
  async function checkToken(): Promise<void> {
    try {
      const res = await doFetch('/api/app.info', { method: 'POST', headers: { 'Content-Type': 'application/json', ...auth }, body: '{}' });
      if (res.status === 401) giveUp('unauthorized');
    } catch {
      // unreachable: the server is down or restarting; the reconnect loop keeps trying
    }
  }

  function connect(): void {
    if (final) return;
    if (!opts.token) return giveUp('no-token');
    setState('connecting');
    const scheme = opts.secure ? 'wss' : 'ws';
    const ws = createSocket(`${scheme}://${opts.host}/events${tokenQuery}`);
    socket = ws;
    ws.onopen = () => {
      attempt = 0;
      setState('open');
    };
    ws.onmessage = (ev) => {
      let msg: { event?: string; payload?: unknown };
      try {
        msg = JSON.parse(String(ev.data));
      } catch {
        console.warn('s3gan: ignoring a non-JSON event message');
        return;
      }
      if (typeof msg.event !== 'string') return;
      for (const cb of listeners.get(msg.event) ?? []) cb(msg.payload);
    };
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = null;
      if (final) return;
      setState('closed');
      setTimer(connect, backoffDelay(attempt++));
      void checkToken();
    };
    ws.onerror = () => ws.close(); // onclose schedules the retry
  }

  return {
    mode: 'web',
    async call(name, params) {
      if (!opts.token) {
        giveUp('no-token');
        return { ok: false, error: { name: 'HttpError', message: NO_TOKEN_MESSAGE, code: 'UNAUTHORIZED' } };
      }
      let res: Response;
      try {
        res = await doFetch(`/api/${name}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', ...auth },
          body: JSON.stringify(params ?? {}),
        });
      } catch (err) {
        return networkError(`Cannot reach the S³GAN server (${err instanceof Error ? err.message : String(err)})`);
      }
      if (res.status === 401) {
        giveUp('unauthorized');
        return { ok: false, error: { name: 'HttpError', message: TOKEN_REJECTED_MESSAGE, code: 'UNAUTHORIZED' } };
      }
      return envelopeFromResponse(res);
    },
    on(event: EventName, cb) {
      if (!socket && state === 'closed' && attempt === 0) connect();
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(cb);
      return () => set.delete(cb);
    },
    thumbUrl: (id) => `/thumb/${encodeURIComponent(id)}${tokenQuery}`,
    onConnection(cb) {
      connectionListeners.add(cb);
      if (!socket && state === 'closed' && attempt === 0) connect(); // notifies 'connecting'
      else cb(state);
      return () => connectionListeners.delete(cb);
    },
  };
}
