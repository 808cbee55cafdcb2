// Malformed payloads for every request of the contract, derived from its zod schemas, so a new
// request is covered automatically. Shared by the IPC (main/app) and HTTP bridge tests.
import type { z } from 'zod';
import { requestNames, requests, type RequestName } from '../../../shared/contract';

export interface MalformedCase {
  name: RequestName;
  label: string;
  params: unknown;
  /** A key the error message must mention (for field-level cases). */
  mentions?: string;
}

const WRONG_VALUES: unknown[] = [12345, 'not-the-right-type', true, [], { nested: {} }];

function shapeOf(name: RequestName): Record<string, z.ZodType> {
  return (requests[name].params as unknown as { shape: Record<string, z.ZodType> }).shape;
}

export function malformedCases(): MalformedCase[] {
  const cases: MalformedCase[] = [];
  for (const name of requestNames) {
    cases.push({ name, label: 'a number', params: 42 });
    cases.push({ name, label: 'a string', params: 'hello' });
    cases.push({ name, label: 'an array', params: [] });
    cases.push({ name, label: 'null', params: null });
    cases.push({ name, label: 'an extra key', params: { unexpectedKey: 1 }, mentions: 'unexpectedKey' });
    const shape = shapeOf(name);
    const keys = Object.keys(shape);
    if (keys.length > 0) {
      const key = keys[0]!;
      const wrong = WRONG_VALUES.find((v) => !shape[key]!.safeParse(v).success);
      if (wrong === undefined) throw new Error(`no wrong value found for ${name}.${key}`);
      cases.push({ name, label: `a wrong type for "${key}"`, params: { [key]: wrong }, mentions: key });
    }
    const required = keys.find((k) => !shape[k]!.safeParse(undefined).success);
    if (required) cases.push({ name, label: `missing "${required}"`, params: {}, mentions: required });
  }
  return cases;
}
