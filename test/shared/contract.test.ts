import { describe, expect, it } from 'vitest';
import { ContractError, parseRequest, requestNames, requests, toWireError } from '../../shared/contract';

describe('contract', () => {
  it('rejects unknown requests with UNKNOWN_REQUEST', () => {
    expect(() => parseRequest('nope.nothing', {})).toThrowError(ContractError);
    try {
      parseRequest('nope.nothing', {});
    } catch (e) {
      expect(toWireError(e).code).toBe('UNKNOWN_REQUEST');
    }
  });

  it('rejects extra keys and wrong types with INVALID_PAYLOAD', () => {
    const bad = [
      ['project.open', {}],
      ['project.open', { path: 42 }],
      ['project.open', { path: '/x', extra: 1 }],
      ['labels.set', { ids: [], classId: 'a' }],
      ['labels.set', { ids: ['a'], classId: 'a', source: 'truth' }],
    ] as const;
    for (const [name, params] of bad) {
      let code = '';
      try {
        parseRequest(name, params);
      } catch (e) {
        code = toWireError(e).code;
      }
      expect(code, `${name} ${JSON.stringify(params)}`).toBe('INVALID_PAYLOAD');
    }
  });

  it('accepts valid payloads', () => {
    expect(parseRequest<'labels.set'>('labels.set', { ids: ['a'], classId: null }).params.ids).toEqual(['a']);
    expect(requestNames.length).toBe(Object.keys(requests).length);
  });
});
