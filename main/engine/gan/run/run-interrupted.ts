// A run recorded as running (or paused) that no engine drives any more was interrupted: the engine died
// or was killed. What the user needs to know: the step it reached, the checkpoint it resumes from, and
// how many steps will be trained again (the log is cut back to the checkpoint on resume).
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { RunListing } from './run-store';

export interface Interruption {
  /** Last step in metrics.jsonl. */
  step: number;
  /** Step of the newest complete checkpoint (0: none, the run restarts from scratch). */
  checkpoint: number;
  /** Steps trained after that checkpoint, which a resume trains again. */
  lost: number;
}

const TAIL_BYTES = 16 * 1024;

/** The largest `step` among the last rows of metrics.jsonl (read from the end: logs can be long). */
export function lastLoggedStep(dir: string): number | null {
  const path = join(dir, 'metrics.jsonl');
  if (!existsSync(path)) return null;
  const size = statSync(path).size;
  const length = Math.min(size, TAIL_BYTES);
  const buf = Buffer.alloc(length);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, buf, 0, length, size - length);
  } finally {
    closeSync(fd);
  }
  let best: number | null = null;
  for (const line of buf.toString('utf8').split('\n')) {
    try {
      const step = (JSON.parse(line) as { step?: unknown }).step;
      if (typeof step === 'number' && (best === null || step > best)) best = step;
    } catch {
      // the cut first line of the tail, or a torn last line after a crash
    }
  }
  return best;
}

/** Null unless the run was left running/paused and `live` says no engine drives it now. */
export function interruption(r: RunListing, dir: string, live: boolean): Interruption | null {
  const recorded = r.state?.state;
  if (live || (recorded !== 'running' && recorded !== 'paused')) return null;
  const checkpoint = r.checkpoints.at(-1) ?? 0;
  const step = Math.max(lastLoggedStep(dir) ?? 0, r.state?.step ?? 0, checkpoint);
  return { step, checkpoint, lost: step - checkpoint };
}
