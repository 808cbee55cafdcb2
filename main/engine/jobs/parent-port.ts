// The engine child's channel to its parent: Electron's utilityProcess gives `process.parentPort`
// (messages arrive wrapped as `{data}`), Node's fork gives `process.send` / 'message'.
import type { ChildMessage, ParentPort } from './protocol';

interface ElectronParentPort {
  postMessage(msg: unknown): void;
  on(event: 'message', cb: (e: { data: unknown }) => void): void;
}

export interface ProcessLike {
  parentPort?: ElectronParentPort;
  send?: (msg: unknown) => boolean;
  connected?: boolean;
  on(event: 'message', cb: (msg: unknown) => void): unknown;
}

export function detectParentPort(proc: ProcessLike = process as unknown as ProcessLike): ParentPort {
  const electronPort = proc.parentPort;
  if (electronPort) {
    return { send: (m) => electronPort.postMessage(m), onMessage: (cb) => electronPort.on('message', (e) => cb(e.data)) };
  }
  if (proc.send) {
    const send = proc.send.bind(proc);
    return {
      // A message to a parent that is already gone must not crash the shutdown path.
      send: (m: ChildMessage) => {
        if (proc.connected) send(m);
      },
      onMessage: (cb) => proc.on('message', cb),
    };
  }
  throw new Error('engine-process must be started by a host (utilityProcess.fork or child_process.fork)');
}
