// bench:natural's GAN rows (issue 16): one GAN method at 32 px on an image set with seeded hand labels,
// the same number of steps (the CPU budget) for every method, then
//   - `s3gan eval` (FD-SS / KID-SS with their real-vs-real floors at the same sample size, the app's own
//     CAS by the hand-label ridge classifier, cas_truth, diversity_ss);
//   - CAS by the independent evaluation classifier (eval-classifier.ts, trained on all 50,000 training
//     labels; its test-batch accuracy is the ceiling);
//   - the run's grid as docs/images/cifar10-<row>.png.
// Training goes through the engine's `train.start` (as the app does; workers = cores), evaluation and the
// grid through the CLI, read-only, like a user would.
import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { join } from 'node:path';
import type { Params, RequestName, Result } from '../../../shared/contract';
import { latents, loadRunGenerator, sampleImages, standingStats } from '../../../main/engine/gan/sample/generator';
import { runDir } from '../../../main/engine/gan/run/run-store';
import { Prng } from '../../../main/engine/base/prng';
import { CIFAR10_CLASSES } from './cifar10';
import { accuracyOf, type TrainedClassifier } from './eval-classifier';
import type { GanRowResult } from './results';
import type { GanRowSpec } from './rows';

type Call = <K extends RequestName>(name: K, params: Params<K>) => Promise<Result<K>>;

/** What run.ts hands over: the set's project, opened, its stages done and the row's hand labels set. */
export interface PreparedSet {
  dir: string;
  handLabels: number;
  /** Project class id of CIFAR class c at index c. */
  classIds: string[];
  engine: { commit: string; dirty: string[] };
}

/** Generated images per class for the independent CAS. */
const CAS_PER_CLASS = 100;
const SEED = 1;
const round = (v: number, digits = 4) => Math.round(v * 10 ** digits) / 10 ** digits;

function cli(root: string, args: string[]): Record<string, unknown> {
  const r = spawnSync(process.execPath, [join(root, 'bin', 's3gan.js'), ...args, '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 28 });
  const last = r.stdout.trim().split('\n').pop() ?? '';
  if (r.status !== 0) throw new Error(`s3gan ${args[0]} failed (${r.status}): ${last}`);
  return JSON.parse(last) as Record<string, unknown>;
}

/** The run's EMA generator asked for CAS_PER_CLASS images of each class, scored by the independent classifier. */
export function independentCas(projectDir: string, run: string, classIds: string[], classifier: TrainedClassifier): { cas: number; perClass: Record<string, number> } {
  const loaded = loadRunGenerator(runDir(projectDir, run));
  try {
    const { config, g } = loaded;
    const rng = new Prng(SEED ^ 0x5eed);
    const stats = standingStats(config.gan, g, { seed: SEED });
    const perClass: Record<string, number> = {};
    let ok = 0;
    let total = 0;
    for (let runClass = 0; runClass < config.gan.numClasses; runClass++) {
      const cifar = classIds.indexOf(config.classIds[runClass]!);
      if (cifar < 0) throw new Error(`run class ${config.classIds[runClass]} is not a CIFAR-10 class of the project`);
      const imgs = sampleImages(config.gan, g, stats, latents(rng, CAS_PER_CLASS, config.gan.zDim), new Int32Array(CAS_PER_CLASS).fill(runClass));
      const floats = imgs.dataSync() as Float32Array;
      imgs.dispose();
      const bytes = Uint8Array.from(floats, (v) => Math.max(0, Math.min(255, Math.round((v + 1) * 127.5))));
      const acc = accuracyOf(classifier.predict(bytes, CAS_PER_CLASS), new Int32Array(CAS_PER_CLASS).fill(cifar));
      perClass[CIFAR10_CLASSES[cifar]!] = round(acc);
      ok += acc * CAS_PER_CLASS;
      total += CAS_PER_CLASS;
    }
    return { cas: round(ok / total), perClass };
  } finally {
    loaded.dispose();
  }
}

export async function runGanRow(call: Call, row: GanRowSpec, set: PreparedSet, classifier: TrainedClassifier, ctx: { root: string; variant: string; log: (m: string) => void }): Promise<GanRowResult> {
  ctx.log(`${row.id}: training ${row.method}${row.labels === 'truth' ? ' --labels truth' : ''} for ${row.steps} steps`);
  const started = Date.now();
  const trained = await call('train.start', { method: row.method, labels: row.labels, steps: row.steps, seed: SEED, ...row.flags });
  const minutes = (Date.now() - started) / 60_000;
  ctx.log(`${row.id}: ${trained.run} trained in ${minutes.toFixed(1)} min (${trained.img_per_s.toFixed(1)} img/s); eval`);
  const evaluated = cli(ctx.root, ['eval', set.dir, '--run', trained.run]);
  const grid = join('docs', 'images', `cifar10-${row.id}.png`);
  cli(ctx.root, ['sample', set.dir, '--run', trained.run, '--out', join(ctx.root, grid), '--force']);
  const independent = independentCas(set.dir, trained.run, set.classIds, classifier);
  ctx.log(`${row.id}: independent CAS ${independent.cas} (ceiling ${classifier.info.testAccuracy.toFixed(3)}), FD-SS ${JSON.stringify((evaluated.metrics as Record<string, number>).fd_ss)}`);
  return {
    kind: 'gan', row: row.id, set: row.set, variant: ctx.variant, method: row.method, labels: row.labels, fraction: row.fraction,
    hand_labels: set.handLabels, steps: trained.step, flags: row.flags, run: trained.run, backend: trained.backend,
    img_per_s: round(trained.img_per_s, 1), minutes: round(minutes, 2),
    metrics: evaluated.metrics as Record<string, number>,
    cas_independent: independent.cas, cas_independent_per_class: independent.perClass,
    classifier: { ...classifier.info },
    grid, engine: set.engine, finishedAt: new Date().toISOString(),
    machine: `${process.platform} ${process.arch}, ${cpus().length} cores, Node ${process.version}`,
  };
}
