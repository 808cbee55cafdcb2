// Where thumbnails live. The web bridge and the Electron protocol handler read this exact path.
import { join } from 'node:path';

export const THUMB_MAX_SIDE = 256;

export function thumbPath(projectDir: string, id: string): string {
  return join(projectDir, 'thumbs', id.slice(0, 2), `${id}.webp`);
}
