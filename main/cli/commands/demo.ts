import { join, resolve } from 'node:path';
import { ContractError, type Result } from '../../../shared/contract';
import { gridPath } from '../../engine/gan/run/run-store';
import { prepareDemoProject, type CallFn } from '../../engine/pipeline/demo-project';
import { parseArgs, UsageError } from '../args';
import type { CliCommand } from '../command';
import { withEngine } from './_engine';
import { progressBar } from './_progress-bar';

const usage = 's3gan demo [--out DIR] [--images N] [--labels-per-class K] [--epochs E] [--infer-epochs E] [--seed S] [--train-steps N] [--rerun] [--json]';

function positiveInt(v: unknown, name: string, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new UsageError(`--${name} needs a positive integer`);
  return v;
}

/**
 * The demo ends with a short S³GAN run at 16 px (≈ 3–5 min on 2 CPU cores): enough for class rows to
 * show; `--train-steps 0` skips it, larger values train longer (the README's grid used 6,000).
 */
const DEMO_TRAIN_STEPS = 600;
const DEMO_TRAIN = { method: 's3gan', resolution: 16, ch: 8, batch: 32, seed: 1 } as const;

function nonNegativeInt(v: unknown, name: string, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new UsageError(`--${name} needs a non-negative integer`);
  return v;
}

const seconds = (since: number) => Math.round((Date.now() - since) / 100) / 10;

const command: CliCommand = {
  summary: 'The whole pipeline on embedded MNIST digits: project, features → cluster → infer → a short S³GAN run, metrics and grids',
  usage,
  async run(argv, io) {
    const { positional, flags } = parseArgs(argv, {
      out: 'string', images: 'number', 'labels-per-class': 'number', epochs: 'number', 'infer-epochs': 'number', seed: 'number', rerun: 'boolean', 'train-steps': 'number',
    });
    if (positional.length > 0) throw new UsageError(`Unexpected argument "${positional[0]}"`);
    const out = resolve((flags.out as string | undefined) ?? 's3gan-demo');
    const images = positiveInt(flags.images, 'images', 1000);
    const labelsPerClass = positiveInt(flags.labelsPerClass, 'labels-per-class', 5);
    const trainSteps = nonNegativeInt(flags.trainSteps, 'train-steps', DEMO_TRAIN_STEPS);
    const seed = (flags.seed as number | undefined) ?? 0;
    if (!Number.isInteger(seed) || seed < 0) throw new UsageError('--seed needs a non-negative integer');
    const started = Date.now();
    return withEngine(io, async (rawCall) => {
      const call = rawCall as unknown as CallFn;
      const { info, reused } = await prepareDemoProject(out, { images, labelsPerClass, seed }, call, io.log);
      if (reused) io.log(`Reusing the demo project in ${out}`);
      const timings: Record<string, number> = {};

      let t = Date.now();
      const stages = await call('annotations.get', {});
      let features: Result<'features.run'> | { reused: true; doneAt: string };
      if (stages.stages.features && !flags.rerun) {
        io.log('Features already computed: reusing them (--rerun recomputes)');
        features = { reused: true, doneAt: stages.stages.features.doneAt };
      } else {
        features = await call('features.run', flags.epochs !== undefined ? { epochs: positiveInt(flags.epochs, 'epochs', 1) } : {});
      }
      timings.features = seconds(t);

      t = Date.now();
      const cluster = await call('cluster.run', {});
      timings.cluster = seconds(t);

      t = Date.now();
      const inferEpochs = flags.inferEpochs !== undefined ? { epochs: positiveInt(flags.inferEpochs, 'infer-epochs', 1) } : {};
      const infer = await call('infer.run', inferEpochs);
      timings.infer = seconds(t);
      if (infer.accuracy === undefined) throw new ContractError('INTERNAL', 'the demo project lost its truth labels');
      let train: (Result<'train.start'> & { grid: string }) | undefined;
      if (trainSteps > 0) {
        t = Date.now();
        const every = Math.max(1, Math.floor(trainSteps / 4));
        const r = await call('train.start', { ...DEMO_TRAIN, steps: trainSteps, gridEvery: every, checkpointEvery: every, logEvery: Math.max(1, Math.floor(trainSteps / 50)) });
        train = { ...r, grid: gridPath(join(out, 'runs', r.run), r.step) };
        timings.train = seconds(t);
        io.log(`Sample grid (rows = digits 0–9): ${train.grid}`);
      }
      const names = new Map((await call('project.current', {}))?.classes.map((c) => [c.id, c.name]) ?? []);
      const perDigit = Object.fromEntries(Object.entries(infer.per_class ?? {}).map(([id, v]) => [names.get(id) ?? id, v]));

      return {
        out, images: info.images, hand_labels: info.handLabels, hand_label_fraction: Math.round((info.handLabels / info.images) * 1000) / 1000,
        backend: cluster.backend,
        features,
        cluster: { k: cluster.k, nmi: cluster.nmi, purity: cluster.purity, inertia: cluster.inertia, sizes: cluster.sizes },
        infer: { accuracy: infer.accuracy, ridge_probe_cv_accuracy: infer.ridge_probe_cv_accuracy, labeled: infer.labeled, inferred: infer.inferred, labeled_by_source: infer.labeled_by_source, per_digit: perDigit },
        ...(train ? { train } : {}),
        seconds: { ...timings, total: seconds(started) },
      };
    }, { emit: progressBar() });
  },
};
export default command;
