import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeImages } from '../engine/data/fixtures';
import { Project } from '../../../main/engine/project/project';
import { runCli, useCliSandbox } from './cli-helpers';

describe('s3gan labels import / export (real CLI process)', () => {
  const cli = useCliSandbox();

  it('imports a CSV (with truth kept apart) and exports it back', async () => {
    const images = join(cli.path, 'images');
    await writeImages(images, 4);
    const proj = join(cli.path, 'proj');
    // Set up in-process (init/import have their own CLI test); only the labels commands are spawned.
    const project = await Project.create(proj);
    await project.importFolders([images]);
    await project.close();

    const csv = join(cli.path, 'labels.csv');
    writeFileSync(csv, `path,label\nimg-000.png,cat\n${join(images, 'img-001.png')},dog\nmissing.png,cat\n`);
    const imp = await runCli(['labels', 'import', proj, csv, '--json'], cli.env);
    expect(imp.code).toBe(0);
    expect(imp.json).toMatchObject({ applied: 2, created: ['cat', 'dog'], unknown: ['missing.png'] });

    const truthCsv = join(cli.path, 'truth.csv');
    writeFileSync(truthCsv, 'path,label\nimg-002.png,cat\nimg-003.png,dog\n');
    expect((await runCli(['labels', 'import', proj, truthCsv, '--truth', '--json'], cli.env)).json).toMatchObject({ applied: 2, truth: true });

    const status = await runCli(['status', proj, '--json'], cli.env);
    expect(status.json).toMatchObject({ images: 4, labeled: 2, truth: 2, labeled_by_source: { import: 2 } });

    const out = join(cli.path, 'export.csv');
    const exp = await runCli(['labels', 'export', proj, '--format', 'csv', '--out', out, '--json'], cli.env);
    expect(exp.json).toEqual({ written: 2, out });
    expect(readFileSync(out, 'utf8')).toBe(`path,label\n${join(images, 'img-000.png')},cat\n${join(images, 'img-001.png')},dog\n`);

    const bad = await runCli(['labels', 'export', proj, '--format', 'xml', '--out', out, '--json'], cli.env);
    expect(bad.code).toBe(2);
  });
});
