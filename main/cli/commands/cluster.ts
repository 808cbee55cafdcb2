import { parseArgs } from '../args';
import type { CliCommand } from '../command';
import { projectArg, withEngine } from './_engine';
import { progressBar } from './_progress-bar';

const usage = 's3gan cluster <project> [--k K] [--restarts R] [--whiten C] [--json]';

const command: CliCommand = {
  summary: 'k-means on the features (k = number of classes unless given); NMI/purity when truth exists',
  usage,
  async run(argv) {
    const { positional, flags } = parseArgs(argv, { k: 'number', restarts: 'number', whiten: 'number' });
    const path = projectArg(positional, usage);
    return withEngine({ json: false, log: () => undefined }, async (call) => {
      await call('project.open', { path });
      return call('cluster.run', {
        ...(flags.k !== undefined ? { k: flags.k as number } : {}),
        ...(flags.restarts !== undefined ? { restarts: flags.restarts as number } : {}),
        ...(flags.whiten !== undefined ? { whiten: flags.whiten as number } : {}),
      });
    }, { emit: progressBar() });
  },
};
export default command;
