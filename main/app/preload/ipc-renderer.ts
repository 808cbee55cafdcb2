// THE ONLY file importing ipcRenderer. It never leaves this module: the preload exposes verbs,
// and listeners receive the payload only (never the IpcRendererEvent, whose `sender` is ipcRenderer).
import { ipcRenderer } from 'electron';
import { EVENT_CHANNEL, type IpcEvent, type IpcReply } from '../channels';
import type { PreloadTransport } from './api';

export const ipcTransport: PreloadTransport = {
  invoke: (channel, params) => ipcRenderer.invoke(channel, params) as Promise<IpcReply>,
  subscribe(cb) {
    const listener = (_event: unknown, message: IpcEvent) => cb(message);
    ipcRenderer.on(EVENT_CHANNEL, listener);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, listener);
    };
  },
};
