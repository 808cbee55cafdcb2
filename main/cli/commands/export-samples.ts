import { resolve } from 'node:path';
import { exportSamples } from '../../engine/gan/sample/export-samples';
import { Project } from '../../engine/project/project';
import { parseArgs, UsageError } from '../args';
import type { CliCommand } from '../command';
import { projectArg } from './_engine';

const usage = 's3gan export-samples <project> --run RUN [--step S] --per-class N [--truncation T] [--seed S] --out DIR [--force] [--json]';

const command: CliCommand = {
  summary: 'Write a labeled dataset of generated images: DIR/<class>/<n>.png, labels.csv (path,label), manifest.json',
  usage,
  async run(argv, io) {
    const { positional, flags } = parseArgs(argv, { run: 'string', step: 'number', 'per-class': 'number', truncation: 'number', seed: 'number', out: 'string', force: 'boolean' });
    const path = projectArg(positional, usage);
    if (!flags.run) throw new UsageError('--run is required');
    if (!flags.out) throw new UsageError('--out is required');
    const perClass = flags.perClass as number | undefined;
    if (!(perClass !== undefined && Number.isInteger(perClass) && perClass >= 1)) throw new UsageError('--per-class needs a positive integer');
    const { selectBackend } = await import('../../engine/backend');
    // Read-only: exporting may run while the app or a training holds the project's lock.
    const project = await Project.open(path, { readOnly: true });
    try {
      await selectBackend({ prefer: project.settings().backend });
      let last = 0;
      const r = await exportSamples(project.dir, {
        run: String(flags.run), perClass, out: resolve(String(flags.out)), overwrite: flags.force === true,
        ...(flags.step !== undefined ? { step: flags.step as number } : {}),
        ...(flags.truncation !== undefined ? { truncation: flags.truncation as number } : {}),
        ...(flags.seed !== undefined ? { seed: flags.seed as number } : {}),
        progress: (done, total) => {
          if (done < total && Date.now() - last < 1000) return;
          last = Date.now();
          io.log(`export: ${done}/${total} images`);
        },
      });
      return { ...r };
    } finally {
      await project.close();
    }
  },
};
export default command;
