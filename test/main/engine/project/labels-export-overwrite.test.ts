// Issue 14: an export never replaces an existing file (or fills a non-empty folder) silently: CONFLICT
// with a sentence saying what to do, unless overwrite: true.
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addClass } from '../../../../main/engine/project/classes';
import { exportLabels } from '../../../../main/engine/project/labels-export';
import { projectWithImages } from './helpers';

describe('labels.export and existing files', () => {
  let ctx: Awaited<ReturnType<typeof projectWithImages>>;
  beforeEach(async () => {
    ctx = await projectWithImages(3);
    const cat = (await addClass(ctx.project, 'cat')).id;
    await ctx.project.setLabels([ctx.ids[0]!], cat, 'hand');
  });
  afterEach(async () => ctx.cleanup());

  it.each(['csv', 'json'] as const)('%s: an existing file is refused unless overwrite', async (format) => {
    const out = join(ctx.root, `labels.${format}`);
    writeFileSync(out, 'precious');
    await expect(exportLabels(ctx.project, { format, out })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/already exists.*overwrite/) });
    expect(readFileSync(out, 'utf8')).toBe('precious');
    await expect(exportLabels(ctx.project, { format, out, overwrite: true })).resolves.toMatchObject({ written: 1 });
    expect(readFileSync(out, 'utf8')).not.toBe('precious');
  });

  it('folders: a non-empty folder is refused unless overwrite; an empty or new one is fine', async () => {
    const out = join(ctx.root, 'tree');
    mkdirSync(out);
    writeFileSync(join(out, 'mine.txt'), 'x');
    await expect(exportLabels(ctx.project, { format: 'folders', out })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/not empty/) });
    expect(readdirSync(out)).toEqual(['mine.txt']);
    await expect(exportLabels(ctx.project, { format: 'folders', out, overwrite: true })).resolves.toMatchObject({ written: 1 });
    await expect(exportLabels(ctx.project, { format: 'folders', out: join(ctx.root, 'new') })).resolves.toMatchObject({ written: 1 });
  });
});
