import { parseArgs } from '../args';
import type { CliCommand } from '../command';
import { projectArg, withEngine } from './_engine';

const usage = 's3gan init <project> [--name N] [--json]';

const command: CliCommand = {
  summary: 'Create a new project folder',
  usage,
  async run(argv, io) {
    const { positional, flags } = parseArgs(argv, { name: 'string' });
    const path = projectArg(positional, usage);
    const name = flags.name as string | undefined;
    const summary = await withEngine(io, (call) => call('project.create', { path, ...(name ? { name } : {}) }));
    io.log(`Created project "${summary.name}" at ${summary.path}`);
    return { path: summary.path, name: summary.name, settings: summary.settings };
  },
};
export default command;
