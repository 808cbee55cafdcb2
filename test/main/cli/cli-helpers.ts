// Runs the real `s3gan` launcher in a child process and parses the JSON object on its last stdout line.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { tempDir } from '../engine/data/fixtures';

const bin = join(import.meta.dirname, '..', '..', '..', 'bin', 's3gan.js');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  json: Record<string, unknown>;
}

/** `cwd`: the user's working directory, which relative path arguments resolve against. */
export function runCli(args: string[], env: Record<string, string> = {}, cwd?: string): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, ...env }, stdio: 'pipe', ...(cwd ? { cwd } : {}) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const last = stdout.trimEnd().split('\n').at(-1) ?? '';
      let json: Record<string, unknown> = {};
      try {
        json = JSON.parse(last) as Record<string, unknown>;
      } catch {
        // not a --json run, or the command crashed: callers look at stdout/stderr
      }
      resolve({ code, stdout, stderr, json });
    });
  });
}

/**
 * Registers beforeAll/afterAll for a temp dir that is removed afterwards, plus the env for `runCli`
 * that keeps the CLI's config (recent projects, …) inside it. Read `path` and `env` inside tests.
 */
export function useCliSandbox(): { readonly path: string; readonly env: Record<string, string> } {
  let tmp: ReturnType<typeof tempDir> | undefined;
  let env: Record<string, string> = {};
  beforeAll(() => {
    tmp = tempDir();
    env = { S3GAN_CONFIG_DIR: join(tmp.path, 'config') };
  });
  afterAll(() => tmp?.remove());
  return {
    get path() {
      if (!tmp) throw new Error('useCliSandbox: read path inside a test');
      return tmp.path;
    },
    get env() {
      return env;
    },
  };
}
