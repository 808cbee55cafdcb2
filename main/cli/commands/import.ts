import { resolve } from 'node:path';
import { parseArgs, UsageError } from '../args';
import type { CliCommand } from '../command';
import { projectArg, withEngine } from './_engine';

const usage = 's3gan import <project> <folder>... [--json]';

const command: CliCommand = {
  summary: 'Import image folders (recursively) into a project',
  usage,
  async run(argv, io) {
    const { positional } = parseArgs(argv, {});
    const path = projectArg(positional, usage);
    const folders = positional.slice(1).map((f) => resolve(f));
    if (folders.length === 0) throw new UsageError('Give at least one folder to import.');
    const report = await withEngine(io, async (call) => {
      await call('project.open', { path });
      return call('images.import', { folders });
    });
    for (const f of report.failed) io.log(`skipped ${f.path}: ${f.reason}`);
    return { imported: report.imported, duplicates: report.duplicates, relinked: report.relinked, failed: report.failed, scanned: report.scanned, cancelled: report.cancelled };
  },
};
export default command;
