import { describe, expect, it } from 'vitest';
import { backoffDelay, webTransport } from '../../../../renderer/src/lib/transport/web';

type Handler = ((ev: never) => unknown) | null;
class FakeSocket {
  onopen: Handler = null;
  onclose: Handler = null;
  onmessage: Handler = null;
  onerror: Handler = null;
  closed = false;
  constructor(public url: string) {}
  close() {
    this.closed = true;
    (this.onclose as (() => void) | null)?.();
  }
  open() {
    (this.onopen as (() => void) | null)?.();
  }
  message(data: string) {
    (this.onmessage as ((e: { data: string }) => void) | null)?.({ data });
  }
}

function setup() {
  const sockets: FakeSocket[] = [];
  const timers: Array<{ fn: () => void; ms: number }> = [];
  const calls: Array<{ url: string; init: RequestInit }> = [];
  let reply: () => Response | Promise<Response> = () => new Response(JSON.stringify({ ok: true, result: { x: 1 } }));
  const t = webTransport({
    token: 'tok en',
    host: '127.0.0.1:9',
    fetch: (async (url: string, init: RequestInit) => {
      calls.push({ url, init });
      return reply();
    }) as typeof fetch,
    createSocket: (url) => {
      const s = new FakeSocket(url);
      sockets.push(s);
      return s as never;
    },
    setTimer: (fn, ms) => timers.push({ fn, ms }),
  });
  return { t, sockets, timers, calls, setReply: (r: typeof reply) => (reply = r) };
}

describe('web transport requests', () => {
  it('POSTs JSON to /api/<name> with the bearer token', async () => {
    const { t, calls } = setup();
    expect(await t.call('project.open', { path: '/p' })).toEqual({ ok: true, result: { x: 1 } });
    expect(calls[0]!.url).toBe('/api/project.open');
    expect(calls[0]!.init.method).toBe('POST');
    expect((calls[0]!.init.headers as Record<string, string>).Authorization).toBe('Bearer tok en');
    expect(JSON.parse(String(calls[0]!.init.body))).toEqual({ path: '/p' });
  });

  it('passes {ok:false} envelopes through with their code', async () => {
    const { t, setReply } = setup();
    setReply(() => new Response(JSON.stringify({ ok: false, error: { name: 'ContractError', message: 'locked by pid 7', code: 'PROJECT_LOCKED' } }), { status: 409 }));
    expect(await t.call('project.open', { path: '/p' })).toEqual({ ok: false, error: { name: 'ContractError', message: 'locked by pid 7', code: 'PROJECT_LOCKED' } });
  });

  it('maps a non-JSON 401 to UNAUTHORIZED and a network failure to IO', async () => {
    const { t, setReply } = setup();
    setReply(() => new Response('nope', { status: 401, statusText: 'Unauthorized' }));
    const r = await t.call('app.info', {});
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('UNAUTHORIZED');
    setReply(() => Promise.reject(new TypeError('Failed to fetch')));
    const n = await t.call('app.info', {});
    expect(!n.ok && n.error.code).toBe('IO');
    expect(!n.ok && n.error.message).toContain('Failed to fetch');
  });

  it('thumbnail URLs carry the token in the query (img tags cannot send headers)', () => {
    expect(setup().t.thumbUrl('ab/c')).toBe('/thumb/ab%2Fc?token=tok%20en');
  });
});

describe('web transport events', () => {
  it('connects lazily to /events with the token and dispatches {event, payload}', () => {
    const { t, sockets } = setup();
    expect(sockets).toHaveLength(0);
    const got: unknown[] = [];
    const off = t.on('labels.changed', (p) => got.push(p));
    expect(sockets[0]!.url).toBe('ws://127.0.0.1:9/events?token=tok%20en');
    sockets[0]!.open();
    sockets[0]!.message(JSON.stringify({ event: 'labels.changed', payload: { ids: ['a'], group: 'g' } }));
    sockets[0]!.message(JSON.stringify({ event: 'images.changed', payload: {} }));
    sockets[0]!.message('not json');
    expect(got).toEqual([{ ids: ['a'], group: 'g' }]);
    off();
    sockets[0]!.message(JSON.stringify({ event: 'labels.changed', payload: { ids: ['b'], group: null } }));
    expect(got).toHaveLength(1);
  });

  it('reconnects with growing backoff and reports connection state; a successful open resets it', () => {
    const { t, sockets, timers } = setup();
    const states: string[] = [];
    t.onConnection((s) => states.push(s));
    sockets[0]!.close();
    expect(timers.at(-1)!.ms).toBe(backoffDelay(0));
    timers.at(-1)!.fn();
    sockets[1]!.close();
    expect(timers.at(-1)!.ms).toBe(backoffDelay(1));
    timers.at(-1)!.fn();
    sockets[2]!.open();
    sockets[2]!.close();
    expect(timers.at(-1)!.ms).toBe(backoffDelay(0));
    expect(states).toEqual(['connecting', 'closed', 'connecting', 'closed', 'connecting', 'open', 'closed']);
  });

  it('backoff doubles and is capped', () => {
    expect([0, 1, 2, 3].map(backoffDelay)).toEqual([250, 500, 1000, 2000]);
    expect(backoffDelay(50)).toBe(8000);
  });
});

describe('web transport and the token (issue 14)', () => {
  it('a 401 answer means the server restarted: it says so and stops reconnecting', async () => {
    const { t, sockets, timers, setReply } = setup();
    const states: string[] = [];
    t.onConnection((s) => states.push(s));
    sockets[0]!.open();
    setReply(() => new Response(JSON.stringify({ ok: false, error: { name: 'ContractError', message: 'Missing or wrong token', code: 'UNAUTHORIZED' } }), { status: 401 }));
    const r = await t.call('labels.set', { ids: ['a'], classId: null });
    expect(!r.ok && r.error.message).toMatch(/^The server restarted.*S3GAN_URL/);
    expect(states.at(-1)).toBe('unauthorized');
    expect(sockets[0]!.closed).toBe(true);
    const pending = timers.length;
    timers.at(-1)?.fn();
    expect(sockets).toHaveLength(1); // no new socket: retrying cannot help
    expect(timers.length).toBe(pending);
  });

  it('a closed stream whose server answers 401 turns into "unauthorized" (a WebSocket cannot say why)', async () => {
    const { t, sockets, timers, calls, setReply } = setup();
    const states: string[] = [];
    t.onConnection((s) => states.push(s));
    setReply(() => new Response('{}', { status: 401 }));
    sockets[0]!.close();
    await new Promise((r) => setTimeout(r, 0));
    expect(calls.at(-1)!.url).toBe('/api/app.info');
    expect(states).toEqual(['connecting', 'closed', 'unauthorized']);
    timers.at(-1)!.fn(); // the retry scheduled before the answer does nothing
    expect(sockets).toHaveLength(1);
  });

  it('a server that is down keeps the retry loop going', async () => {
    const { t, sockets, timers, setReply } = setup();
    const states: string[] = [];
    t.onConnection((s) => states.push(s));
    setReply(() => Promise.reject(new TypeError('Failed to fetch')));
    sockets[0]!.close();
    await new Promise((r) => setTimeout(r, 0));
    timers.at(-1)!.fn();
    expect(sockets).toHaveLength(2);
    expect(states).toEqual(['connecting', 'closed', 'connecting']);
  });

  it('an address without a token explains itself and sends nothing', async () => {
    const calls: string[] = [];
    const sockets: string[] = [];
    const t = webTransport({ token: null, host: 'h', fetch: (async (url: string) => calls.push(url)) as unknown as typeof fetch, createSocket: (url) => (sockets.push(url), {}) as never });
    const states: string[] = [];
    t.onConnection((s) => states.push(s));
    const r = await t.call('project.current', {});
    expect(!r.ok && r.error.message).toMatch(/no access token.*S3GAN_URL/);
    expect(states).toEqual(['no-token']);
    expect(calls).toEqual([]);
    expect(sockets).toEqual([]);
  });
});
