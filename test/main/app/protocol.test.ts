import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createThumbHandler, thumbScheme } from '../../../main/app/protocol';

const project = mkdtempSync(join(tmpdir(), 's3gan-proto-'));
const ID = '0123456789abcdef';
mkdirSync(join(project, 'thumbs', '01'), { recursive: true });
writeFileSync(join(project, 'thumbs', '01', `${ID}.webp`), 'WEBPDATA');
afterAll(() => rmSync(project, { recursive: true, force: true }));

describe('s3gan://thumb protocol', () => {
  it('is registered as a secure standard scheme that fetch can use', () => {
    expect(thumbScheme).toMatchObject({ scheme: 's3gan', privileges: { standard: true, secure: true, supportFetchAPI: true } });
  });

  it('serves <project>/thumbs/<id[0..2]>/<id>.webp of the current project', async () => {
    const res = await createThumbHandler(() => project)(new Request(`s3gan://thumb/${ID}`));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/webp');
    expect(await res.text()).toBe('WEBPDATA');
  });

  it('refuses bad ids, other hosts, missing files and the no-project state', async () => {
    const handler = createThumbHandler(() => project);
    expect((await handler(new Request('s3gan://thumb/..%2F..%2Fetc%2Fpasswd'))).status).toBe(400);
    expect((await handler(new Request('s3gan://thumb/ABCDEF0123456789'))).status).toBe(400);
    expect((await handler(new Request(`s3gan://other/${ID}`))).status).toBe(404);
    expect((await handler(new Request('s3gan://thumb/ffffffffffffffff'))).status).toBe(404);
    expect((await createThumbHandler(() => null)(new Request(`s3gan://thumb/${ID}`))).status).toBe(404);
  });
});
