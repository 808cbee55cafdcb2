import { parseArgs } from '../args';
import type { CliCommand } from '../command';
import { projectArg, withEngine } from './_engine';
import { progressBar } from './_progress-bar';

const usage = 's3gan infer <project> [--epochs N] [--workers N] [--json]\n  --workers N  data-parallel training threads (default: one per core)';

const command: CliCommand = {
  summary: 'Infer labels for unlabeled images (S⁴L: hand labels + rotation loss); accuracy vs truth when present',
  usage,
  async run(argv) {
    const { positional, flags } = parseArgs(argv, { epochs: 'number', workers: 'number' });
    const path = projectArg(positional, usage);
    return withEngine({ json: false, log: () => undefined }, async (call) => {
      await call('project.open', { path });
      return call('infer.run', {
        ...(flags.epochs !== undefined ? { epochs: flags.epochs as number } : {}),
        ...(flags.workers !== undefined ? { workers: flags.workers as number } : {}),
      });
    }, { emit: progressBar() });
  },
};
export default command;
