import { parseArgs } from '../args';
import type { CliCommand } from '../command';
import { projectArg, withEngine } from './_engine';
import { progressBar } from './_progress-bar';

const usage = 's3gan features <project> [--epochs N] [--workers N] [--restart] [--json]\n  --workers N  data-parallel training threads (default: one per core; may change on resume)';

const command: CliCommand = {
  summary: 'Learn self-supervised (rotation) features of every image; resumes an interrupted run',
  usage,
  async run(argv) {
    const { positional, flags } = parseArgs(argv, { epochs: 'number', workers: 'number', restart: 'boolean' });
    const path = projectArg(positional, usage);
    return withEngine({ json: false, log: () => undefined }, async (call) => {
      await call('project.open', { path });
      return call('features.run', {
        ...(flags.epochs !== undefined ? { epochs: flags.epochs as number } : {}),
        ...(flags.workers !== undefined ? { workers: flags.workers as number } : {}),
        ...(flags.restart ? { resume: false } : {}),
      });
    }, { emit: progressBar() });
  },
};
export default command;
