// What an interrupted run says (runs.list `interrupted`: the engine died while it trained): where it
// stopped, where Resume continues from, and how many steps that trains again.
import type { RunSummary } from '../../../shared/contract';

export type Interruption = NonNullable<RunSummary['interrupted']>;

export interface InterruptedWords {
  headline: string;
  resume: string;
  lost: string;
}

export function interruptedWords(i: Interruption): InterruptedWords {
  return {
    headline: `Interrupted at step ${i.step}`,
    resume: i.checkpoint > 0 ? `Resume from step ${i.checkpoint}` : 'Resume from the start',
    lost: i.lost === 0 ? 'no steps lost' : `${i.lost} step${i.lost === 1 ? '' : 's'} lost (${i.checkpoint > 0 ? 'after the last checkpoint' : 'no checkpoint was saved'}), trained again`,
  };
}
