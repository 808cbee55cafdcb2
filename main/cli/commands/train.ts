import { flagHelp, flagKinds, fieldOfFlag, TRAIN_FIELDS, trainDefaults, TrainParams, type TrainField } from '../../../shared/contract';
import { describeIssues } from '../../../shared/issues';
import { parseArgs, UsageError } from '../args';
import type { CliCommand } from '../command';
import { projectArg, withEngine } from './_engine';
import { progressBar } from './_progress-bar';

// Flags, their help and their validation all come from TRAIN_FIELDS (shared/schemas/train-config.ts).
const usage = ['s3gan train <project> [--method M] [options] [--resume RUN] [--json]', '',
  'Defaults depend on the backend (s3gan doctor shows it) and the project\'s image size (resolution: the smallest supported size ≥ it, at most 32 on CPU, 64 on a GPU; 32 px and 128 px shown);',
  '--resume continues a run with its own config: only length, cadence and --workers may change.', '',
  ...flagHelp({
    'wasm/native CPU': trainDefaults({ backend: 'wasm', gpu: false, projectResolution: 32 }),
    GPU: trainDefaults({ backend: 'tensorflow', gpu: true, projectResolution: 128 }),
  }), '  --resume RUN'.padEnd(30) + 'continue this run from its newest checkpoint'].join('\n');

const command: CliCommand = {
  summary: 'Train a conditional GAN with one of the paper\'s methods (S³GAN and baselines); --resume continues a run',
  usage,
  async run(argv, io) {
    const { positional, flags } = parseArgs(argv, { ...flagKinds(), resume: 'string' });
    const path = projectArg(positional, usage);
    const { json: _json, help: _help, ...parsedFlags } = flags;
    // parseArgs camel-cases flag names; map each back to its field (--ema is emaDecay).
    const params = Object.fromEntries(Object.entries(parsedFlags).map(([name, v]) => [name === 'resume' ? name : fieldOfFlag(kebab(name)) ?? name, v]));
    const parsed = TrainParams.strict().safeParse(params);
    if (!parsed.success) throw new UsageError(describeIssues(parsed.error, params, (p) => `--${flagOf(String(p[0] ?? ''))}`));
    const valid = parsed.data;
    return withEngine(io, async (call) => {
      await call('project.open', { path });
      return call('train.start', valid);
    }, { emit: progressBar() });
  },
};
export default command;

function kebab(s: string): string {
  return s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function flagOf(key: string): string {
  return key in TRAIN_FIELDS ? TRAIN_FIELDS[key as TrainField].flag : key;
}
