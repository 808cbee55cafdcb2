import { describe, expect, it } from 'vitest';
import { requestNames } from '../../../shared/contract';
import { requestChannel, type IpcEvent, type IpcReply } from '../../../main/app/channels';
import { buildPreloadApi, type PreloadTransport } from '../../../main/app/preload/api';

function fakeTransport() {
  const invoked: Array<{ channel: string; params: unknown }> = [];
  const subscribers = new Set<(m: IpcEvent) => void>();
  const transport: PreloadTransport = {
    invoke: async (channel, params) => {
      invoked.push({ channel, params });
      return { ok: true, result: channel } satisfies IpcReply;
    },
    subscribe: (cb) => {
      subscribers.add(cb);
      return () => subscribers.delete(cb);
    },
  };
  const push = (m: IpcEvent) => subscribers.forEach((cb) => cb(m));
  return { transport, invoked, subscribers, push };
}

describe('preload API (window.s3gan)', () => {
  it('has one function per contract request plus on, and nothing else', () => {
    const api = buildPreloadApi(fakeTransport().transport);
    expect(Object.keys(api).sort()).toEqual([...requestNames, 'on'].sort());
    for (const name of requestNames) expect(typeof api[name]).toBe('function');
    expect(Object.isFrozen(api)).toBe(true);
  });

  it('invokes the request channel with the params (undefined → {}) and returns the reply envelope', async () => {
    const { transport, invoked } = fakeTransport();
    const api = buildPreloadApi(transport);
    expect(await api['project.open']({ path: '/p' })).toEqual({ ok: true, result: requestChannel('project.open') });
    await api['project.current']();
    expect(invoked).toEqual([
      { channel: requestChannel('project.open'), params: { path: '/p' } },
      { channel: requestChannel('project.current'), params: {} },
    ]);
  });

  it('on(event) delivers only that event’s payload and returns a working unsubscribe', () => {
    const { transport, push, subscribers } = fakeTransport();
    const api = buildPreloadApi(transport);
    const got: unknown[] = [];
    const off = api.on('job.progress', (p) => got.push(p));
    push({ event: 'labels.changed', payload: { ids: [], group: null } });
    push({ event: 'job.progress', payload: { done: 1 } });
    expect(got).toEqual([{ done: 1 }]);
    off();
    expect(subscribers.size).toBe(0);
    push({ event: 'job.progress', payload: { done: 2 } });
    expect(got).toHaveLength(1);
  });

  it('refuses unknown events and non-function callbacks', () => {
    const api = buildPreloadApi(fakeTransport().transport);
    expect(() => api.on('nope' as never, () => {})).toThrow(/Unknown event/);
    expect(() => api.on('job.progress', 'x' as never)).toThrow(/function/);
  });
});
