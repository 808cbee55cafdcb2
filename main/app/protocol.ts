// `s3gan://thumb/<id>`: thumbnails of the open project for <img> tags, without exposing file://.
// Ids are validated (hex content hashes) before any path is built.
import { readFile } from 'node:fs/promises';
import type { CustomScheme, Protocol } from 'electron';
import { thumbFile } from '../engine/jobs/thumb-path';

export const THUMB_SCHEME = 's3gan';

/** Must be registered before the app is ready. */
export const thumbScheme: CustomScheme = {
  scheme: THUMB_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true },
};

function plain(status: number, text: string): Response {
  return new Response(text, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
}

export function createThumbHandler(currentProject: () => string | null): (request: Request) => Promise<Response> {
  return async (request) => {
    const url = new URL(request.url);
    if (url.protocol !== `${THUMB_SCHEME}:` || url.host !== 'thumb') return plain(404, 'not found');
    const dir = currentProject();
    if (!dir) return plain(404, 'no project open');
    const file = thumbFile(dir, url.pathname.replace(/^\//, ''));
    if (!file) return plain(400, 'bad thumbnail id');
    try {
      const bytes = await readFile(file);
      return new Response(bytes, { status: 200, headers: { 'Content-Type': 'image/webp', 'Cache-Control': 'private, max-age=86400' } });
    } catch {
      return plain(404, 'no such thumbnail');
    }
  };
}

export function registerThumbProtocol(protocol: Pick<Protocol, 'handle'>, currentProject: () => string | null): void {
  protocol.handle(THUMB_SCHEME, createThumbHandler(currentProject));
}
