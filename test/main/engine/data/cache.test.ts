import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cacheFiles, trainingPixels } from '../../../../main/engine/data/cache';
import { addClass } from '../../../../main/engine/project/classes';
import { Project } from '../../../../main/engine/project/project';
import { tempDir, writeImages } from './fixtures';

describe('training cache and loadDataset', () => {
  let tmp: ReturnType<typeof tempDir>;
  let project: Project;
  beforeEach(async () => {
    tmp = tempDir();
    project = await Project.create(join(tmp.path, 'proj'));
  });
  afterEach(async () => {
    await project.close();
    tmp.remove();
  });

  it('centre-crops to a square and area-resizes', async () => {
    // 30x10: left third red, middle third green, right third blue → the crop is the green square.
    const w = 30;
    const h = 10;
    const px = Buffer.alloc(w * h * 3);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) px[(y * w + x) * 3 + Math.floor(x / 10)] = 255;
    const file = join(tmp.path, 'stripes.png');
    await sharp(px, { raw: { width: w, height: h, channels: 3 } }).png().toFile(file);
    const out = await trainingPixels(file, 5, 3);
    expect(out.length).toBe(5 * 5 * 3);
    for (let i = 0; i < 25; i++) expect([out[i * 3], out[i * 3 + 1], out[i * 3 + 2]]).toEqual([0, 255, 0]);
    const gray = await trainingPixels(file, 5, 1);
    expect(gray.length).toBe(25);
  });

  it('gray projects get 1 channel, a colour image switches to RGB; excluded/missing left out; labels mapped', async () => {
    const images = join(tmp.path, 'images');
    await writeImages(images, 4, { gray: true });
    await project.importFolders([images]);
    expect(project.index.list().every((i) => i.isGray)).toBe(true);
    const ids = project.index.list().map((i) => i.id);
    const a = (await addClass(project, 'a')).id;
    const b = (await addClass(project, 'b')).id;
    await project.setLabels([ids[1]!], b, 'hand');
    await project.setLabels([ids[2]!], a, 'cluster');
    await project.exclude([ids[0]!], true);

    const ds = await project.loadDataset({ resolution: 8 });
    expect([ds.n, ds.height, ds.width, ds.channels]).toEqual([3, 8, 8, 1]);
    expect(ds.ids).toEqual(ids.slice(1));
    expect([...ds.handLabels]).toEqual([1, 0, -1]);
    expect(ds.pixels.length).toBe(3 * 8 * 8);
    expect(ds.classes.map((c) => c.name)).toEqual(['a', 'b']);
    const files = cacheFiles(project.dir, 8, 1);
    expect(JSON.parse(readFileSync(files.meta, 'utf8')).ids).toHaveLength(4); // excluded stays cached
    const mtime = statSync(files.data).mtimeMs;

    // Nothing changed: the cache is reused, not rewritten.
    await project.loadDataset({ resolution: 8 });
    expect(statSync(files.data).mtimeMs).toBe(mtime);

    // A colour image arrives: auto channels become RGB; a forced setting wins.
    await writeImages(join(images, 'colour'), 1, { start: 9 });
    await project.importFolders([images]);
    expect((await project.loadDataset({ resolution: 8 })).channels).toBe(3);
    await project.updateSettings({ channels: '1' });
    const forced = await project.loadDataset({ resolution: 8 });
    expect([forced.channels, forced.n]).toEqual([1, 4]);

    // Missing images are left out even though their rows are cached.
    await project.index.update(ids[3]!, { status: 'missing' });
    expect((await project.loadDataset({ resolution: 8 })).ids).not.toContain(ids[3]);
    expect(existsSync(cacheFiles(project.dir, 8, 3).data)).toBe(true);
  });

  it('a damaged cache file is rebuilt', async () => {
    const images = join(tmp.path, 'images');
    await writeImages(images, 2);
    await project.importFolders([images]);
    const first = await project.loadDataset({ resolution: 4 });
    writeFileSync(cacheFiles(project.dir, 4, 3).data, Buffer.alloc(5));
    const again = await project.loadDataset({ resolution: 4 });
    expect([...again.pixels]).toEqual([...first.pixels]);
  });
});
