import { copyFileSync, mkdirSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProjectWatcher, type ImagesChange } from '../../../../main/engine/project/watch';
import { Project } from '../../../../main/engine/project/project';
import { makePng, tempDir, writeImages } from '../data/fixtures';

/** Resolves with the next change whose counts satisfy `test`, accumulating events in between. */
function nextChange(events: ImagesChange[], test: (c: ImagesChange) => boolean, timeoutMs = 40_000): Promise<ImagesChange> {
  const start = events.length;
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + timeoutMs;
    const poll = () => {
      const sum = events.slice(start).reduce((s, c) => ({ added: s.added + c.added, missing: s.missing + c.missing, relinked: s.relinked + c.relinked }), { added: 0, missing: 0, relinked: 0 });
      if (test(sum)) resolve(sum);
      else if (Date.now() > deadline) reject(new Error(`no matching images.changed; saw ${JSON.stringify(events.slice(start))}`));
      else setTimeout(poll, 50);
    };
    poll();
  });
}

describe('folder watcher', () => {
  let tmp: ReturnType<typeof tempDir>;
  let project: Project;
  let watcher: ProjectWatcher;
  let images: string;
  const events: ImagesChange[] = [];
  beforeEach(async () => {
    tmp = tempDir();
    images = join(tmp.path, 'images');
    await writeImages(images, 3);
    project = await Project.create(join(tmp.path, 'proj'));
    await project.importFolders([images]);
    events.length = 0;
    watcher = new ProjectWatcher(project, { onChange: (c) => events.push(c), stabilityMs: 150 });
    await watcher.start();
    await watcher.whenIdle();
  });
  afterEach(async () => {
    await watcher.stop();
    await project.close();
    tmp.remove();
  });

  it('imports a copied-in file, marks a deleted one missing, re-links a moved one; ignores temp files', async () => {
    const extra = join(tmp.path, 'extra.png');
    writeFileSync(extra, await makePng(99));
    mkdirSync(join(images, 'sub'));
    copyFileSync(extra, join(images, 'sub', 'new.png'));
    writeFileSync(join(images, 'junk.tmp'), 'partial');
    expect(await nextChange(events, (c) => c.added >= 1)).toMatchObject({ added: 1, missing: 0 });
    const newId = project.index.idForSource(join(images, 'sub', 'new.png'));
    expect(newId && project.index.get(newId)?.rel).toBe('sub/new.png');
    expect(project.index.size).toBe(4);

    const gone = join(images, 'img-000.png');
    const goneId = project.index.idForSource(gone)!;
    unlinkSync(gone);
    await nextChange(events, (c) => c.missing >= 1);
    expect(project.index.get(goneId)?.status).toBe('missing');

    const from = join(images, 'img-001.png');
    const movedId = project.index.idForSource(from)!;
    renameSync(from, join(images, 'sub', 'moved.png'));
    await nextChange(events, (c) => c.relinked >= 1);
    await watcher.whenIdle();
    expect(project.index.get(movedId)).toMatchObject({ status: 'ok', rel: 'sub/moved.png' });
    expect(project.index.size).toBe(4); // moved, not duplicated
  }, 120_000); // filesystem events under a fully loaded 2-core machine took over 15 s once

  it('on start, catches files added and removed while the project was closed', async () => {
    await watcher.stop();
    writeFileSync(join(images, 'while-closed.png'), await makePng(50));
    unlinkSync(join(images, 'img-002.png'));
    events.length = 0;
    watcher = new ProjectWatcher(project, { onChange: (c) => events.push(c), stabilityMs: 150 });
    await watcher.start();
    expect(await nextChange(events, (c) => c.added >= 1 && c.missing >= 1)).toMatchObject({ added: 1, missing: 1 });
  });
});
