import { mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { stagePaths } from '../../../../main/engine/pipeline/stage-files';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addClass } from '../../../../main/engine/project/classes';
import { exportLabels } from '../../../../main/engine/project/labels-export';
import { importLabels } from '../../../../main/engine/project/labels-import';
import { Project } from '../../../../main/engine/project/project';
import { projectStatus } from '../../../../main/engine/project/status';
import { projectWithImages } from './helpers';

describe('labels import/export', () => {
  let ctx: Awaited<ReturnType<typeof projectWithImages>>;
  const src = (i: number) => join(ctx.images, `img-${String(i).padStart(3, '0')}.png`);
  const nameOf = (p: Project, i: number) => {
    const l = p.labelOf(p.index.idForSource(src(i))!);
    return l ? p.classById(l.classId)?.name : undefined;
  };
  beforeEach(async () => {
    ctx = await projectWithImages(6);
  });
  afterEach(async () => ctx.cleanup());

  it('imports CSV with BOM, CRLF, quotes, relative paths; reports unknown paths, bad and duplicate rows', async () => {
    const csv = join(ctx.root, 'labels.csv');
    const lines = [
      '\uFEFFpath,label',
      `"${src(0)}",cat`, // absolute, quoted
      'img-001.png,"big dog"', // relative to the imported folder
      `${src(2)},cat`,
      `${src(2)},dog`, // duplicate: last wins
      '/nowhere/x.png,cat', // unknown
      'img-003.png', // bad: one field
      'img-004.png,', // bad: empty label
    ];
    writeFileSync(csv, lines.join('\r\n') + '\r\n');
    const r = await importLabels(ctx.project, { file: csv });
    expect(r.applied).toBe(3);
    expect(r.created.sort()).toEqual(['big dog', 'cat', 'dog']);
    expect(r.unknown).toEqual(['/nowhere/x.png']);
    expect(r.bad.map((b) => b.line).sort()).toEqual([4, 7, 8]);
    expect(r.bad.find((b) => b.line === 4)?.reason).toMatch(/duplicate.*line 5/);
    expect([0, 1, 2, 3].map((i) => nameOf(ctx.project, i))).toEqual(['cat', 'big dog', 'dog', undefined]);
    expect(projectStatus(ctx.project).labeled_by_source.import).toBe(3);
    // The whole import is one undo step.
    await ctx.project.undo();
    expect(projectStatus(ctx.project).labeled).toBe(0);
  });

  it('truth is stored apart: not labeled, only visible through truthLabels()/includeTruth', async () => {
    const csv = join(ctx.root, 'truth.csv');
    writeFileSync(csv, `path,label\n${src(0)},cat\n${src(1)},dog\n`);
    const r = await importLabels(ctx.project, { file: csv, truth: true });
    expect(r.applied).toBe(2);
    const status = projectStatus(ctx.project);
    expect(status).toMatchObject({ labeled: 0, truth: 2 });
    expect(ctx.project.labelOf(ctx.project.index.idForSource(src(0))!)).toBeUndefined();
    expect(ctx.project.truthLabels().size).toBe(2);
    const plain = await ctx.project.loadDataset({ resolution: 8 });
    expect(plain.truth).toBeNull();
    expect([...plain.handLabels].every((l) => l === -1)).toBe(true);
    const withTruth = await ctx.project.loadDataset({ resolution: 8, includeTruth: true });
    expect([...withTruth.truth!].filter((t) => t >= 0)).toHaveLength(2);
  });

  it('export csv → import into a fresh project gives the same labels (round trip); json and folders too', async () => {
    const p = ctx.project;
    const cat = (await addClass(p, 'cat')).id;
    const odd = (await addClass(p, 'odd, "quoted" name')).id;
    await p.setLabels([p.index.idForSource(src(0))!, p.index.idForSource(src(3))!], cat, 'hand');
    await p.setLabels([p.index.idForSource(src(4))!], odd, 'hand');
    const out = join(ctx.root, 'out', 'labels.csv');
    expect(await exportLabels(p, { format: 'csv', out })).toEqual({ written: 3, out });
    const text = readFileSync(out, 'utf8');
    expect(text.startsWith('path,label\n')).toBe(true);
    expect(text.endsWith('\n')).toBe(true);
    expect(text).toContain('"odd, ""quoted"" name"');

    const other = await Project.create(join(ctx.root, 'proj2'));
    try {
      await other.importFolders([ctx.images]);
      await importLabels(other, { file: out });
      for (let i = 0; i < 6; i++) expect(nameOf(other, i)).toBe(nameOf(p, i));
    } finally {
      await other.close();
    }

    const json = JSON.parse(readFileSync((await exportLabels(p, { format: 'json', out: join(ctx.root, 'l.json') })).out, 'utf8')) as { labels: Array<{ path: string; label: string }> };
    expect(json.labels.map((l) => l.label)).toEqual(['cat', 'cat', 'odd, "quoted" name']);

    const tree = join(ctx.root, 'tree');
    expect((await exportLabels(p, { format: 'folders', out: tree })).written).toBe(3);
    expect(readdirSync(tree).sort()).toEqual(['cat', 'odd, _quoted_ name']);
    expect(readdirSync(join(tree, 'cat')).sort()).toEqual(['img-000.png', 'img-003.png']);
  });

  it('fromFolders labels each image by the folder that contains it', async () => {
    // Arrange the images into class folders, then import that tree into a new project.
    const tree = join(ctx.root, 'classes');
    const p = ctx.project;
    const cat = (await addClass(p, 'cat')).id;
    const dog = (await addClass(p, 'dog')).id;
    await p.setLabels([0, 1].map((i) => p.index.idForSource(src(i))!), cat, 'bulk');
    await p.setLabels([2].map((i) => p.index.idForSource(src(i))!), dog, 'hand');
    await exportLabels(p, { format: 'folders', out: tree });
    renameSync(src(5), join(tree, 'loose.png')); // not in a class folder
    const other = await Project.create(join(ctx.root, 'proj3'));
    try {
      await other.importFolders([tree]);
      const r = await importLabels(other, { file: tree, fromFolders: true });
      expect(r.applied).toBe(3);
      expect(r.created.sort()).toEqual(['cat', 'dog']);
      expect(r.bad).toHaveLength(1);
      expect(r.bad[0]!.reason).toMatch(/loose\.png.*not in a class folder/);
      await expect(importLabels(other, { file: join(tree, 'loose.png'), fromFolders: true })).rejects.toMatchObject({ code: 'INVALID_PAYLOAD' });
    } finally {
      await other.close();
    }
  });

  it('with inferred, unlabeled images export the last infer.run prediction; without one it is STAGE_MISSING', async () => {
    const p = ctx.project;
    const cat = (await addClass(p, 'cat')).id;
    const dog = (await addClass(p, 'dog')).id;
    const out = join(ctx.root, 'inf.json');
    await expect(exportLabels(p, { format: 'json', out, inferred: true })).rejects.toMatchObject({ code: 'STAGE_MISSING' });
    await p.setLabels([ctx.ids[0]!], cat, 'hand');
    const inferFile = stagePaths(p.dir).inferResult;
    mkdirSync(dirname(inferFile), { recursive: true });
    writeFileSync(inferFile, JSON.stringify({ ids: ctx.ids, predicted: ctx.ids.map((_, i) => (i % 2 ? dog : cat)) }));
    await p.setLabels([ctx.ids[1]!], cat, 'hand'); // a hand label overrides the prediction
    await exportLabels(p, { format: 'json', out, inferred: true });
    const labels = (JSON.parse(readFileSync(out, 'utf8')) as { labels: Array<{ label: string; source: string }> }).labels;
    expect(labels.map((l) => `${l.label}/${l.source}`)).toEqual(['cat/hand', 'cat/hand', 'cat/inferred', 'dog/inferred', 'cat/inferred', 'dog/inferred']);
    expect((await exportLabels(p, { format: 'csv', out: join(ctx.root, 'plain.csv') })).written).toBe(2);
  });

  it('a CSV without the header is refused with a clear message', async () => {
    const csv = join(ctx.root, 'nohdr.csv');
    writeFileSync(csv, `${src(0)},cat\n`);
    await expect(importLabels(ctx.project, { file: csv })).rejects.toThrow(/header "path,label"/);
  });
});
