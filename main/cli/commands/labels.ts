import { resolve } from 'node:path';
import { parseArgs, UsageError } from '../args';
import type { CliCommand } from '../command';
import { projectArg, withEngine } from './_engine';

const usage = [
  's3gan labels import <project> <file.csv> [--truth] [--json]',
  's3gan labels import <project> <class-folders-root> --from-folders [--truth] [--json]',
  's3gan labels export <project> --format csv|json|folders --out <path> [--inferred] [--force] [--json]',
].join('\n       ');

const FORMATS = ['csv', 'json', 'folders'] as const;

const command: CliCommand = {
  summary: 'Import labels (CSV path,label or class folders) or export them',
  usage,
  async run(argv, io) {
    const [sub, ...rest] = argv;
    if (sub === 'import') {
      const { positional, flags } = parseArgs(rest, { truth: 'boolean', 'from-folders': 'boolean' });
      const path = projectArg(positional, usage);
      const file = positional[1];
      if (!file) throw new UsageError('Give the CSV file (or, with --from-folders, the class-folders root).');
      const r = await withEngine(io, async (call) => {
        await call('project.open', { path });
        return call('labels.import', { file: resolve(file), truth: flags.truth === true, fromFolders: flags.fromFolders === true });
      });
      for (const u of r.unknown.slice(0, 20)) io.log(`unknown path: ${u}`);
      for (const b of r.bad.slice(0, 20)) io.log(`line ${b.line}: ${b.reason}`);
      return { ...r, truth: flags.truth === true };
    }
    if (sub === 'export') {
      const { positional, flags } = parseArgs(rest, { format: 'string', out: 'string', inferred: 'boolean', force: 'boolean' });
      const path = projectArg(positional, usage);
      const format = flags.format as string | undefined;
      if (!format || !(FORMATS as readonly string[]).includes(format)) throw new UsageError('--format must be csv, json or folders');
      if (typeof flags.out !== 'string') throw new UsageError('--out <path> is required');
      const out = resolve(flags.out);
      return withEngine(io, async (call) => {
        await call('project.open', { path });
        return call('labels.export', { format: format as (typeof FORMATS)[number], out, inferred: flags.inferred === true, overwrite: flags.force === true }); // --force: replace an existing export
      });
    }
    throw new UsageError(sub ? `Unknown subcommand "labels ${sub}"` : 'Say "labels import" or "labels export"');
  },
};
export default command;
