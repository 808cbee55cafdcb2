import { describe, expect, it } from 'vitest';
import { detectParentPort } from '../../../../main/engine/jobs/parent-port';

describe('detectParentPort', () => {
  it('uses Electron’s process.parentPort and unwraps {data} message events', () => {
    const posted: unknown[] = [];
    let listener: ((e: { data: unknown }) => void) | null = null;
    const port = detectParentPort({
      parentPort: { postMessage: (m) => posted.push(m), on: (_e, cb) => (listener = cb) },
      send: () => { throw new Error('must not use process.send under Electron'); },
      on: () => undefined,
    });
    const got: unknown[] = [];
    port.onMessage((m) => got.push(m));
    listener!({ data: { type: 'request', id: 1 } });
    port.send({ type: 'ready', pid: 1 });
    expect(got).toEqual([{ type: 'request', id: 1 }]);
    expect(posted).toEqual([{ type: 'ready', pid: 1 }]);
  });

  it('falls back to Node fork IPC and stops sending once disconnected', () => {
    const sent: unknown[] = [];
    const proc = { connected: true, send: (m: unknown) => sent.push(m) > 0, on: (_e: 'message', cb: (m: unknown) => void) => cb({ type: 'shutdown' }) };
    const port = detectParentPort(proc);
    const got: unknown[] = [];
    port.onMessage((m) => got.push(m));
    port.send({ type: 'ready', pid: 2 });
    proc.connected = false;
    port.send({ type: 'ready', pid: 3 });
    expect(got).toEqual([{ type: 'shutdown' }]);
    expect(sent).toEqual([{ type: 'ready', pid: 2 }]);
  });

  it('refuses to run without a parent', () => {
    expect(() => detectParentPort({ on: () => undefined })).toThrow(/started by a host/);
  });
});
