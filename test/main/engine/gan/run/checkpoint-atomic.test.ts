import { spawn } from 'node:child_process';
import { loadTrainingCheckpoint } from '../../../../../main/engine/gan/train/checkpoint-state';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkpointDir, latestCheckpoint, listCheckpoints, } from '../../../../../main/engine/gan/run/checkpoint';
import { registerTempDir } from '../../../../setup/temp-dirs';

const fixture = join(import.meta.dirname, 'fixtures-save-loop.ts');

/** Runs the saving child until it has saved `minSaves` checkpoints plus a random extra delay, then kill -9. */
function runAndKill(dir: string, minSaves: number, extraMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    let saved = 0;
    let armed = false;
    child.stdout.on('data', (chunk: Buffer) => {
      saved += (chunk.toString().match(/saved \d+/g) ?? []).length;
      if (saved >= minSaves && !armed) {
        armed = true;
        setTimeout(() => child.kill('SIGKILL'), extraMs);
      }
    });
    child.on('exit', (_code, signal) => (signal === 'SIGKILL' ? resolve(saved) : reject(new Error(`child exited without kill (${signal})`))));
  });
}

describe('checkpoint atomicity', () => {
  it('kill -9 during saves never leaves a latest checkpoint that loads wrong', async () => {
    const dir = registerTempDir(mkdtempSync(join(tmpdir(), 's3gan-ckpt-kill-')));
    for (const extraMs of [0, 37, 113]) {
      const saved = await runAndKill(dir, 2, extraMs);
      expect(saved).toBeGreaterThanOrEqual(2);
      const latest = latestCheckpoint(dir);
      expect(latest).not.toBeNull();
      const { meta, arrays } = loadTrainingCheckpoint(latest!.path);
      expect(meta.step).toBe(latest!.step);
      expect(arrays.size).toBeGreaterThan(50);
      // Complete and consistent: every array of the file holds that file's step, nothing else.
      for (const [name, a] of arrays) {
        expect(a.data.length, name).toBe(a.shape.reduce((x, y) => x * y, 1));
        expect(a.data.every((v) => v === meta.step), name).toBe(true);
      }
      expect(meta.sampler.epoch).toBe(meta.step);
    }
    // Interrupted saves only ever leave temp files, which are not listed as checkpoints.
    const names = readdirSync(checkpointDir(dir));
    expect(listCheckpoints(dir).length).toBe(names.filter((n) => !n.startsWith('.')).length);
  }, 240_000);
});
