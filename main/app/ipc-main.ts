// THE ONLY file importing ipcMain. One `handle` channel per contract request: each checks the sender
// frame, validates params with the contract, routes to the host or the engine, and replies
// `{ok, result | error}`. Engine events go to the window on one channel.
import { ipcMain, type IpcMain, type IpcMainInvokeEvent } from 'electron';
import { ContractError, eventNames, hostRequests, requestNames, toWireError, type Params, type RequestName, type Result } from '../../shared/contract';
import type { EngineApi } from '../engine/jobs/protocol';
import { parseIncoming } from '../engine/jobs/validate';
import { EVENT_CHANNEL, requestChannel, type IpcEvent, type IpcReply } from './channels';

/** The slice of a WebFrameMain the sender check looks at. */
export interface FrameLike {
  readonly url: string;
}

export type HostHandlers = { [K in RequestName]?: (params: Params<K>) => Promise<Result<K>> };

export interface WebContentsLike {
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
}

export interface IpcOptions {
  isTrustedSender(frame: FrameLike | null): boolean;
  engine: EngineApi;
  hostHandlers: HostHandlers;
  /** Where events go (the main window's webContents), or null while there is none. */
  target(): WebContentsLike | null;
  log?: (msg: string) => void;
}

type IpcMainLike = Pick<IpcMain, 'handle' | 'removeHandler'>;
type InvokeEventLike = Pick<IpcMainInvokeEvent, 'senderFrame'> | { senderFrame: FrameLike | null };

async function answer(name: RequestName, raw: unknown, event: InvokeEventLike, opts: IpcOptions): Promise<IpcReply> {
  try {
    if (!opts.isTrustedSender(event.senderFrame)) {
      opts.log?.(`refused ${name} from untrusted frame ${event.senderFrame?.url ?? '(gone)'}`);
      throw new ContractError('UNAUTHORIZED', 'Request from an untrusted frame');
    }
    const { params } = parseIncoming(name, raw);
    const host = opts.hostHandlers[name] as ((p: unknown) => Promise<unknown>) | undefined;
    const result = hostRequests.has(name) && host ? await host(params) : await opts.engine.request(name, params as never);
    return { ok: true, result: result ?? null };
  } catch (e) {
    return { ok: false, error: toWireError(e) };
  }
}

/** Registers every request channel and the event relay; returns a function undoing both. */
export function registerHandlers(ipc: IpcMainLike, opts: IpcOptions): () => void {
  for (const name of requestNames) {
    ipc.handle(requestChannel(name), (event: InvokeEventLike, raw: unknown) => answer(name, raw, event, opts));
  }
  const unsubscribe = eventNames.map((event) =>
    opts.engine.on(event, (payload) => {
      const target = opts.target();
      if (target && !target.isDestroyed()) target.send(EVENT_CHANNEL, { event, payload } satisfies IpcEvent);
    }),
  );
  return () => {
    for (const name of requestNames) ipc.removeHandler(requestChannel(name));
    unsubscribe.forEach((u) => u());
  };
}

/** registerHandlers on Electron's own ipcMain. */
export function registerAppIpc(opts: IpcOptions): () => void {
  return registerHandlers(ipcMain, opts);
}
