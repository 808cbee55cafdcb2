// Requests the Electron host answers itself (contract.hostRequests): the native folder picker and app info.
import type { OpenDialogOptions, OpenDialogReturnValue } from 'electron';
import type { EngineApi } from '../engine/jobs/protocol';
import type { HostHandlers } from './ipc-main';

export interface HostDeps {
  showOpenDialog(options: OpenDialogOptions): Promise<OpenDialogReturnValue>;
  version: string;
  engine: EngineApi;
}

export function createHostHandlers(deps: HostDeps): HostHandlers {
  return {
    'dialog.pickFolder': async ({ title }) => {
      const r = await deps.showOpenDialog({ title: title ?? 'Choose a folder', properties: ['openDirectory', 'createDirectory'] });
      return { path: r.canceled ? null : (r.filePaths[0] ?? null) };
    },
    'app.info': async () => {
      // The backend is the engine's to report; the app still answers if the engine cannot.
      const backend = await deps.engine.request('app.info', {}).then(
        (info) => info.backend ?? null,
        () => null,
      );
      return { version: deps.version, mode: 'electron', backend };
    },
  };
}
