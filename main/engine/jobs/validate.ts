// Validation every host applies to params on arrival (IPC handler, HTTP bridge, engine child).
// parseRequest treats `undefined`/`null` as `{}`; a transport must still reject a payload that
// is present but not a plain object, so `null`, arrays and scalars never reach a handler.
import { ContractError, parseRequest, type RequestName, type requests } from '../../../shared/contract';
import type { z } from 'zod';

export function parseIncoming<K extends RequestName>(name: string, raw: unknown): { name: K; params: z.output<(typeof requests)[K]['params']> } {
  if (raw !== undefined && (typeof raw !== 'object' || raw === null || Array.isArray(raw))) {
    // Still report unknown names first: the name is the more useful error.
    parseRequest(name, {});
    throw new ContractError('INVALID_PAYLOAD', `Cannot run ${name}: the request must be an object of named fields.`);
  }
  return parseRequest<K>(name, raw);
}
