// Metrics of a run's EMA generator (`s3gan eval`, and during training): FD-SS and KID-SS in the
// project's frozen self-supervised feature space with the real-vs-real floor at the SAME sample size
// (generated m vs real half A; floor: real half B vs real half A — FD reads higher on smaller samples,
// so a floor from smaller halves than the score it is compared with flattered us), CAS from a classifier
// trained on HAND labels (never truth), within-class diversity (class-diversity.ts), and — where
// evaluation truth exists — cas_truth and the co-training head's accuracy. Every value is finite or
// left out; each omission says why in `notes`.
import type { OpenProject } from '../../base/engine-context';
import { fitRidge, predictRidge } from '../ridge';
import { diversityRatio } from './class-diversity';
import { frechetDistance, kernelInceptionDistance } from './feature-distance';
import { imagesAsDataset, loadFeatureSpace, subsetDataset, type FeatureSpace } from './feature-space';
import { headAccuracy } from './head-accuracy';
import { permutation, Prng } from '../../base/prng';
import { loadRunGenerator } from '../../gan/sample/generator';
import { runDir } from '../../gan/run/run-store';
import { latents, sampleImages, standingStats } from '../../gan/sample/generator';

export interface EvalResult {
  run: string;
  step: number;
  metrics: Record<string, number>;
  notes: string[];
}

const EVAL_STREAM = 31;
const CAS_LABELED_CAP = 5000;

function accuracy(pred: ArrayLike<number>, want: ArrayLike<number>): number {
  let ok = 0;
  for (let i = 0; i < want.length; i++) if (pred[i] === want[i]) ok += 1;
  return want.length ? ok / want.length : Number.NaN;
}

/**
 * The real rows of the score and of its floor: the score compares m generated images with real half A,
 * the floor compares real half B with the same half A — disjoint halves, m = min(samples, ⌊total/2⌋)
 * per side for both, so the floor carries the same small-sample bias as the score it is read against.
 */
export function realHalves(total: number, samples: number, rng: Prng): { m: number; a: Int32Array; b: Int32Array } {
  const m = Math.max(0, Math.min(samples, Math.floor(total / 2)));
  const order = permutation(total, rng);
  return { m, a: order.slice(0, m), b: order.slice(m, 2 * m) };
}

export async function evaluateRun(project: OpenProject, run: string, opts: { step?: number; samples?: number } = {}): Promise<EvalResult> {
  const dir = runDir(project.dir, run);
  const loaded = loadRunGenerator(dir, opts.step);
  const { config } = loaded;
  const metrics: Record<string, number> = {};
  const notes: string[] = [];
  let space: FeatureSpace | null = null;
  try {
    const ds = await project.loadDataset({ resolution: config.gan.resolution, includeTruth: true });
    const rng = new Prng(config.train.seed ^ EVAL_STREAM);
    const { m: n, a, b } = realHalves(ds.n, opts.samples ?? 1000, rng);
    const real = subsetDataset(ds, a);
    const realB = subsetDataset(ds, b);
    // Run class index → current project class index (classes may have been reordered since).
    const projectIndex = config.classIds.map((id) => ds.classes.findIndex((c) => c.id === id));
    if (config.gan.heads.classifier && ds.truth) {
      const acc = headAccuracy(dir, loaded.step, config, real, projectIndex);
      if (acc !== null) metrics.cotrain_head_accuracy_truth = acc;
    }
    space = await loadFeatureSpace(project.dir);
    if (!space) {
      notes.push('FD-SS, KID-SS and CAS need the project\'s self-supervised encoder: run `s3gan features` first');
      return { run, step: loaded.step, metrics: finite(metrics), notes };
    }
    if (n < 2) {
      notes.push(`FD-SS, KID-SS and CAS need at least 4 images (two real halves to compare); the project has ${ds.n}`);
      return { run, step: loaded.step, metrics: finite(metrics), notes };
    }
    const yGen = Int32Array.from({ length: n }, (_, i) => i % config.gan.numClasses);
    const z = latents(rng, n, config.gan.zDim);
    const stats = standingStats(config.gan, loaded.g, { seed: config.train.seed });
    const generated = sampleImages(config.gan, loaded.g, stats, z, yGen);
    const genData = imagesAsDataset(generated.dataSync() as Float32Array, n, config.gan.resolution, config.gan.channels);
    generated.dispose();
    const d = space.dim;
    const realF = await space.embed(real);
    const genF = await space.embed(genData);
    const realBF = await space.embed(realB);
    metrics.fd_ss = frechetDistance(realF, n, genF, n, d);
    metrics.fd_ss_floor = frechetDistance(realF, n, realBF, n, d);
    metrics.kid_ss = kernelInceptionDistance(realF, n, genF, n, d, { rng: () => rng.next() });
    metrics.kid_ss_floor = kernelInceptionDistance(realF, n, realBF, n, d, { rng: () => rng.next() });
    metrics.samples = n; // per side, for the score and its floor alike
    if (config.classIds.length === 0) {
      notes.push(`CAS is not defined for --method ${config.method}: its classes are not the project's classes`);
    } else {
      const want = Int32Array.from(yGen, (c) => projectIndex[c] ?? -1);
      const k = ds.classes.length;
      const handRows = Array.from(ds.handLabels.keys()).filter((i) => ds.handLabels[i]! >= 0).slice(0, CAS_LABELED_CAP);
      if (handRows.length === 0) notes.push('CAS needs hand labels');
      else {
        const hand = subsetDataset(ds, handRows);
        const model = fitRidge(await space.embed(hand), d, hand.handLabels, k);
        metrics.cas = accuracy(predictRidge(model, genF), want);
        metrics.cas_chance = 1 / k;
        // real images grouped by the same hand-label classifier (no truth): G's spread within a class
        metrics.diversity_ss = diversityRatio(realF, predictRidge(model, realF), genF, want, d);
      }
      if (ds.truth && real.truth && real.truth.some((t) => t >= 0)) {
        // Evaluation only: a classifier fitted on truth, as the upper reference for CAS.
        const rows = Array.from(real.truth.keys()).filter((i) => real.truth![i]! >= 0);
        const truthModel = fitRidge(Float32Array.from(rows.flatMap((r) => Array.from(realF.subarray(r * d, (r + 1) * d)))), d, rows.map((r) => real.truth![r]!), k);
        metrics.cas_truth = accuracy(predictRidge(truthModel, genF), want);
      }
    }
    return { run, step: loaded.step, metrics: finite(metrics), notes };
  } finally {
    space?.dispose();
    loaded.dispose();
  }
}

/** Finite values only, to 4 significant digits (KID-SS lives around 1e-4: fixed decimals erased it). */
function finite(m: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(m).filter(([, v]) => Number.isFinite(v)).map(([k, v]) => [k, Number(v.toPrecision(4))]));
}
