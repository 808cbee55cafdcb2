// A small, strict argument parser: unknown flags are errors, never silently ignored.
export interface FlagSpec {
  [flag: string]: 'boolean' | 'string' | 'number' | 'string[]';
}

export type ParsedFlags = Record<string, string | number | boolean | string[] | undefined>;

export class UsageError extends Error {
  override name = 'UsageError';
}

export function parseArgs(argv: string[], spec: FlagSpec): { positional: string[]; flags: ParsedFlags } {
  const positional: string[] = [];
  const flags: ParsedFlags = {};
  const fullSpec: FlagSpec = { json: 'boolean', help: 'boolean', ...spec };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--') || a === '--') {
      positional.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = a.slice(2, eq >= 0 ? eq : undefined);
    const type = fullSpec[name];
    if (!type) throw new UsageError(`Unknown option --${name}`);
    if (type === 'boolean') {
      flags[camel(name)] = eq >= 0 ? a.slice(eq + 1) !== 'false' : true;
      continue;
    }
    const value = eq >= 0 ? a.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new UsageError(`Option --${name} needs a value`);
    if (type === 'number') {
      const n = Number(value);
      if (!Number.isFinite(n)) throw new UsageError(`Option --${name} needs a number, got "${value}"`);
      flags[camel(name)] = n;
    } else if (type === 'string[]') {
      const prev = (flags[camel(name)] as string[] | undefined) ?? [];
      flags[camel(name)] = [...prev, value];
    } else {
      flags[camel(name)] = value;
    }
  }
  return { positional, flags };
}

function camel(s: string): string {
  return s.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}
