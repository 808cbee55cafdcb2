import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeImages, writeTruncatedPng } from '../engine/data/fixtures';
import { runCli, useCliSandbox } from './cli-helpers';

describe('s3gan init / import / status (real CLI process)', () => {
  const cli = useCliSandbox();

  it('imports 40 images, lists the corrupt and text files, re-import finds 40 duplicates, status agrees', async () => {
    const images = join(cli.path, 'images');
    await writeImages(images, 40);
    await writeTruncatedPng(join(images, 'corrupt.png'));
    writeFileSync(join(images, 'notes.txt'), 'hello');
    const proj = join(cli.path, 'proj');

    const init = await runCli(['init', proj, '--name', 'Demo', '--json'], cli.env);
    expect(init.code).toBe(0);
    expect(init.json).toMatchObject({ path: proj, name: 'Demo' });

    const first = await runCli(['import', proj, images, '--json'], cli.env);
    expect(first.code).toBe(0);
    expect(first.json).toMatchObject({ imported: 40, duplicates: 0, relinked: 0, scanned: 42 });
    const failed = first.json.failed as Array<{ path: string; reason: string }>;
    expect(failed.map((f) => f.path).sort()).toEqual([join(images, 'corrupt.png'), join(images, 'notes.txt')]);
    expect(failed.every((f) => f.reason.length > 5)).toBe(true);
    expect(first.stderr).toContain('corrupt.png'); // human-readable notes go to stderr with --json

    const second = await runCli(['import', proj, images, '--json'], cli.env);
    expect(second.json).toMatchObject({ imported: 0, duplicates: 40 });

    const status = await runCli(['status', proj, '--json'], cli.env);
    expect(status.code).toBe(0);
    expect(status.json).toMatchObject({ images: 40, labeled: 0, missing: 0, excluded: 0, truth: 0, classes: 0, labeled_by_source: { hand: 0 } });
  });

  it('fails with a clear message and non-zero exit for a missing project or folder', async () => {
    const none = await runCli(['import', join(cli.path, 'nope'), cli.path, '--json'], cli.env);
    expect(none.code).not.toBe(0);
    expect((none.json.error as { message: string }).message).toMatch(/not an S³GAN project/);
    const usage = await runCli(['import', join(cli.path, 'proj'), '--json'], cli.env);
    expect(usage.code).toBe(2);
    const again = await runCli(['init', join(cli.path, 'proj')], cli.env);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already contains a project/);
  });
});
