import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addClass } from '../../../../main/engine/project/classes';
import { Project } from '../../../../main/engine/project/project';
import { projectWithImages } from './helpers';

describe('label store (labels.log)', () => {
  let ctx: Awaited<ReturnType<typeof projectWithImages>>;
  let cat: string;
  let dog: string;
  beforeEach(async () => {
    ctx = await projectWithImages(6);
    cat = (await addClass(ctx.project, 'cat')).id;
    dog = (await addClass(ctx.project, 'dog')).id;
  });
  afterEach(async () => ctx.cleanup());

  const reopen = async () => {
    await ctx.project.close();
    ctx.project = await Project.open(join(ctx.root, 'proj'));
    return ctx.project;
  };

  it('a bulk set is one undo step; redo re-applies it; a new change clears redo', async () => {
    const p = ctx.project;
    const [a, b, c, d] = ctx.ids as [string, string, string, string];
    await p.setLabels([a], cat, 'hand');
    const bulk = await p.setLabels([a, b, c], dog, 'bulk');
    expect(bulk.applied).toBe(3);
    expect(p.labelOf(a)).toEqual({ classId: dog, source: 'bulk' });

    const undone = await p.undo();
    expect(undone.group).toBe(bulk.group);
    expect(p.labelOf(a)).toEqual({ classId: cat, source: 'hand' }); // previous value restored, not cleared
    expect(p.labelOf(b)).toBeUndefined();
    expect(p.labelOf(c)).toBeUndefined();

    await p.redo();
    expect([a, b, c].map((id) => p.labelOf(id)?.classId)).toEqual([dog, dog, dog]);

    await p.undo();
    await p.setLabels([d], cat, 'hand'); // new change after undo
    expect((await p.redo()).group).toBeNull(); // redo stack cleared
    expect(p.labelOf(b)).toBeUndefined();
  });

  it('undo/redo stacks survive reopen', async () => {
    const [a, b] = ctx.ids as [string, string];
    await ctx.project.setLabels([a], cat, 'hand');
    await ctx.project.setLabels([b], dog, 'hand');
    await ctx.project.undo();
    let p = await reopen();
    expect(p.labelOf(a)?.classId).toBe(cat);
    expect(p.labelOf(b)).toBeUndefined();
    await p.redo();
    expect(p.labelOf(b)?.classId).toBe(dog);
    await p.undo();
    await p.undo();
    p = await reopen();
    expect(p.labelOf(a)).toBeUndefined();
    await p.redo();
    expect(p.labelOf(a)?.classId).toBe(cat);
    expect(p.labelOf(b)).toBeUndefined();
  });

  it('exclusions are undoable groups and count in labelRevision', async () => {
    const p = ctx.project;
    const before = p.labelRevision();
    const r = await p.exclude([ctx.ids[0]!, ctx.ids[1]!], true);
    expect(r.applied).toBe(2);
    expect(p.labelRevision()).toBeGreaterThan(before);
    expect(p.labels.isExcluded(ctx.ids[0]!)).toBe(true);
    await p.undo();
    expect(p.labels.isExcluded(ctx.ids[0]!)).toBe(false);
    expect((await p.exclude([ctx.ids[2]!], false)).group).toBeNull(); // no change, no step
  });

  it('no-op changes write nothing; unknown ids and classes are rejected', async () => {
    const p = ctx.project;
    await p.setLabels([ctx.ids[0]!], cat, 'hand');
    const size = readFileSync(join(p.dir, 'labels.log')).length;
    expect((await p.setLabels([ctx.ids[0]!], cat, 'hand')).applied).toBe(0);
    expect(readFileSync(join(p.dir, 'labels.log')).length).toBe(size);
    await expect(p.setLabels(['nope'], cat, 'hand')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(p.setLabels([ctx.ids[0]!], 'c999', 'hand')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('a torn last line is ignored on open and cut away by the next append', async () => {
    const [a, b] = ctx.ids as [string, string];
    await ctx.project.setLabels([a], cat, 'hand');
    await ctx.project.close();
    const log = join(ctx.root, 'proj', 'labels.log');
    appendFileSync(log, '{"seq":99,"t":"x","group":"g99","kind":"label","ids":["'); // crash mid-write
    ctx.project = await Project.open(join(ctx.root, 'proj'));
    expect(ctx.project.labels.skippedOnOpen).toBe(1);
    expect(ctx.project.labelOf(a)?.classId).toBe(cat);
    await ctx.project.setLabels([b], dog, 'hand');
    const lines = readFileSync(log, 'utf8').trimEnd().split('\n');
    expect(lines.every((l) => JSON.parse(l))).toBeTruthy(); // garbage gone, every line parses
    expect(lines.map((l) => (JSON.parse(l) as { ids: string[] }).ids[0])).toEqual([a, b]);
  });

  it('labels.set for one id appends one short line (no rewrite) and is fast', async () => {
    const p = ctx.project;
    const log = join(p.dir, 'labels.log');
    const t0 = performance.now();
    for (let i = 0; i < 20; i++) await p.setLabels([ctx.ids[i % 6]!], Math.floor(i / 6) % 2 ? cat : dog, 'hand');
    const perCall = (performance.now() - t0) / 20;
    const lines = readFileSync(log, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(20);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThan(300);
    expect(perCall).toBeLessThan(50);
  });
});
