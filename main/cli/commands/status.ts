import { Project } from '../../engine/project/project';
import { projectStatus } from '../../engine/project/status';
import { parseArgs } from '../args';
import type { CliCommand } from '../command';
import { projectArg } from './_engine';

const usage = 's3gan status <project> [--json]';

const command: CliCommand = {
  summary: 'Show image, label and class counts of a project',
  usage,
  async run(argv) {
    const { positional } = parseArgs(argv, {});
    // Read-only: works while the app or another command holds the project's lock.
    const project = await Project.open(projectArg(positional, usage), { readOnly: true });
    try {
      return { ...projectStatus(project), settings: project.settings(), labelRevision: project.labelRevision() };
    } finally {
      await project.close();
    }
  },
};
export default command;
