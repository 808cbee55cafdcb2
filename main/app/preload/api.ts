// The object exposed as `window.s3gan`: one async function per contract request returning
// `{ok, result | error}`, plus `on(event, cb)` returning an unsubscribe. Built from a transport
// so it can be tested without Electron.
import { eventNames, requestNames, type EventName, type RequestName } from '../../../shared/contract';
import { requestChannel, type IpcEvent, type IpcReply } from '../channels';

export interface PreloadTransport {
  invoke(channel: string, params: unknown): Promise<IpcReply>;
  subscribe(cb: (message: IpcEvent) => void): () => void;
}

export type PreloadApi = { [K in RequestName]: (params?: unknown) => Promise<IpcReply> } & {
  on(event: EventName, cb: (payload: unknown) => void): () => void;
};

const knownEvents = new Set<string>(eventNames);

export function buildPreloadApi(transport: PreloadTransport): PreloadApi {
  const api: Record<string, unknown> = {};
  for (const name of requestNames) {
    api[name] = (params?: unknown) => transport.invoke(requestChannel(name), params ?? {});
  }
  api.on = (event: EventName, cb: (payload: unknown) => void) => {
    if (!knownEvents.has(event)) throw new TypeError(`Unknown event "${String(event)}"`);
    if (typeof cb !== 'function') throw new TypeError('on(event, cb) needs a function');
    return transport.subscribe((message) => {
      if (message.event === event) cb(message.payload);
    });
  };
  return Object.freeze(api) as PreloadApi;
}
