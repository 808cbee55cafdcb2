import { evaluateRun } from '../../engine/metrics/gan/evaluate';
import { Project } from '../../engine/project/project';
import { parseArgs, UsageError } from '../args';
import type { CliCommand } from '../command';
import { projectArg } from './_engine';

const usage = 's3gan eval <project> --run RUN [--step S] [--samples N] [--json]';

const command: CliCommand = {
  summary: 'Metrics of a run: FD-SS / KID-SS (self-supervised feature space; floor = real vs real at the same sample size), CAS',
  usage,
  async run(argv, io) {
    const { positional, flags } = parseArgs(argv, { run: 'string', step: 'number', samples: 'number' });
    const path = projectArg(positional, usage);
    if (!flags.run) throw new UsageError('--run is required');
    const { selectBackend } = await import('../../engine/backend');
    // Read-only: evaluation may run while the app or a training holds the project's lock.
    const project = await Project.open(path, { readOnly: true });
    try {
      await selectBackend({ prefer: project.settings().backend });
      const r = await evaluateRun(project, String(flags.run), {
        ...(flags.step !== undefined ? { step: flags.step as number } : {}),
        ...(flags.samples !== undefined ? { samples: flags.samples as number } : {}),
      });
      for (const note of r.notes) io.log(note);
      return { run: r.run, step: r.step, metrics: r.metrics, notes: r.notes };
    } finally {
      await project.close();
    }
  },
};
export default command;
