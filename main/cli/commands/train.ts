import { TrainParams } from '../../../shared/contract';
import { parseArgs, UsageError } from '../args';
import type { CliCommand } from '../command';
import { projectArg, withEngine } from './_engine';
import { progressBar } from './_progress-bar';

const usage = 's3gan train <project> --method single|random|clustering|clustering-ss|s2gan|s2gan-ss|s2gan-co|s3gan|supervised '
  + '[--steps N] [--resolution R] [--ch C] [--d-ch C] [--batch B] [--lr-g X] [--lr-d X] [--d-steps K] [--ema DECAY] [--ema-start S] '
  + '[--log-every K] [--checkpoint-every K] [--grid-every K] [--eval-every K] [--seed S] [--diffaug] [--labels truth] '
  + '[--rotated-fraction F] [--labeled-fraction F] [--workers N] [--resume RUN] [--json]';

/** CLI flag → TrainParams key (same names, camel-cased by parseArgs; `ema` is the decay). */
const FLAGS = {
  method: 'string', steps: 'number', resolution: 'number', ch: 'number', 'd-ch': 'number', batch: 'number', 'lr-g': 'number', 'lr-d': 'number',
  'd-steps': 'number', ema: 'number', 'ema-start': 'number', 'log-every': 'number', 'checkpoint-every': 'number',
  'grid-every': 'number', 'eval-every': 'number', seed: 'number', diffaug: 'boolean', labels: 'string',
  'rotated-fraction': 'number', 'labeled-fraction': 'number', workers: 'number', resume: 'string',
} as const;

const command: CliCommand = {
  summary: 'Train a conditional GAN with one of the paper\'s methods (S³GAN and baselines); --resume continues a run',
  usage,
  async run(argv, io) {
    const { positional, flags } = parseArgs(argv, FLAGS);
    const path = projectArg(positional, usage);
    const { json: _json, help: _help, ...params } = flags;
    const parsed = TrainParams.strict().safeParse(params);
    if (!parsed.success) throw new UsageError(parsed.error.issues.map((i) => `--${String(i.path[0] ?? '')}: ${i.message}`).join('; '));
    const valid = parsed.data;
    return withEngine(io, async (call) => {
      await call('project.open', { path });
      return call('train.start', valid);
    }, { emit: progressBar() });
  },
};
export default command;
