// Issue 14: class merge/delete are undo steps (labels, class and truth come back) and no longer wipe the
// history; labels.log replays to the same stacks after the writer is killed.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addClass, deleteClass, mergeClasses } from '../../../../main/engine/project/classes';
import { Project } from '../../../../main/engine/project/project';
import { projectWithImages } from './helpers';
import { exited, spawnTs, waitForLine } from './spawn';

describe('class merge/delete undo', () => {
  let ctx: Awaited<ReturnType<typeof projectWithImages>>;
  let cat: string;
  let kitten: string;
  let dog: string;
  beforeEach(async () => {
    ctx = await projectWithImages(6);
    cat = (await addClass(ctx.project, 'cat')).id;
    kitten = (await addClass(ctx.project, 'kitten', '#123456')).id;
    dog = (await addClass(ctx.project, 'dog')).id;
  });
  afterEach(async () => ctx.cleanup());

  it('one undo restores every moved label, their sources, the class at its place and its truth; redo merges again', async () => {
    const p = ctx.project;
    const [a, b, c, d] = ctx.ids as [string, string, string, string];
    await p.setLabels([a], kitten, 'hand');
    await p.setLabels([b], kitten, 'cluster');
    await p.setTruth([[c, kitten]]);
    const merged = await mergeClasses(p, kitten, cat);
    expect(merged.group).not.toBeNull();
    expect(p.classById(kitten)).toBeUndefined();
    expect(p.truthLabels().get(c)).toBe(cat);

    const undone = await p.undo();
    expect(undone.group).toBe(merged.group);
    expect(undone.classOp?.kind).toBe('class-merge');
    expect(p.classes().map((x) => x.name)).toEqual(['cat', 'kitten', 'dog']);
    expect(p.classById(kitten)).toEqual({ id: kitten, name: 'kitten', color: '#123456' });
    expect(p.labelOf(a)).toEqual({ classId: kitten, source: 'hand' });
    expect(p.labelOf(b)).toEqual({ classId: kitten, source: 'cluster' });
    expect(p.truthLabels().get(c)).toBe(kitten);
    expect(p.labelOf(d)).toBeUndefined();

    await p.redo();
    expect(p.classById(kitten)).toBeUndefined();
    expect([a, b].map((id) => p.labelOf(id)?.classId)).toEqual([cat, cat]);
    expect(p.truthLabels().get(c)).toBe(cat);
  });

  it('steps from before a merge or delete survive it and undo in order after it', async () => {
    const p = ctx.project;
    const [a, b, c] = ctx.ids as [string, string, string];
    const s1 = await p.setLabels([a], dog, 'hand');
    const s2 = await p.setLabels([b], kitten, 'hand');
    await mergeClasses(p, kitten, cat);
    const del = await deleteClass(p, dog);
    expect(p.labelOf(a)).toBeUndefined();
    expect(p.labels.canUndo()).toBe(true);

    expect((await p.undo()).group).toBe(del.group); // dog and its label are back
    expect(p.labelOf(a)).toEqual({ classId: dog, source: 'hand' });
    await p.undo(); // the merge
    expect((await p.undo()).group).toBe(s2.group);
    expect(p.labelOf(b)).toBeUndefined();
    expect((await p.undo()).group).toBe(s1.group);
    expect(p.labelOf(a)).toBeUndefined();
    expect(p.classes().map((x) => x.id)).toEqual([cat, kitten, dog]);
    await p.setLabels([c], cat, 'hand'); // a new change clears redo, as any change does
    expect(p.labels.canRedo()).toBe(false);
  });

  it('a restored class whose name was taken meanwhile gets a free one', async () => {
    const p = ctx.project;
    await deleteClass(p, dog);
    await addClass(p, 'Dog');
    await p.undo();
    expect(p.classes().map((x) => x.name)).toEqual(['cat', 'kitten', 'dog (2)', 'Dog']);
  });

  it('kill -9 after the acknowledged steps: reopening gives the same labels, classes and undo/redo stacks', async () => {
    const dir = join(ctx.root, 'proj');
    await ctx.project.close();
    const child = spawnTs(join(import.meta.dirname, 'fixtures', 'class-steps-writer.ts'), [dir, cat, kitten, dog]);
    const line = await waitForLine(child, (l) => l.startsWith('{'));
    child.kill('SIGKILL');
    await exited(child);
    const before = JSON.parse(line) as { stacks: { undo: string[]; redo: string[] }; labels: Record<string, unknown>; classes: unknown[] };
    expect(before.stacks.undo.length).toBe(5); // 3 label steps, the merge, 1 label step
    expect(before.stacks.redo.length).toBe(1); // the undone delete

    ctx.project = await Project.open(dir);
    const p = ctx.project;
    expect(p.labels.stacks()).toEqual(before.stacks);
    expect(p.classes()).toEqual(before.classes);
    expect(Object.fromEntries(ctx.ids.map((id) => [id, p.labelOf(id) ?? null]))).toEqual(before.labels);
    // …and the replayed steps still work: undo down to before the merge.
    await p.undo();
    await p.undo();
    expect(p.classById(kitten)).toBeDefined();
    expect(p.labelOf(ctx.ids[1]!)).toEqual({ classId: kitten, source: 'bulk' });
  }, 60_000);
});
