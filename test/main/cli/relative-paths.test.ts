// Issue 14: the CLI keeps resolving relative paths against the user's working directory (the UI must send
// absolute ones), and `labels export` refuses to replace a file unless --force.
import { readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeImages } from '../engine/data/fixtures';
import { runCli, useCliSandbox } from './cli-helpers';

describe('s3gan with relative paths (real CLI process)', () => {
  const cli = useCliSandbox();

  it('init, import and labels export resolve against the cwd; an existing export needs --force', async () => {
    const cwd = realpathSync(cli.path);
    await writeImages(join(cwd, 'images'), 2);
    expect((await runCli(['init', 'proj', '--json'], cli.env, cwd)).json).toMatchObject({ path: join(cwd, 'proj') });
    expect((await runCli(['import', 'proj', 'images', '--json'], cli.env, cwd)).json).toMatchObject({ imported: 2 });

    const first = await runCli(['labels', 'export', 'proj', '--format', 'csv', '--out', 'out.csv', '--json'], cli.env, cwd);
    expect(first.json).toEqual({ written: 0, out: join(cwd, 'out.csv') });

    writeFileSync(join(cwd, 'out.csv'), 'keep me');
    const again = await runCli(['labels', 'export', 'proj', '--format', 'csv', '--out', 'out.csv', '--json'], cli.env, cwd);
    expect(again.code).toBe(1);
    expect(again.json).toMatchObject({ error: { code: 'CONFLICT', message: expect.stringContaining('--force') } });
    expect(readFileSync(join(cwd, 'out.csv'), 'utf8')).toBe('keep me');

    const forced = await runCli(['labels', 'export', 'proj', '--format', 'csv', '--out', 'out.csv', '--force', '--json'], cli.env, cwd);
    expect(forced.code).toBe(0);
    expect(readFileSync(join(cwd, 'out.csv'), 'utf8')).toBe('path,label\n');
  }, 120_000);
});
