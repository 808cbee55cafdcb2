// labels.import with dryRun: says what an import would change (and which labels it would replace) and writes nothing.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addClass } from '../../../../main/engine/project/classes';
import { importLabels } from '../../../../main/engine/project/labels-import';
import { projectStatus } from '../../../../main/engine/project/status';
import { projectWithImages } from './helpers';

describe('labels import preview (dryRun)', () => {
  let ctx: Awaited<ReturnType<typeof projectWithImages>>;
  const src = (i: number) => join(ctx.images, `img-${String(i).padStart(3, '0')}.png`);
  beforeEach(async () => {
    ctx = await projectWithImages(4);
  });
  afterEach(async () => ctx.cleanup());

  it('reports unknown paths, classes to create and conflicts without writing; applying is one undo step', async () => {
    const cat = await addClass(ctx.project, 'cat');
    await ctx.project.changeLabels([ctx.project.index.idForSource(src(0))!, ctx.project.index.idForSource(src(1))!], cat.id, 'hand');
    const csv = join(ctx.root, 'labels.csv');
    writeFileSync(csv, ['path,label', `${src(0)},Cat`, `${src(1)},dog`, `${src(2)},dog`, '/nowhere/x.png,cat'].join('\n') + '\n');
    const before = projectStatus(ctx.project);
    const preview = await importLabels(ctx.project, { file: csv, dryRun: true });
    expect(preview).toMatchObject({ applied: 2, created: ['dog'], unknown: ['/nowhere/x.png'], group: null });
    expect(preview.conflicts).toEqual([{ path: src(1), current: 'cat', incoming: 'dog' }]);
    expect(projectStatus(ctx.project)).toEqual(before);
    expect(ctx.project.classes().map((c) => c.name)).toEqual(['cat']);

    const r = await importLabels(ctx.project, { file: csv });
    expect(r.applied).toBe(3); // the same label from the file counts too (its source becomes 'import')
    expect(projectStatus(ctx.project).labeled).toBe(3);
    await ctx.project.undo();
    expect(projectStatus(ctx.project).labeled).toBe(2);
  });
});
