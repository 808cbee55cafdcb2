import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../../../../bin/s3gan.js', import.meta.url));
const factory = fileURLToPath(new URL('../../engine/jobs/fixtures/fake-engine.ts', import.meta.url));
const roots: string[] = [];
const procs: ChildProcess[] = [];

function setup(): { root: string; dist: string; proj: string; marker: string } {
  const root = mkdtempSync(join(tmpdir(), 's3gan-serve-'));
  roots.push(root);
  const dist = join(root, 'dist');
  const proj = join(root, 'proj');
  mkdirSync(dist);
  mkdirSync(proj);
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>served</title>');
  writeFileSync(join(proj, 'project.json'), '{}');
  return { root, dist, proj, marker: join(root, 'disposed.txt') };
}

function serve(args: string[], env: Record<string, string>): { proc: ChildProcess; out: () => string; err: () => string; exit: Promise<number | null> } {
  const proc = spawn(process.execPath, [bin, 'serve', ...args], { env: { ...process.env, S3GAN_ENGINE_FACTORY: factory, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  procs.push(proc);
  let out = '';
  let err = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  return { proc, out: () => out, err: () => err, exit };
}

async function waitForUrl(out: () => string, ms = 30_000): Promise<string> {
  const start = Date.now();
  while (Date.now() - start < ms) {
    const m = /^S3GAN_URL (\S+)$/m.exec(out());
    if (m) return m[1]!;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no S3GAN_URL line in: ${out()}`);
}

afterEach(() => {
  for (const p of procs.splice(0)) if (p.exitCode === null) p.kill('SIGKILL');
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

describe('s3gan serve', () => {
  it('opens the project, prints S3GAN_URL, serves the API and stops cleanly on SIGTERM', async () => {
    const { dist, proj, marker } = setup();
    const s = serve([proj, '--port', '0'], { S3GAN_RENDERER_DIST: dist, S3GAN_TEST_DISPOSE_MARKER: marker });
    const url = new URL(await waitForUrl(s.out));
    expect(url.hostname).toBe('127.0.0.1');
    const token = url.searchParams.get('token')!;
    const page = await fetch(url);
    expect(await page.text()).toContain('served');
    const res = await fetch(new URL('/api/project.current', url), { method: 'POST', headers: { Authorization: `Bearer ${token}` }, body: '{}' });
    expect(await res.json()).toMatchObject({ ok: true, result: { path: proj } });
    s.proc.kill('SIGTERM');
    expect(await s.exit).toBe(0);
    // The engine was disposed (which is what releases the project lock) before exit.
    expect(existsSync(marker)).toBe(true);
    expect(readFileSync(marker, 'utf8')).toBe(`disposed ${proj}`);
  });

  it('refuses a folder that is not a project, with a clear message', async () => {
    const { dist, root } = setup();
    const s = serve([root, '--json'], { S3GAN_RENDERER_DIST: dist });
    expect(await s.exit).toBe(1);
    const last = JSON.parse(s.out().trim().split('\n').pop()!) as { error: { code: string; message: string } };
    expect(last.error.code).toBe('NOT_FOUND');
    expect(last.error.message).toMatch(/not an S³GAN project/);
  });

  it('tells the user to build the renderer when it is missing', async () => {
    const { root } = setup();
    const s = serve([], { S3GAN_RENDERER_DIST: join(root, 'nowhere') });
    expect(await s.exit).toBe(1);
    expect(s.err()).toMatch(/npm run build:renderer/);
  });
});
