import { resolve } from 'node:path';
import { ImportRunResult } from '../../../shared/contract';
import { importRun } from '../../engine/gan/train/import-run';
import { Project } from '../../engine/project/project';
import { UsageError, parseArgs } from '../args';
import type { CliCommand } from '../command';
import { projectArg } from './_engine';

const usage = ['s3gan import-run <project> DIR [--json]', '',
  'DIR is a PyTorch job folder (made by `s3gan export-job` and run) or just its run/ folder.',
  'The run is checked against the project (config, classes, images, channels, checkpoints, and the job\'s',
  'data SHA-256s when data/ is there) and added as a new run; an existing run is never replaced.'].join('\n');

const command: CliCommand = {
  summary: 'Add a PyTorch job\'s run (DIR or DIR/run) to the project as a new run: samples, eval and train --resume then work on it',
  usage,
  async run(argv, io) {
    const { positional } = parseArgs(argv, {});
    const path = projectArg(positional, usage);
    if (!positional[1]) throw new UsageError(`Missing the job folder DIR. ${usage}`);
    const { selectBackend } = await import('../../engine/backend');
    const project = await Project.open(path);
    try {
      await selectBackend({ prefer: project.settings().backend });
      const r = await importRun(project, resolve(positional[1]));
      for (const note of r.notes) io.log(`note: ${note}`);
      const where = r.origin.trainer === 'pytorch' && r.origin.sessions?.length
        ? ` (PyTorch ${r.origin.torch ?? ''}, ${r.origin.sessions.at(-1)!.worldSize} × ${r.origin.sessions.at(-1)!.device})` : '';
      io.log(`imported run ${r.run} at step ${r.step}${where}${r.origin.resumedFrom ? `, continuing ${r.origin.resumedFrom.run} from step ${r.origin.resumedFrom.step}` : ''}`);
      return ImportRunResult.parse({ run: r.run, step: r.step, origin: r.origin });
    } finally {
      await project.close();
    }
  },
};
export default command;
