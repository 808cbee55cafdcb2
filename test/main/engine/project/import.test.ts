import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createJobContext } from '../../../../main/engine/base/job-context';
import { thumbPath } from '../../../../main/engine/data/thumbs';
import { Project } from '../../../../main/engine/project/project';
import { projectStatus } from '../../../../main/engine/project/status';
import { makePng, tempDir, writeImages, writeTruncatedPng } from '../data/fixtures';

describe('import', () => {
  let tmp: ReturnType<typeof tempDir>;
  let project: Project;
  let images: string;
  beforeEach(async () => {
    tmp = tempDir();
    images = join(tmp.path, 'images');
    await writeImages(join(images, 'nested'), 40);
    await writeTruncatedPng(join(images, 'broken.png'));
    writeFileSync(join(images, 'readme.txt'), 'not an image');
    writeFileSync(join(images, 'zero.png'), '');
    writeFileSync(join(images, '.DS_Store'), 'junk');
    writeFileSync(join(images, 'download.png.crdownload'), 'partial');
    writeFileSync(join(images, 'save.tmp'), 'partial');
    project = await Project.create(join(tmp.path, 'proj'));
  });
  afterEach(async () => {
    await project.close();
    tmp.remove();
  });

  it('imports 40 good images, lists the bad ones with reasons, and re-import adds nothing', async () => {
    const report = await project.importFolders([images]);
    expect(report.imported).toBe(40);
    expect(report.scanned).toBe(43); // hidden and temp files are not even scanned
    const reasons = Object.fromEntries(report.failed.map((f) => [f.path.slice(images.length + 1), f.reason]));
    expect(Object.keys(reasons).sort()).toEqual(['broken.png', 'readme.txt', 'zero.png']);
    expect(reasons['broken.png']).toMatch(/corrupt or truncated/);
    expect(reasons['readme.txt']).toMatch(/not an image/);
    expect(reasons['zero.png']).toMatch(/empty/);

    const again = await project.importFolders([images]);
    expect(again).toMatchObject({ imported: 0, duplicates: 40, relinked: 0 });
    const status = projectStatus(project);
    expect(status).toMatchObject({ images: 40, labeled: 0, missing: 0, folders: [images] });

    const first = project.index.list()[0]!;
    expect(first.id).toMatch(/^[0-9a-f]{32}$/);
    expect(first).toMatchObject({ rel: 'nested/img-000.png', width: 16, height: 12, status: 'ok', order: 0 });
    const thumb = await sharp(thumbPath(project.dir, first.id)).metadata();
    expect([thumb.format, thumb.width, thumb.height]).toEqual(['webp', 16, 12]);
  });

  it('index survives reopen; a moved file is re-linked, not duplicated', async () => {
    await project.importFolders([images]);
    await project.close();
    const moved = join(images, 'nested', 'img-003.png');
    const target = join(images, 'renamed.png');
    renameSync(moved, target);
    project = await Project.open(join(tmp.path, 'proj'));
    expect(project.index.size).toBe(40);
    const report = await project.importFolders([images]);
    expect(report).toMatchObject({ imported: 0, relinked: 1, duplicates: 39 });
    const id = project.index.idForSource(target)!;
    expect(project.index.get(id)).toMatchObject({ rel: 'renamed.png', status: 'ok', order: 3 });
    expect(project.index.idForSource(moved)).toBeUndefined();
  });

  it('thumbnails keep aspect within 256 px; over-limit images are refused; cancel stops between files', async () => {
    const big = join(tmp.path, 'big');
    await writeImages(big, 0);
    await sharp({ create: { width: 600, height: 300, channels: 3, background: '#336699' } }).png().toFile(join(big, 'wide.png'));
    writeFileSync(join(big, 'other.png'), await makePng(7, { width: 50, height: 50 }));
    const report = await project.importFolders([big], undefined, { maxPixels: 100_000 });
    expect(report.imported).toBe(1);
    expect(report.failed).toEqual([{ path: join(big, 'wide.png'), reason: expect.stringMatching(/too large/) }]);
    const small = project.index.idForSource(join(big, 'other.png'))!;
    expect(existsSync(thumbPath(project.dir, small))).toBe(true);

    const fresh = await project.importFolders([big]);
    const wideId = project.index.idForSource(join(big, 'wide.png'))!;
    expect(fresh.imported).toBe(1);
    const meta = await sharp(thumbPath(project.dir, wideId)).metadata();
    expect([meta.width, meta.height]).toEqual([256, 128]);

    const job = createJobContext('import', () => undefined);
    job.controller.abort();
    const cancelled = await project.importFolders([images], job);
    expect(cancelled).toMatchObject({ cancelled: true, scanned: 0, imported: 0 });
  });

  it('rejects a folder that does not exist', async () => {
    await expect(project.importFolders([join(tmp.path, 'nope')])).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
