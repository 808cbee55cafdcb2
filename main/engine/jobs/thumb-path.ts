// Where the engine keeps a thumbnail inside a project; both hosts (Electron's s3gan:// protocol and
// the web bridge's /thumb route) serve files from here and must agree on the layout and id check.
import { join } from 'node:path';

/** Thumbnail ids are content-hash prefixes; anything else (e.g. "../x") is refused before touching disk. */
export const THUMB_ID = /^[0-9a-f]{8,64}$/;

/** `<project>/thumbs/<id[0..2]>/<id>.webp`, or null for an id that is not a valid thumbnail id. */
export function thumbFile(projectDir: string, id: string): string | null {
  if (!THUMB_ID.test(id)) return null;
  return join(projectDir, 'thumbs', id.slice(0, 2), `${id}.webp`);
}
