// Preload (sandboxed, bundled as one CommonJS file): exposes `window.s3gan` and nothing else.
import { contextBridge } from 'electron';
import { buildPreloadApi } from './api';
import { ipcTransport } from './ipc-renderer';

contextBridge.exposeInMainWorld('s3gan', buildPreloadApi(ipcTransport));
