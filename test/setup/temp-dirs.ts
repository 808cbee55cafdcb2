// Temp folders that test helpers create outside a test's own cleanup (e.g. fake projects built while a
// describe block is collected) are registered here and removed after each test file.
import { rmSync } from 'node:fs';
import { afterAll } from 'vitest';

const dirs = new Set<string>();

export function registerTempDir(dir: string): string {
  dirs.add(dir);
  return dir;
}

export function installTempDirCleanup(): void {
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    dirs.clear();
  });
}
