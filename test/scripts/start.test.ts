import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('../../scripts/start.js', import.meta.url));

describe('npm start (scripts/start.js)', () => {
  it('without an Electron binary: a plain message pointing to web mode, exit 1, no stack trace', () => {
    // Point Electron at an empty folder so the binary is missing on every machine.
    const empty = mkdtempSync(join(tmpdir(), 's3gan-noelectron-'));
    try {
      const r = spawnSync(process.execPath, [script], { env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: empty }, encoding: 'utf8', timeout: 20_000 });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain("Electron's binary is not installed on this machine");
      expect(r.stderr).toContain('npm run web');
      expect(r.stderr).not.toMatch(/\bat .+:\d+:\d+/); // no stack frames
      expect(r.stdout).not.toMatch(/Downloading Electron/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
