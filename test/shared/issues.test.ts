// Issue 14: zod issues become sentences (field, rule in plain words, the value sent) — one formatter for
// the bridge, IPC, engine child (all through parseRequest) and the CLI.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseRequest } from '../../shared/contract';
import { describeIssues } from '../../shared/issues';

const schema = z.object({
  name: z.string().min(1), n: z.number().int().min(1).max(64), mode: z.enum(['a', 'b']), on: z.boolean(),
  list: z.array(z.string()).max(2), nested: z.object({ x: z.number() }).optional(),
}).strict();

function messageFor(input: unknown, name?: (p: readonly PropertyKey[]) => string): string {
  const r = schema.safeParse(input);
  if (r.success) throw new Error('expected a failure');
  return describeIssues(r.error, input, name);
}

describe('describeIssues', () => {
  it('names the field and says the rule in words', () => {
    expect(messageFor({ name: '', n: 65, mode: 'c', on: true, list: [] })).toBe(
      '"name" must not be empty (you sent ""). "n" must be at most 64 (you sent 65). "mode" must be one of "a", "b" (you sent "c").',
    );
    expect(messageFor({ name: 'x', n: 1.5, mode: 'a', on: 'yes', list: ['1', '2', '3'], nested: { x: 'y' } })).toBe(
      '"n" must be a whole number (you sent 1.5). "on" must be true or false (you sent "yes"). "list" can have at most 2 items (you sent ["1","2","3"]). "nested.x" must be a number (you sent "y").',
    );
  });

  it('says what is missing and which keys are unknown', () => {
    expect(messageFor({ n: 1, mode: 'a', on: true, list: [], extra: 1 })).toBe('"name" is required. "extra" is not an option.');
  });

  it('lets the CLI name flags its own way', () => {
    expect(messageFor({ name: 'x', n: 0, mode: 'a', on: true, list: [] }, (p) => `--${String(p[0])}`)).toBe('--n must be at least 1 (you sent 0).');
  });

  it('is what parseRequest reports (no schema dump)', () => {
    expect(() => parseRequest('demo.create', { images: 3 })).toThrow('Cannot run demo.create: "images" must be at least 10 (you sent 3).');
    expect(() => parseRequest('project.open', { path: 'rel/dir' })).toThrow(/"path" must be an absolute path .* \(you sent "rel\/dir"\)\./);
  });
});
