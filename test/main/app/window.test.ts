import { describe, expect, it } from 'vitest';
import {
  APP_CSP, createMainWindow, installCsp, lockDownNavigation, mainWindowOptions, type SessionLike, type WebContentsNavLike,
} from '../../../main/app/window';

type BrowserWindowConstructorOptions = ReturnType<typeof mainWindowOptions>;

const APP_URL = 'file:///opt/app/out/renderer/index.html';

function fakeContents() {
  const listeners = new Map<string, (...a: unknown[]) => void>();
  let openHandler: ((d: { url: string }) => { action: string }) | null = null;
  const contents = {
    on: (event: string, l: (...a: unknown[]) => void) => listeners.set(event, l),
    setWindowOpenHandler: (h: typeof openHandler) => (openHandler = h),
  };
  const navigate = (event: string, url: string) => {
    let prevented = false;
    listeners.get(event)!({ preventDefault: () => (prevented = true) }, url);
    return prevented;
  };
  return { contents, listeners, navigate, open: (url: string) => openHandler!({ url }) };
}

function fakeSession() {
  let listener: Parameters<SessionLike['webRequest']['onHeadersReceived']>[0] = null;
  const session: SessionLike = { webRequest: { onHeadersReceived: (l) => (listener = l) } };
  const respond = (responseHeaders: Record<string, string[]>) =>
    new Promise<Record<string, string[] | string> | undefined>((resolve) =>
      listener!({ responseHeaders } as never, (r) => resolve(r.responseHeaders)),
    );
  return { session, respond };
}

describe('main window', () => {
  it('is created with contextIsolation and sandbox on, nodeIntegration off, and our preload', () => {
    const prefs = mainWindowOptions('/app/preload/index.cjs').webPreferences!;
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.webviewTag).toBe(false);
    expect(prefs.preload).toBe('/app/preload/index.cjs');
  });

  it('sets a strict CSP on every response, replacing any the server sent', async () => {
    const { session, respond } = fakeSession();
    installCsp(session);
    const headers = await respond({ 'content-security-policy': ["default-src *"], 'Content-Type': ['text/html'] });
    expect(headers!['Content-Security-Policy']).toEqual([APP_CSP]);
    expect(headers!['content-security-policy']).toBeUndefined();
    expect(headers!['Content-Type']).toEqual(['text/html']);
    expect(APP_CSP).toContain("default-src 'self'");
    expect(APP_CSP).toContain("script-src 'self'");
    expect(APP_CSP).toContain("img-src 'self' data: blob: s3gan:");
    expect(APP_CSP).toContain("connect-src 'self'");
    expect(APP_CSP).not.toContain('unsafe-eval');
  });

  it('blocks navigation away from the app, webviews and window.open', () => {
    const { contents, navigate, open, listeners } = fakeContents();
    lockDownNavigation(contents as unknown as WebContentsNavLike, APP_URL);
    expect(navigate('will-navigate', 'https://evil.example/')).toBe(true);
    expect(navigate('will-redirect', 'file:///etc/passwd')).toBe(true);
    expect(navigate('will-navigate', `${APP_URL}#/labels`)).toBe(false);
    expect(open('https://example.com/')).toEqual({ action: 'deny' });
    let prevented = false;
    listeners.get('will-attach-webview')!({ preventDefault: () => (prevented = true) });
    expect(prevented).toBe(true);
  });

  it('createMainWindow wires options, CSP and navigation guards onto a BrowserWindow', () => {
    const { contents, navigate } = fakeContents();
    const { session } = fakeSession();
    let cspInstalled = false;
    const loaded: string[] = [];
    let options: BrowserWindowConstructorOptions | null = null;
    class FakeWindow {
      webContents = { ...contents, session: { webRequest: { onHeadersReceived: (l: unknown) => { cspInstalled = l !== null; session.webRequest.onHeadersReceived(l as never); } } } };
      constructor(o: BrowserWindowConstructorOptions) {
        options = o;
      }
      once() {}
      show() {}
      async loadURL(url: string) {
        loaded.push(url);
      }
    }
    createMainWindow({ BrowserWindow: FakeWindow as never, preloadPath: '/p.cjs', appUrl: APP_URL });
    expect(options!.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false });
    expect(cspInstalled).toBe(true);
    expect(loaded).toEqual([APP_URL]);
    expect(navigate('will-navigate', 'https://evil.example/')).toBe(true);
  });
});
