import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Project } from '../../../../main/engine/project/project';
import { tempDir } from '../data/fixtures';
import { exited, spawnTs, waitForLine } from './spawn';

const opener = join(import.meta.dirname, 'fixtures', 'open-project.ts');

describe('project lock', () => {
  let tmp: ReturnType<typeof tempDir>;
  let dir: string;
  beforeEach(async () => {
    tmp = tempDir();
    dir = join(tmp.path, 'proj');
    await (await Project.create(dir)).close();
  });
  afterEach(() => tmp.remove());

  it('a second process gets PROJECT_LOCKED naming the holder', async () => {
    const project = await Project.open(dir);
    try {
      const lock = JSON.parse(readFileSync(join(dir, '.lock'), 'utf8')) as { pid: number; host: string; startedAt: string };
      expect(lock).toMatchObject({ pid: process.pid, host: hostname() });
      const child = spawnTs(opener, [dir]);
      const out = JSON.parse(await waitForLine(child, (l) => l.startsWith('{'))) as { ok: boolean; code: string; message: string };
      await exited(child);
      expect(out.ok).toBe(false);
      expect(out.code).toBe('PROJECT_LOCKED');
      expect(out.message).toContain(`process ${process.pid}`);
      expect(out.message).toContain(hostname());
      expect(out.message).toContain(lock.startedAt);
      // The same process may not open it twice either (two engines would fight over the log).
      await expect(Project.open(dir)).rejects.toMatchObject({ code: 'PROJECT_LOCKED' });
    } finally {
      await project.close();
    }
    expect(existsSync(join(dir, '.lock'))).toBe(false); // released on close
  });

  it('the lock of a killed process is stale and taken over; a live holder blocks us', async () => {
    const child = spawnTs(opener, [dir, 'hold']);
    const out = JSON.parse(await waitForLine(child, (l) => l.startsWith('{'))) as { ok: boolean; pid: number };
    expect(out.ok).toBe(true);
    await expect(Project.open(dir)).rejects.toThrow(new RegExp(`process ${out.pid} on `));
    child.kill('SIGKILL');
    await exited(child);
    expect(JSON.parse(readFileSync(join(dir, '.lock'), 'utf8')).pid).toBe(out.pid); // left behind by the crash
    const project = await Project.open(dir);
    expect(JSON.parse(readFileSync(join(dir, '.lock'), 'utf8')).pid).toBe(process.pid);
    await project.close();
  });

  it('read-only opens need no lock; an unreadable but fresh lock file counts as held', async () => {
    const project = await Project.open(dir);
    const reader = await Project.open(dir, { readOnly: true });
    expect(reader.readOnly).toBe(true);
    await expect(reader.setLabels(['x'], null, 'hand')).rejects.toMatchObject({ code: 'CONFLICT' });
    await reader.close();
    await project.close();
    writeFileSync(join(dir, '.lock'), '{"pid":');
    await expect(Project.open(dir)).rejects.toMatchObject({ code: 'PROJECT_LOCKED' });
  });
});
