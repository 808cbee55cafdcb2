import { describe, expect, it, vi } from 'vitest';
import { requestNames, type EventName } from '../../../shared/contract';
import { EVENT_CHANNEL, requestChannel, type IpcReply } from '../../../main/app/channels';
import { registerHandlers, type FrameLike, type IpcOptions } from '../../../main/app/ipc-main';
import { createSenderCheck } from '../../../main/app/sender-check';
import { fakeEngine } from '../bridge/fake-engine';
import { malformedCases } from '../bridge/malformed-cases';

// The real module imports Electron's ipcMain; tests hand registerHandlers a fake instead.
vi.mock('electron', () => ({ ipcMain: {} }));

type Listener = (event: { senderFrame: FrameLike | null }, ...args: unknown[]) => Promise<IpcReply>;

function fakeIpcMain() {
  const handlers = new Map<string, Listener>();
  return {
    handlers,
    handle: (channel: string, listener: Listener) => {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      handlers.set(channel, listener);
    },
    removeHandler: (channel: string) => handlers.delete(channel),
  };
}

const APP_URL = 'file:///opt/s3gan/resources/app/out/renderer/index.html';
const mainFrame: FrameLike = { url: APP_URL };

function setup(overrides: Partial<IpcOptions> = {}) {
  const ipc = fakeIpcMain();
  const engine = fakeEngine({
    'fs.list': (p) => ({ path: (p as { path?: string }).path ?? '/', parent: null, entries: [] }),
  });
  const sent: Array<{ channel: string; message: unknown }> = [];
  const hostCalls: unknown[] = [];
  const unregister = registerHandlers(ipc as never, {
    isTrustedSender: createSenderCheck({ mainFrame: () => mainFrame, appUrl: APP_URL }),
    engine,
    hostHandlers: {
      'dialog.pickFolder': async (params) => {
        hostCalls.push(params);
        return { path: '/picked' };
      },
    },
    target: () => ({ send: (channel, message) => sent.push({ channel, message }), isDestroyed: () => false }),
    ...overrides,
  });
  const invoke = (name: string, params: unknown, frame: FrameLike | null = mainFrame) =>
    ipc.handlers.get(requestChannel(name as never))!({ senderFrame: frame }, params);
  return { ipc, engine, sent, hostCalls, unregister, invoke };
}

describe('IPC handlers (fake ipcMain)', () => {
  it('registers exactly one channel per contract request', () => {
    const { ipc, unregister } = setup();
    expect([...ipc.handlers.keys()].sort()).toEqual(requestNames.map(requestChannel).sort());
    unregister();
    expect(ipc.handlers.size).toBe(0);
  });

  it('routes engine requests to the engine and host requests to the host', async () => {
    const { invoke, engine, hostCalls } = setup();
    expect(await invoke('fs.list', { path: '/data' })).toEqual({ ok: true, result: { path: '/data', parent: null, entries: [] } });
    expect(await invoke('dialog.pickFolder', { title: 'Pick' })).toEqual({ ok: true, result: { path: '/picked' } });
    expect(engine.calls.map((c) => c.name)).toEqual(['fs.list']);
    expect(hostCalls).toEqual([{ title: 'Pick' }]);
  });

  it('turns engine failures into {ok:false,error} instead of throwing across IPC', async () => {
    const { invoke } = setup();
    const reply = await invoke('images.list', {});
    expect(reply.ok).toBe(false);
    expect(reply.ok === false && reply.error).toMatchObject({ code: 'INTERNAL', message: expect.stringContaining('images.list') });
  });

  it('rejects requests from an untrusted frame (other frame, foreign URL, or gone) without calling anything', async () => {
    const { invoke, engine } = setup();
    const frames: Array<FrameLike | null> = [null, { url: APP_URL }, { url: 'https://evil.example/' }];
    for (const frame of frames) {
      const reply = await invoke('fs.list', {}, frame);
      expect(reply).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    }
    // The main frame itself, once navigated elsewhere, is no longer trusted either.
    const moved = { url: 'https://evil.example/' };
    const s = setup({ isTrustedSender: createSenderCheck({ mainFrame: () => moved, appUrl: APP_URL }) });
    expect(await s.invoke('fs.list', {}, moved)).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    expect(engine.calls).toEqual([]);
    expect(s.engine.calls).toEqual([]);
  });

  it('forwards every engine event to the window on one channel', () => {
    const { engine, sent } = setup();
    engine.emit('project.changed', { path: '/p' });
    engine.emit('labels.changed', { ids: ['a'], group: null });
    expect(sent).toEqual([
      { channel: EVENT_CHANNEL, message: { event: 'project.changed', payload: { path: '/p' } } },
      { channel: EVENT_CHANNEL, message: { event: 'labels.changed' as EventName, payload: { ids: ['a'], group: null } } },
    ]);
  });

  it('drops events while there is no live window', () => {
    const { engine } = setup({ target: () => ({ send: () => { throw new Error('sent to a destroyed window'); }, isDestroyed: () => true }) });
    expect(() => engine.emit('project.changed', { path: null })).not.toThrow();
  });
});

describe('IPC rejects malformed params for every request before the engine or host sees them', () => {
  const { invoke, engine, hostCalls } = setup();
  it.each(malformedCases().map((c) => [`${c.name} with ${c.label}`, c] as const))('%s', async (_title, c) => {
    const reply = await invoke(c.name, c.params);
    expect(reply.ok).toBe(false);
    if (reply.ok) return;
    expect(reply.error.code).toBe('INVALID_PAYLOAD');
    if (c.mentions) expect(reply.error.message).toContain(c.mentions);
    expect(engine.calls).toEqual([]);
    expect(hostCalls).toEqual([]);
  });
});
