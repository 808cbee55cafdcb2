// Zod issues as sentences a user can act on: the field by name, the rule in plain words, and what was
// sent when it is short. Used by parseRequest (so the bridge, IPC and engine child speak alike) and the CLI.
import type { z } from 'zod';

type Issue = z.core.$ZodIssue;
/** How a field is named to the user: `"images"` by default, `--images` in the CLI. */
export type FieldNamer = (path: readonly PropertyKey[]) => string;

/** `images`, `folders[2]`, `a.b` — or "the request" for the root. */
export function fieldName(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? String(p) : `.${String(p)}`;
  return out === '' ? 'the request' : `"${out}"`;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v = input;
  for (const p of path) v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[p] : undefined;
  return v;
}

function shown(v: unknown): string | null {
  if (v === undefined) return null;
  const text = typeof v === 'string' ? `"${v}"` : JSON.stringify(v);
  return text !== undefined && text.length <= 60 ? text : null;
}

const KIND: Record<string, string> = { string: 'text', number: 'a number', int: 'a whole number', boolean: 'true or false', array: 'a list', object: 'an object' };

function bound(issue: Issue & { origin?: string; inclusive?: boolean }, limit: unknown, small: boolean): string {
  const n = Number(limit);
  const strict = issue.inclusive === false;
  if (issue.origin === 'array' || issue.origin === 'set') {
    return small ? `needs at least ${strict ? n + 1 : n} item${n === 1 ? '' : 's'}` : `can have at most ${strict ? n - 1 : n} items`;
  }
  if (issue.origin === 'string') return small ? (n <= 1 ? 'must not be empty' : `must be at least ${n} characters long`) : `must be at most ${n} characters long`;
  return small ? `must be ${strict ? 'more than' : 'at least'} ${n}` : `must be ${strict ? 'less than' : 'at most'} ${n}`;
}

/** The rule an issue broke, without the field name. */
function rule(issue: Issue, value: unknown): string {
  switch (issue.code) {
    case 'invalid_type':
      return value === undefined ? 'is required' : `must be ${KIND[issue.expected] ?? issue.expected}`;
    case 'too_small':
      return bound(issue, issue.minimum, true);
    case 'too_big':
      return bound(issue, issue.maximum, false);
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'not_multiple_of':
      return `must be a multiple of ${String(issue.divisor)}`;
    case 'invalid_format':
      return issue.format === 'regex' ? 'has the wrong format' : `must be a valid ${issue.format}`;
    default:
      return issue.message.charAt(0).toLowerCase() + issue.message.slice(1);
  }
}

/** One issue as a sentence, e.g. `"images" must be at least 10 (you sent 3).` */
export function describeIssue(issue: Issue, input?: unknown, name: FieldNamer = fieldName): string {
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((k) => name([...issue.path, k])).join(', ');
    const where = issue.path.length > 0 ? ` in ${name(issue.path)}` : '';
    return `${keys} ${issue.keys.length === 1 ? 'is not an option' : 'are not options'}${where}.`;
  }
  const value = valueAt(input, issue.path);
  const sent = shown(value);
  return `${name(issue.path)} ${rule(issue, value)}${sent !== null ? ` (you sent ${sent})` : ''}.`;
}

/** Every issue of an error, each a sentence, joined (the first few; a count for the rest). */
export function describeIssues(error: z.ZodError, input?: unknown, name: FieldNamer = fieldName, max = 4): string {
  const lines = error.issues.slice(0, max).map((i) => describeIssue(i, input, name));
  const more = error.issues.length - max;
  return more > 0 ? `${lines.join(' ')} (${more} more problem${more === 1 ? '' : 's'})` : lines.join(' ');
}
