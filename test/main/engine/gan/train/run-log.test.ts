// Issue 14: a resumed run's metrics.jsonl has each step once — the log is cut back to the checkpoint the
// run resumes from (steps 170–200 appeared twice after a kill -9 and a resume: the charts zig-zagged).
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readMetrics } from '../../../../../main/engine/gan/run/run-store';
import { RunLog } from '../../../../../main/engine/gan/train/run-log';

const config = { run: 'r1', train: { steps: 400 } } as never;

async function logSteps(log: RunLog, from: number, to: number, every: number): Promise<void> {
  for (let step = from; step <= to; step += every) await log.row({ step, img_per_s: 10, step_s: 0.1, d_loss: 1, g_loss: 1 });
}

describe('RunLog on resume', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 's3gan-runlog-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('drops the rows after the checkpoint (and a torn last line) before logging again: no duplicate steps', async () => {
    const first = new RunLog(dir, config, {} as never);
    await logSteps(first, 10, 200, 10); // killed at step 200; the newest checkpoint is step 160
    await first.close();
    appendFileSync(join(dir, 'metrics.jsonl'), '{"step":21'); // torn by the kill
    const resumed = new RunLog(dir, config, {} as never, 160);
    await logSteps(resumed, 170, 250, 10);
    await resumed.close();
    const steps = readMetrics(dir).map((r) => r.step!);
    expect(new Set(steps).size).toBe(steps.length);
    expect(steps).toEqual(Array.from({ length: 25 }, (_, i) => (i + 1) * 10));
  });

  it('a fresh run (no checkpoint) keeps an existing log as it is', async () => {
    const first = new RunLog(dir, config, {} as never);
    await logSteps(first, 10, 30, 10);
    await first.close();
    const again = new RunLog(dir, config, {} as never);
    await logSteps(again, 40, 40, 10);
    await again.close();
    expect(readMetrics(dir).map((r) => r.step)).toEqual([10, 20, 30, 40]);
  });
});
