// Issue 14: an interrupted run says where it stopped, where Resume continues and what that costs.
import { describe, expect, it } from 'vitest';
import { interruptedWords } from '../../../renderer/src/lib/run-words';

describe('interruptedWords', () => {
  it('names the step reached, the checkpoint resumed from and the steps lost', () => {
    expect(interruptedWords({ step: 200, checkpoint: 160, lost: 40 })).toEqual({
      headline: 'Interrupted at step 200',
      resume: 'Resume from step 160',
      lost: '40 steps lost (after the last checkpoint), trained again',
    });
  });

  it('without a checkpoint it resumes from the start; at a checkpoint nothing is lost', () => {
    expect(interruptedWords({ step: 7, checkpoint: 0, lost: 7 })).toMatchObject({ resume: 'Resume from the start', lost: '7 steps lost (no checkpoint was saved), trained again' });
    expect(interruptedWords({ step: 50, checkpoint: 50, lost: 0 }).lost).toBe('no steps lost');
  });
});
