// Electron main: lifecycle only. The engine runs in a utility process; everything else is wired
// from small modules (window, IPC, protocol, menu, host requests) that are tested with fakes.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, Menu, protocol } from 'electron';
import { EngineClient } from '../engine/jobs/engine-client';
import { utilityForkEngine } from './engine-fork';
import { createHostHandlers } from './host-requests';
import { registerAppIpc } from './ipc-main';
import { appMenuTemplate } from './menu';
import { registerThumbProtocol, thumbScheme } from './protocol';
import { createQuitGuard } from './quit-guard';
import { createSenderCheck } from './sender-check';
import { createMainWindow } from './window';

const here = dirname(fileURLToPath(import.meta.url)); // out/main when built
const preloadPath = join(here, '../preload/index.cjs');
const engineEntry = join(here, 'engine-process.js');
// electron-vite sets ELECTRON_RENDERER_URL for `npm run dev`; otherwise the built page.
const appUrl = process.env.ELECTRON_RENDERER_URL ?? pathToFileURL(join(here, '../renderer/index.html')).href;
const iconPath = join(here, '../../resources/icon.png');
const log = (msg: string) => console.log(`[s3gan] ${msg}`);

protocol.registerSchemesAsPrivileged([thumbScheme]);

if (!app.requestSingleInstanceLock()) {
  // Another instance owns the window (and the project lock): hand over to it.
  app.quit();
} else {
  let win: BrowserWindow | null = null;
  const engine = new EngineClient({
    fork: utilityForkEngine({ entry: engineEntry, recentFile: join(app.getPath('userData'), 'recent-projects.json') }),
    log,
  });

  const openWindow = () => {
    win = createMainWindow({ BrowserWindow, preloadPath, appUrl, ...(existsSync(iconPath) ? { iconPath } : {}), log });
    win.on('closed', () => (win = null));
  };

  app.on('second-instance', () => {
    if (!win) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });

  app.on(
    'before-quit',
    createQuitGuard({
      activeJobs: () => engine.activeJobs(),
      confirmStopJobs: async (count) => {
        const options = {
          type: 'question' as const,
          buttons: ['Stop and quit', 'Keep working'],
          defaultId: 1,
          cancelId: 1,
          message: `${count === 1 ? 'A job is' : `${count} jobs are`} still running.`,
          detail: 'Quitting stops it. Training can be resumed later from its last checkpoint.',
        };
        const r = win ? await dialog.showMessageBox(win, options) : await dialog.showMessageBox(options);
        return r.response === 0;
      },
      closeEngine: () => engine.close(),
      quit: () => app.quit(),
      log,
    }),
  );

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  void app.whenReady().then(() => {
    Menu.setApplicationMenu(Menu.buildFromTemplate(appMenuTemplate(process.platform, app.name)));
    registerThumbProtocol(protocol, () => engine.currentProject);
    registerAppIpc({
      isTrustedSender: createSenderCheck({ mainFrame: () => win?.webContents.mainFrame ?? null, appUrl }),
      engine,
      hostHandlers: createHostHandlers({
        showOpenDialog: (options) => (win ? dialog.showOpenDialog(win, options) : dialog.showOpenDialog(options)),
        version: app.getVersion(),
        engine,
      }),
      target: () => win?.webContents ?? null,
      log,
    });
    openWindow();
    app.on('activate', () => {
      if (!win) openWindow();
    });
  });
}
