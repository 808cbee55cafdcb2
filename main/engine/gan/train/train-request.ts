// What a caller asks for (the contract's TrainParams) and the rule for --resume, both read off
// TRAIN_FIELDS: 'fixed' fields must equal the run's stored value (never silently ignored), 'change'
// fields update the run's config, 'runtime' fields are not part of the run.
import type { z } from 'zod';
import { ContractError, TRAIN_FIELD_NAMES, TRAIN_FIELDS, type TrainParams } from '../../../../shared/contract';
import { trainConfigOf, trainSection, type RunConfig } from '../run/run-config';

export type TrainRequest = z.output<typeof TrainParams>;

export function checkResumeFlags(stored: RunConfig, req: TrainRequest): void {
  const had = trainConfigOf(stored);
  const conflicts = TRAIN_FIELD_NAMES
    .filter((k) => TRAIN_FIELDS[k].resume === 'fixed' && req[k] !== undefined && req[k] !== had[k])
    .map((k) => `--${TRAIN_FIELDS[k].flag} ${String(req[k])} (the run has ${String(had[k])})`);
  if (conflicts.length > 0) {
    throw new ContractError('CONFLICT', `--resume ${stored.run} continues with the run's own config; these options disagree with it: ${conflicts.join(', ')}. Drop them to resume, or start a new run.`);
  }
}

/** The stored config with the request's 'change' fields applied (length, cadence). */
export function resumedConfig(stored: RunConfig, req: TrainRequest): RunConfig {
  const changed = Object.fromEntries(TRAIN_FIELD_NAMES.filter((k) => TRAIN_FIELDS[k].resume === 'change' && req[k] !== undefined).map((k) => [k, req[k]]));
  return { ...stored, train: trainSection({ ...trainConfigOf(stored), ...changed }) };
}
