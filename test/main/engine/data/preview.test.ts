import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseEvent, requests, type RequestName } from '../../../../shared/contract';
import type { Handler } from '../../../../main/engine/base/handlers';
import { createEngine, type Engine } from '../../../../main/engine/service';
import { makePng, tempDir } from './fixtures';

describe('images.preview', () => {
  let tmp: ReturnType<typeof tempDir>;
  let engine: Engine;
  const call = async <K extends RequestName>(name: K, params: unknown) => {
    const handler = engine.handlers[name] as Handler<K>;
    const parsed = requests[name].params.parse(params ?? {});
    return requests[name].result.parse(await handler(parsed as never, { emit: engine.context.emit })) as Awaited<ReturnType<Handler<K>>>;
  };
  const decode = async (dataUrl: string) => sharp(Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64')).metadata();

  beforeEach(() => {
    tmp = tempDir();
    engine = createEngine({ mode: 'web', watch: false, recentFile: join(tmp.path, 'recent.json'), emit: (e, p) => void parseEvent(e, p) });
  });
  afterEach(async () => {
    await engine.dispose();
    tmp.remove();
  });

  it('serves the source image, not the thumbnail: WebP, longest side 1024, small images not enlarged; unknown or missing files are NOT_FOUND', async () => {
    const images = join(tmp.path, 'images');
    mkdirSync(images);
    writeFileSync(join(images, 'big.png'), await makePng(1, { width: 2000, height: 1500 }));
    writeFileSync(join(images, 'mid.png'), await makePng(2, { width: 600, height: 400 }));
    writeFileSync(join(images, 'tiny.png'), await makePng(3, { width: 28, height: 28 }));
    await call('project.create', { path: join(tmp.path, 'proj') });
    expect((await call('images.import', { folders: [images] })).imported).toBe(3);
    const byName = new Map((await call('images.list', {})).items.map((i) => [i.name, i.id]));

    const big = await call('images.preview', { id: byName.get('big.png')! });
    expect(big).toMatchObject({ width: 1024, height: 768 });
    expect(await decode(big.dataUrl)).toMatchObject({ format: 'webp', width: 1024, height: 768 });
    // bigger than the 256 px thumbnail, at the source's own size when it fits
    expect(await call('images.preview', { id: byName.get('mid.png')! })).toMatchObject({ width: 600, height: 400 });
    const tiny = await call('images.preview', { id: byName.get('tiny.png')! });
    expect(await decode(tiny.dataUrl)).toMatchObject({ format: 'webp', width: 28, height: 28 });

    await expect(call('images.preview', { id: 'no-such-image' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    rmSync(join(images, 'mid.png'));
    await expect(call('images.preview', { id: byName.get('mid.png')! })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await call('project.close', {});
    await expect(call('images.preview', { id: byName.get('big.png')! })).rejects.toMatchObject({ code: 'NO_PROJECT' });
  });
});
