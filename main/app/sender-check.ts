// Who may call the IPC handlers: only the main window's top frame showing our own page
// (the packaged file:// index.html, or the dev server's origin during `npm run dev`).
import type { FrameLike } from './ipc-main';

export function isAppUrl(url: string, appUrl: string): boolean {
  let u: URL;
  let app: URL;
  try {
    u = new URL(url);
    app = new URL(appUrl);
  } catch {
    return false;
  }
  // file: URLs have an opaque origin: compare the exact file instead.
  if (app.protocol === 'file:') return u.protocol === 'file:' && u.host === app.host && u.pathname === app.pathname;
  return u.origin === app.origin;
}

export function createSenderCheck(opts: { mainFrame(): FrameLike | null; appUrl: string }): (frame: FrameLike | null) => boolean {
  return (frame) => {
    if (!frame) return false;
    const main = opts.mainFrame();
    return main !== null && frame === main && isAppUrl(frame.url, opts.appUrl);
  };
}
