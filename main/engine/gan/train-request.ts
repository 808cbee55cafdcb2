// What a caller asks for (the contract's TrainParams) and the rule for --resume: the run's stored
// config is the whole truth, so any flag that disagrees with it is an error, never silently ignored.
import type { z } from 'zod';
import { ContractError, type TrainParams } from '../../../shared/contract';
import type { RunConfig } from './run-config';

export type TrainRequest = z.output<typeof TrainParams>;

/** [request key, CLI flag, value stored in the run]. `steps` is absent: resume may extend a run. */
function storedValues(c: RunConfig): [keyof TrainRequest, string, unknown][] {
  const t = c.train;
  return [
    ['method', '--method', c.method], ['resolution', '--resolution', c.gan.resolution], ['ch', '--ch', c.gan.ch], ['dCh', '--d-ch', c.gan.dCh ?? c.gan.ch],
    ['batch', '--batch', t.batch], ['lrG', '--lr-g', t.lrG], ['lrD', '--lr-d', t.lrD], ['dSteps', '--d-steps', t.dSteps],
    ['ema', '--ema', t.emaDecay], ['emaStart', '--ema-start', t.emaStart], ['diffaug', '--diffaug', t.diffaug],
    ['logEvery', '--log-every', t.logEvery], ['seed', '--seed', t.seed], ['labels', '--labels', c.labels],
    ['checkpointEvery', '--checkpoint-every', t.checkpointEvery], ['gridEvery', '--grid-every', t.gridEvery],
    ['evalEvery', '--eval-every', t.evalEvery], ['rotatedFraction', '--rotated-fraction', t.rotatedFraction],
    ['labeledFraction', '--labeled-fraction', t.labeledFraction],
  ];
}

export function checkResumeFlags(stored: RunConfig, req: TrainRequest): void {
  const conflicts = storedValues(stored)
    .filter(([key, , value]) => req[key] !== undefined && req[key] !== value)
    .map(([key, flag, value]) => `${flag} ${String(req[key])} (the run has ${String(value)})`);
  if (conflicts.length > 0) {
    throw new ContractError('CONFLICT', `--resume ${stored.run} continues with the run's own config; these options disagree with it: ${conflicts.join(', ')}. Drop them to resume, or start a new run.`);
  }
}
