// s3gan: the headless face of the engine. Every command takes --json and then prints exactly one
// JSON object as its last stdout line; exit 0 when the command did its job (skipped inputs listed),
// non-zero with a clear message when it failed.
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { toWireError } from '../../shared/contract';
import type { CliCommand, CliIO } from './command';
import { UsageError } from './args';

const commandsDir = join(dirname(fileURLToPath(import.meta.url)), 'commands');

function available(): string[] {
  return readdirSync(commandsDir)
    .filter((f) => f.endsWith('.ts') && !f.startsWith('_'))
    .map((f) => f.slice(0, -3))
    .sort();
}

async function load(name: string): Promise<CliCommand | null> {
  if (!/^[a-z][a-z-]*$/.test(name) || !existsSync(join(commandsDir, `${name}.ts`))) return null;
  const mod = (await import(`./commands/${name}.ts`)) as { default: CliCommand };
  return mod.default;
}

async function help(): Promise<void> {
  const lines = ['s3gan — S³GAN Studio command line', '', 'Usage: s3gan <command> [options] [--json]', '', 'Commands:'];
  for (const name of available()) {
    const cmd = await load(name);
    if (cmd) lines.push(`  ${name.padEnd(10)} ${cmd.summary}`);
  }
  lines.push('', 'Run `s3gan <command> --help` for a command\'s options.');
  console.log(lines.join('\n'));
}

function printHuman(result: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(result)) {
    const text = typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v);
    console.log(`${k}: ${text}`);
  }
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    await help();
    return 0;
  }
  const json = rest.includes('--json');
  const io: CliIO = { json, log: (m) => (json ? process.stderr : process.stdout).write(`${m}\n`) };
  const cmd = await load(name);
  if (!cmd) {
    const err = { error: { name: 'UsageError', code: 'UNKNOWN_REQUEST', message: `Unknown command "${name}". Try s3gan --help.` } };
    if (json) console.log(JSON.stringify(err));
    else console.error(err.error.message);
    return 2;
  }
  if (rest.includes('--help')) {
    console.log(`${cmd.summary}\n\nUsage: ${cmd.usage}`);
    return 0;
  }
  try {
    const result = await cmd.run(rest, io);
    if (json) console.log(JSON.stringify(result));
    else printHuman(result);
    return 0;
  } catch (e) {
    const wire = e instanceof UsageError ? { name: 'UsageError', message: `${e.message}\nUsage: ${cmd.usage}`, code: 'INVALID_PAYLOAD' } : toWireError(e);
    if (json) console.log(JSON.stringify({ error: wire }));
    else console.error(`s3gan ${name}: ${wire.message}`);
    return e instanceof UsageError ? 2 : 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
