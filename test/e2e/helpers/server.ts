// Spawns the real CLI: `s3gan init` and `s3gan serve --port 0`, parsing the printed S3GAN_URL line.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { registerTempDir } from '../../setup/temp-dirs';

export const repoRoot = resolve(import.meta.dirname, '../../..');
const cli = join(repoRoot, 'bin/s3gan.js');

export async function tempDir(prefix: string): Promise<string> {
  return registerTempDir(await mkdtemp(join(tmpdir(), prefix)));
}

export function runCli(args: string[], timeoutMs = 120_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`s3gan ${args.join(' ')} timed out\n${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolveRun({ code, stdout, stderr });
    });
  });
}

/** The fields of images.list and annotations.get rows the E2E specs read. */
export interface Item {
  id: string;
  label: string | null;
  labelSource: string | null;
}
export interface Ann {
  id: string;
  cluster: number | null;
}

export interface Served {
  url: string; // includes ?token=
  origin: string;
  token: string;
  child: ChildProcess;
  output: () => string;
  stop(): Promise<void>;
}

/** `port`: a fixed one (a restarted server on the same address); default 0 picks a free one. */
export async function serve(project?: string, opts: { timeoutMs?: number; env?: Record<string, string>; port?: number } = {}): Promise<Served> {
  const timeoutMs = opts.timeoutMs ?? 90_000;
  const args = [cli, 'serve', ...(project ? [project] : []), '--port', String(opts.port ?? 0)];
  // A private config dir keeps the recent-projects list of the machine out of (and untouched by) tests.
  const env = { ...process.env, S3GAN_CONFIG_DIR: await tempDir('s3gan-e2e-config-'), ...opts.env };
  const child = spawn(process.execPath, args, { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stderr!.on('data', (d: Buffer) => (out += d));
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`s3gan serve printed no S3GAN_URL within ${timeoutMs} ms:\n${out}`)), timeoutMs);
    child.stdout!.on('data', (d: Buffer) => {
      out += d;
      const m = /^S3GAN_URL (\S+)$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolveUrl(m[1]!);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`s3gan serve exited (${code}) before printing its URL:\n${out}`));
    });
  });
  const parsed = new URL(url);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    url,
    origin: parsed.origin,
    token: parsed.searchParams.get('token') ?? '',
    child,
    output: () => out,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

/** Calls the contract over the bridge from Node, as the page does (to check what was persisted). */
export async function apiCall<T = unknown>(served: Served, name: string, params: unknown = {}): Promise<T> {
  const res = await fetch(`${served.origin}/api/${name}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${served.token}` },
    body: JSON.stringify(params),
  });
  const body = (await res.json()) as { ok: boolean; result?: T; error?: { message: string; code: string } };
  if (!body.ok) throw new Error(`${name} failed: ${body.error?.code} ${body.error?.message}`);
  return body.result as T;
}
