import { describe, expect, it } from 'vitest';
import { createQuitGuard, type QuitDeps } from '../../../main/app/quit-guard';

function harness(jobs: string[], answer: boolean) {
  const calls: string[] = [];
  const deps: QuitDeps = {
    activeJobs: () => jobs,
    confirmStopJobs: async (n) => {
      calls.push(`confirm:${n}`);
      return answer;
    },
    closeEngine: async () => {
      calls.push('close');
    },
    quit: () => calls.push('quit'),
  };
  const guard = createQuitGuard(deps);
  const quitEvent = () => {
    let prevented = false;
    guard({ preventDefault: () => (prevented = true) });
    return prevented;
  };
  const settle = () => new Promise((r) => setTimeout(r, 0));
  return { calls, quitEvent, settle };
}

describe('quit guard', () => {
  it('without jobs: closes the engine, then lets the second quit through', async () => {
    const h = harness([], true);
    expect(h.quitEvent()).toBe(true);
    await h.settle();
    expect(h.calls).toEqual(['close', 'quit']);
    expect(h.quitEvent()).toBe(false);
  });

  it('with a running job: asks, and stays open when the user says no', async () => {
    const h = harness(['train-1'], false);
    expect(h.quitEvent()).toBe(true);
    await h.settle();
    expect(h.calls).toEqual(['confirm:1']);
    expect(h.quitEvent()).toBe(true); // asks again next time
  });

  it('with running jobs and consent: closes the engine before quitting', async () => {
    const h = harness(['a', 'b'], true);
    h.quitEvent();
    await h.settle();
    expect(h.calls).toEqual(['confirm:2', 'close', 'quit']);
  });
});
