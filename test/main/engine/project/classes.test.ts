import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addClass, CLASS_PALETTE, deleteClass, mergeClasses, reorderClasses, updateClass } from '../../../../main/engine/project/classes';
import { Project } from '../../../../main/engine/project/project';
import { projectStatus } from '../../../../main/engine/project/status';
import { projectWithImages } from './helpers';

describe('classes', () => {
  let ctx: Awaited<ReturnType<typeof projectWithImages>>;
  beforeEach(async () => {
    ctx = await projectWithImages(5);
  });
  afterEach(async () => ctx.cleanup());

  it('add picks distinct palette colours, rejects duplicate names; update and reorder persist', async () => {
    const p = ctx.project;
    const a = await addClass(p, 'cat');
    const b = await addClass(p, 'dog', '#123456');
    const c = await addClass(p, 'bird');
    expect([a.color, c.color]).toEqual([CLASS_PALETTE[0], CLASS_PALETTE[1]]);
    expect(b.color).toBe('#123456');
    await expect(addClass(p, ' Cat ')).rejects.toMatchObject({ code: 'CONFLICT' });
    const rev = p.labelRevision();
    await updateClass(p, b.id, { name: 'hound', color: '#abcdef' });
    expect(p.labelRevision()).toBeGreaterThan(rev);
    await reorderClasses(p, [c.id, a.id, b.id]);
    await expect(reorderClasses(p, [c.id, a.id])).rejects.toMatchObject({ code: 'INVALID_PAYLOAD' });
    await p.close();
    ctx.project = await Project.open(join(ctx.root, 'proj'));
    expect(ctx.project.classes().map((x) => `${x.name}:${x.color}`)).toEqual([`bird:${c.color}`, `cat:${a.color}`, 'hound:#abcdef']);
  });

  it('merge moves labels (and truth) into the target; delete unlabels; both persist', async () => {
    const p = ctx.project;
    const [i0, i1, i2, i3] = ctx.ids as [string, string, string, string];
    const cat = (await addClass(p, 'cat')).id;
    const kitten = (await addClass(p, 'kitten')).id;
    const dog = (await addClass(p, 'dog')).id;
    await p.setLabels([i0], cat, 'hand');
    await p.setLabels([i1, i2], kitten, 'bulk');
    await p.setLabels([i3], dog, 'hand');
    await p.setTruth([[i3, kitten]]);

    expect(await mergeClasses(p, kitten, cat)).toMatchObject({ moved: 2, ids: [i1, i2] });
    expect([i0, i1, i2].map((id) => p.labelOf(id))).toEqual([
      { classId: cat, source: 'hand' }, { classId: cat, source: 'bulk' }, { classId: cat, source: 'bulk' },
    ]);
    expect(p.truthLabels().get(i3)).toBe(cat);
    expect(p.classes().map((c) => c.name)).toEqual(['cat', 'dog']);
    // The merge is an undo step (class-undo.test.ts covers undoing it); the steps before it stay.
    expect(p.labels.canUndo()).toBe(true);

    expect(await deleteClass(p, dog)).toMatchObject({ unlabeled: 1, ids: [i3] });
    expect(p.labelOf(i3)).toBeUndefined();
    expect(projectStatus(p)).toMatchObject({ labeled: 3, classes: 1, per_class: { [cat]: 3 } });

    await p.close();
    ctx.project = await Project.open(join(ctx.root, 'proj'));
    expect(projectStatus(ctx.project)).toMatchObject({ labeled: 3, classes: 1, truth: 1, per_class: { [cat]: 3 } });
    await expect(mergeClasses(ctx.project, cat, cat)).rejects.toMatchObject({ code: 'INVALID_PAYLOAD' });
    await expect(deleteClass(ctx.project, dog)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    // A new class never reuses a deleted class's id.
    expect((await addClass(ctx.project, 'dog')).id).not.toBe(dog);
  });
});
