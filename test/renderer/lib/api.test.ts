import { describe, expect, it } from 'vitest';
import { ApiError, createClient } from '../../../renderer/src/lib/api';
import { electronTransport } from '../../../renderer/src/lib/transport/electron';
import type { Envelope, Transport } from '../../../renderer/src/lib/transport/types';

function fakeTransport(answer: (name: string, params: unknown) => Envelope): Transport & { seen: Array<[string, unknown]> } {
  const seen: Array<[string, unknown]> = [];
  return {
    mode: 'web',
    seen,
    call: async (name, params) => {
      seen.push([name, params]);
      return answer(name, params);
    },
    on: () => () => {},
    onConnection: () => () => {},
    thumbUrl: (id) => `/thumb/${id}`,
  };
}

describe('api client', () => {
  it('returns the result of {ok:true}', async () => {
    const t = fakeTransport(() => ({ ok: true, result: { version: '1', mode: 'web', backend: null } }));
    const client = createClient(t);
    expect(await client.request('app.info', {})).toEqual({ version: '1', mode: 'web', backend: null });
    expect(t.seen).toEqual([['app.info', {}]]);
  });

  it('throws an ApiError carrying the wire code on {ok:false}', async () => {
    const client = createClient(fakeTransport(() => ({ ok: false, error: { name: 'ContractError', message: 'No project is open', code: 'NO_PROJECT' } })));
    const err = await client.request('images.list', {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('NO_PROJECT');
    expect((err as ApiError).message).toBe('No project is open');
    expect((err as ApiError).request).toBe('images.list');
  });

  it('refuses a request the contract rejects before sending it (a relative path: nothing reaches the server)', async () => {
    const t = fakeTransport(() => ({ ok: true, result: null }));
    const err = await createClient(t).request('project.create', { path: 'relative/proj' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('INVALID_PAYLOAD');
    expect((err as ApiError).message).toMatch(/"path" must be an absolute path/);
    expect(t.seen).toEqual([]);
  });

  it('per-verb proxies call the same request path', async () => {
    const t = fakeTransport(() => ({ ok: true, result: { version: '2', mode: 'web', backend: null } }));
    const r = await createClient(t).verbs['app.info']({});
    expect(r).toEqual({ version: '2', mode: 'web', backend: null });
    expect(t.seen).toEqual([['app.info', {}]]);
  });

  it('validates responses on arrival: a wrong shape is an INTERNAL ApiError naming the field, not a silent bad value', async () => {
    const client = createClient(fakeTransport(() => ({ ok: true, result: { version: 2, mode: 'web', backend: null } })));
    const err = await client.request('app.info', {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('INTERNAL');
    expect((err as ApiError).message).toMatch(/unexpected shape.*version/);
  });

  it('validates events on arrival: a malformed payload never reaches the listener', () => {
    let emit: (p: unknown) => void = () => {};
    const t = { ...fakeTransport(() => ({ ok: true, result: null })), on: (_e: string, cb: (p: unknown) => void) => ((emit = cb), () => {}) };
    const got: unknown[] = [];
    createClient(t).on('train.metrics', (p) => got.push(p));
    const warn = console.warn;
    console.warn = () => {};
    try {
      emit({ run: 'r1', row: { step: 'one' } });
    } finally {
      console.warn = warn;
    }
    emit({ run: 'r1', row: { step: 1, d_loss: 0.5 } });
    expect(got).toEqual([{ run: 'r1', row: { step: 1, d_loss: 0.5 } }]);
  });

  it('resolves a lazy transport only on first use', async () => {
    let made = 0;
    const client = createClient(() => {
      made++;
      return fakeTransport(() => ({ ok: true, result: null }));
    });
    expect(made).toBe(0);
    await client.request('project.current', {});
    await client.request('project.current', {});
    expect(made).toBe(1);
    expect(client.mode).toBe('web');
  });
});

describe('electron transport', () => {
  it('calls the preload verb and uses s3gan:// thumbnails', async () => {
    const calls: unknown[] = [];
    const preload = {
      'app.info': async (p: unknown) => {
        calls.push(p);
        return { ok: true, result: { version: '1', mode: 'electron', backend: null } };
      },
      on: () => () => {},
    };
    const client = createClient(electronTransport(preload));
    expect(await client.request('app.info', {})).toEqual({ version: '1', mode: 'electron', backend: null });
    expect(calls).toEqual([{}]);
    expect(client.thumbUrl('abc')).toBe('s3gan://thumb/abc');
    expect(client.mode).toBe('electron');
  });

  it('a verb the preload lacks becomes UNKNOWN_REQUEST, not a TypeError', async () => {
    const client = createClient(electronTransport({ on: () => () => {} }));
    const err = await client.request('labels.undo', {}).catch((e: unknown) => e);
    expect((err as ApiError).code).toBe('UNKNOWN_REQUEST');
  });
});
