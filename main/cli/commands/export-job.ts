import { resolve } from 'node:path';
import { flagHelp, flagKinds, fieldOfFlag, TRAIN_FIELDS, TrainParams, type TrainField } from '../../../shared/contract';
import { exportJob } from '../../engine/gan/train/export-job';
import { Project } from '../../engine/project/project';
import { parseArgs, UsageError } from '../args';
import type { CliCommand } from '../command';
import { projectArg } from './_engine';

// The same flags as `s3gan train` (from TRAIN_FIELDS), so a job's config.json is the run the app would train.
const usage = ['s3gan export-job <project> [--method M] [train options] [--resume RUN] --out DIR [--force] [--json]', '',
  'Writes a self-contained PyTorch job: config.json, data/, the trainer package, run.sh and README.md.',
  'Run it anywhere with Python 3.9+, torch >= 1.13 and numpy: `NPROC_PER_NODE=8 bash DIR/run.sh`;',
  'bring DIR (or DIR/run) back with `s3gan import-run <project> DIR`.', '',
  ...flagHelp(), '  --resume RUN'.padEnd(30) + 'continue this app run from its newest checkpoint (only length and cadence may change, e.g. --steps)'].join('\n');

const command: CliCommand = {
  summary: 'Export a training run as a PyTorch job (one GPU, many GPUs or a torchrun cluster); it writes DIR/run/ in the app\'s run format',
  usage,
  async run(argv, io) {
    const { positional, flags } = parseArgs(argv, { ...flagKinds(), out: 'string', force: 'boolean', resume: 'string' });
    const path = projectArg(positional, usage);
    const { json: _json, help: _help, out, force, ...trainFlags } = flags;
    if (!out) throw new UsageError('--out is required');
    const params = Object.fromEntries(Object.entries(trainFlags).map(([name, v]) => [name === 'resume' ? name : fieldOfFlag(name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)) ?? name, v]));
    const parsed = TrainParams.strict().safeParse(params);
    if (!parsed.success) throw new UsageError(parsed.error.issues.map((i) => `--${String(i.path[0] ?? '') in TRAIN_FIELDS ? TRAIN_FIELDS[String(i.path[0]) as TrainField].flag : String(i.path[0] ?? '')}: ${i.message}`).join('; '));
    const { selectBackend } = await import('../../engine/backend');
    // Read-only: exporting may run while the app or a training holds the project's lock.
    const project = await Project.open(path, { readOnly: true });
    try {
      const { backend } = await selectBackend({ prefer: project.settings().backend });
      const r = await exportJob(project, parsed.data, { out: resolve(String(out)), backend, overwrite: force === true });
      io.log(`job for run ${r.run}${r.fromStep !== undefined ? ` (continuing from step ${r.fromStep})` : ''}, ${r.images} images, written to ${r.out}; run it with: bash ${r.out}/run.sh`);
      return { out: r.out, run: r.run, images: r.images, method: r.config.method, steps: r.config.train.steps, ...(r.fromStep !== undefined ? { fromStep: r.fromStep } : {}) };
    } finally {
      await project.close();
    }
  },
};
export default command;
