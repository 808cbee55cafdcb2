// Issue 14: a run left 'running' by an engine that died is reported as interrupted: the step it reached
// (metrics.jsonl), the checkpoint a resume continues from, and the steps that will be trained again.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { interruption, lastLoggedStep } from '../../../../../main/engine/gan/run/run-interrupted';
import type { RunListing } from '../../../../../main/engine/gan/run/run-store';

const listing = (state: string, checkpoints: number[]): RunListing =>
  ({ run: 'r1', config: {} as never, state: { state, step: checkpoints.at(-1) ?? 0, updatedAt: '' }, checkpoints, grids: [], origin: null }) as RunListing;

describe('interrupted runs', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 's3gan-interrupted-'));
    const rows = Array.from({ length: 2000 }, (_, i) => JSON.stringify({ step: i + 1, d_loss: 0.5, g_loss: 0.7, img_per_s: 12.5 }));
    writeFileSync(join(dir, 'metrics.jsonl'), `${rows.join('\n')}\n{"step":20`); // long log, torn last line
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the last logged step from the end of a long log, ignoring a torn line', () => {
    expect(lastLoggedStep(dir)).toBe(2000);
    expect(lastLoggedStep(join(dir, 'none'))).toBeNull();
  });

  it('says step, checkpoint and lost steps for a running or paused run nobody drives', () => {
    expect(interruption(listing('running', [1000, 1600]), dir, false)).toEqual({ step: 2000, checkpoint: 1600, lost: 400 });
    expect(interruption(listing('paused', []), dir, false)).toEqual({ step: 2000, checkpoint: 0, lost: 2000 });
  });

  it('is null for a live run and for runs that ended', () => {
    expect(interruption(listing('running', [1600]), dir, true)).toBeNull();
    for (const s of ['done', 'stopped', 'failed']) expect(interruption(listing(s, [1600]), dir, false)).toBeNull();
  });
});
