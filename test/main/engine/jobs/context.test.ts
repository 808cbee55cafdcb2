import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EventPayload } from '../../../../shared/contract';
import { createJobContext } from '../../../../main/engine/base/job-context';

afterEach(() => vi.useRealTimers());

function recorder() {
  const seen: EventPayload<'job.progress'>[] = [];
  const ctx = createJobContext('train', (name, payload) => {
    if (name === 'job.progress') seen.push(payload as EventPayload<'job.progress'>);
  }, { minIntervalMs: 0 });
  return { ctx, seen };
}

describe('job progress ETA', () => {
  it('comes from the pace since the phase began, not from zero (a resumed run starts at its checkpoint)', () => {
    vi.useFakeTimers({ now: 0 });
    const { ctx, seen } = recorder();
    ctx.progress(3000, 6000, 'train'); // resumed at step 3000: no pace yet
    vi.advanceTimersByTime(10_000);
    ctx.progress(3100, 6000, 'train'); // 100 steps in 10 s → 2,900 left ≈ 290 s
    expect(seen.map((p) => p.etaMs)).toEqual([null, 290_000]);
  });

  it('starts over when the phase changes', () => {
    vi.useFakeTimers({ now: 0 });
    const { ctx, seen } = recorder();
    ctx.progress(0, 10, 'loading');
    vi.advanceTimersByTime(60_000);
    ctx.progress(5, 10, 'loading'); // 12 s per item
    ctx.progress(0, 100, 'train');
    vi.advanceTimersByTime(1_000);
    ctx.progress(10, 100, 'train'); // 0.1 s per step, not loading's pace
    expect(seen.map((p) => p.etaMs)).toEqual([null, 60_000, null, 9_000]);
  });
});
