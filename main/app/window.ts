// The main window: hardened options, a strict CSP on every response, and no navigation away
// from the app or new windows. Electron objects are parameters so tests can pass fakes.
import type { BrowserWindow, BrowserWindowConstructorOptions, HandlerDetails, OnHeadersReceivedListenerDetails, HeadersReceivedResponse, WindowOpenHandlerResponse } from 'electron';
import { isAppUrl } from './sender-check';

export const APP_CSP = [
  "default-src 'self'",
  "img-src 'self' data: blob: s3gan:",
  "connect-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function mainWindowOptions(preloadPath: string, iconPath?: string): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 840,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'S³GAN Studio',
    ...(iconPath ? { icon: iconPath } : {}),
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  };
}

type HeadersListener = (details: OnHeadersReceivedListenerDetails, callback: (response: HeadersReceivedResponse) => void) => void;
export interface SessionLike {
  webRequest: { onHeadersReceived(listener: HeadersListener | null): void };
}

/** Adds the CSP header to every response the session receives (pages, scripts, the dev server). */
export function installCsp(session: SessionLike, csp = APP_CSP): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    const headers = { ...details.responseHeaders };
    for (const k of Object.keys(headers)) if (k.toLowerCase() === 'content-security-policy') delete headers[k];
    headers['Content-Security-Policy'] = [csp];
    callback({ responseHeaders: headers });
  });
}

export interface NavigationEvent {
  preventDefault(): void;
}
export interface WebContentsNavLike {
  on(event: 'will-navigate' | 'will-redirect', listener: (event: NavigationEvent, url: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: NavigationEvent) => void): unknown;
  setWindowOpenHandler(handler: (details: HandlerDetails) => WindowOpenHandlerResponse): void;
}

/** The app is one page: any navigation elsewhere, webview or window.open is refused. */
export function lockDownNavigation(contents: WebContentsNavLike, appUrl: string, log?: (msg: string) => void): void {
  const guard = (event: NavigationEvent, url: string) => {
    if (isAppUrl(url, appUrl)) return;
    event.preventDefault();
    log?.(`blocked navigation to ${url}`);
  };
  contents.on('will-navigate', guard);
  contents.on('will-redirect', guard);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler((details) => {
    log?.(`blocked window.open(${details.url})`);
    return { action: 'deny' };
  });
}

export type BrowserWindowCtor = new (options: BrowserWindowConstructorOptions) => BrowserWindow;

/** Creates the hardened main window and loads the app page into it. */
export function createMainWindow(deps: { BrowserWindow: BrowserWindowCtor; preloadPath: string; appUrl: string; iconPath?: string; log?: (m: string) => void }): BrowserWindow {
  const win = new deps.BrowserWindow(mainWindowOptions(deps.preloadPath, deps.iconPath));
  installCsp(win.webContents.session);
  lockDownNavigation(win.webContents, deps.appUrl, deps.log);
  win.once('ready-to-show', () => win.show());
  void win.loadURL(deps.appUrl);
  return win;
}
