// ML bench on real MNIST digits, through the same engine requests the CLI uses:
//  - k-means NMI on our rotation features vs on raw pixels;
//  - inferred-label (S⁴L) accuracy at 1%, 5% and 10% hand labels, next to cheap baselines
//    (ridge head on raw pixels / on our frozen features, trained on the same hand labels);
//  - "label these next": label SUGGEST_N suggested images vs SUGGEST_N random ones, re-infer, compare;
//  - wall time of every stage.
// Size: BENCH_IMAGES digits (default 1000) keeps the whole bench near 20 minutes on 2 CPU cores.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Params, RequestName, Result } from '../../shared/contract';
import { kmeans } from '../../main/engine/cluster/kmeans';
import { pcaWhiten } from '../../main/engine/cluster/whiten';
import { DEFAULT_WHITEN_COMPONENTS } from '../../main/engine/pipeline/cluster-stage';
import { seededRng, shuffleInPlace } from '../../main/engine/base/prng';
import { loadMnistSubset } from '../../main/engine/data/mnist';
import type { Handler } from '../../main/engine/base/handlers';
import { nmi } from '../../main/engine/metrics/clustering';
import { fitRidge, predictRidge } from '../../main/engine/metrics/ridge';
import { gatherRows } from '../../main/engine/metrics/cross-validation';
import { readFeatures } from '../../main/engine/pipeline/features-stage';
import { readInfer } from '../../main/engine/pipeline/infer-stage';
import { prepareDemoProject, unevenLabelCounts } from '../../main/engine/pipeline/demo-project';
import { createEngine } from '../../main/engine/service';
import type { BenchReport } from './run';

const IMAGES = Number(process.env.BENCH_IMAGES ?? 1000);
const SUGGEST_N = Number(process.env.BENCH_SUGGEST ?? 20);
/** Stage epochs; unset = the stages' defaults (what `s3gan demo` uses). */
const FEATURE_EPOCHS = process.env.BENCH_FEATURE_EPOCHS ? { epochs: Number(process.env.BENCH_FEATURE_EPOCHS) } : {};
const INFER_EPOCHS = process.env.BENCH_INFER_EPOCHS ? { epochs: Number(process.env.BENCH_INFER_EPOCHS) } : {};
const SEED = 7;

type Call = <K extends RequestName>(name: K, params: Params<K>) => Promise<Result<K>>;

async function timed<T>(times: Record<string, number>, key: string, fn: () => Promise<T>): Promise<T> {
  const t = Date.now();
  const r = await fn();
  times[key] = Math.round((Date.now() - t) / 100) / 10;
  console.error(`  ${key}: ${times[key]} s`);
  return r;
}

export async function run(): Promise<BenchReport> {
  const out = join(process.cwd(), 'bench-output', 'tmp', 'ml-bench');
  rmSync(out, { recursive: true, force: true });
  process.env.S3GAN_CONFIG_DIR ??= join(process.cwd(), 'bench-output', 'tmp', 'config');
  const engine = createEngine({ emit: () => undefined, mode: 'cli' });
  const call: Call = (name, params) => (engine.handlers[name] as Handler<typeof name>)(params, { emit: () => undefined }) as Promise<Result<typeof name>>;
  const times: Record<string, number> = {};
  const metrics: BenchReport['metrics'] = { images: IMAGES };
  const rows: string[] = [];
  try {
    await timed(times, 'setup_s', () => prepareDemoProject(out, { images: IMAGES, labelsPerClass: 1, seed: SEED }, call, (m) => console.error(`  ${m}`)));
    const classes = (await call('project.current', {}))!.classes;
    const items = (await call('images.list', {})).items;
    const digitOf = new Map(items.map((it) => [it.id, Number(it.rel.split(/[\\/]/)[0])]));
    const handLabeled = new Set(items.filter((it) => it.label).map((it) => it.id));

    // Raw-pixel baseline: k-means on L2-normalised pixel vectors of the same digits.
    const subset = loadMnistSubset({ count: IMAGES, seed: SEED });
    // The demo names each file "<digit>/<digit>-<index in the package>.png": map ids to subset rows.
    const subsetRow = new Map(Array.from(subset.labels, (l, i) => [`${l}/${l}-${subset.sourceIndex[i]}.png`, i]));
    const pixelRowOf = new Map(items.map((it) => [it.id, subsetRow.get(it.rel.replace(/\\/g, '/'))!]));
    const pixels = l2Rows(Float32Array.from(subset.images, (v) => v / 255), 784);
    const rawClusters = await timed(times, 'kmeans_raw_pixels_s', () => kmeans(pixels, 784, { k: 10, restarts: 10, seed: 0 }));
    metrics.nmi_raw_pixels = round(nmi(subset.labels, rawClusters.assignments));
    // The cluster stage whitens (PCA 32 + L2) first; the same on pixels keeps the comparison fair.
    const white = pcaWhiten(pixels, 784, DEFAULT_WHITEN_COMPONENTS);
    metrics.nmi_raw_pixels_whitened = round(nmi(subset.labels, (await kmeans(white.data, white.dim, { k: 10, restarts: 10, seed: 0 })).assignments));

    const features = await timed(times, 'features_s', () => call('features.run', FEATURE_EPOCHS));
    metrics.features_epochs = features.epochs;
    metrics.rotation_accuracy = round(features.rotationAccuracy);
    metrics.backend = features.backend;
    const cluster = await timed(times, 'cluster_s', () => call('cluster.run', {}));
    metrics.nmi_features = round(cluster.nmi ?? NaN);
    metrics.purity_features = round(cluster.purity ?? NaN);

    const stored = readFeatures(out)!;
    const addLabels = async (ids: string[]) => {
      for (const id of ids) {
        await call('labels.set', { ids: [id], classId: classes[digitOf.get(id)!]!.id, source: 'hand' });
        handLabeled.add(id);
      }
    };
    const unlabeledByDigit = (rng: () => number) => {
      const by: string[][] = classes.map(() => []);
      for (const [id, d] of digitOf) if (!handLabeled.has(id)) by[d]!.push(id);
      for (const list of by) shuffleInPlace(list, rng);
      return by;
    };
    const baselines = (tag: string) => {
      const ids = [...handLabeled];
      const labels = ids.map((id) => digitOf.get(id)!);
      const rest = [...digitOf.keys()].filter((id) => !handLabeled.has(id));
      const rowOf = new Map(stored.meta.ids.map((id, i) => [id, i]));
      const score = (x: Float32Array, dim: number, rowFor: (id: string) => number) => {
        const model = fitRidge(gatherRows(x, dim, ids.map(rowFor)), dim, labels, 10);
        const pred = predictRidge(model, gatherRows(x, dim, rest.map(rowFor)));
        return round(rest.filter((id, i) => pred[i] === digitOf.get(id)).length / rest.length);
      };
      metrics[`ridge_raw_pixels_${tag}`] = score(pixels, 784, (id) => pixelRowOf.get(id)!);
      metrics[`ridge_features_${tag}`] = score(stored.embeddings, stored.meta.dim, (id) => rowOf.get(id)!);
    };
    const infer = async (tag: string) => {
      const r = await timed(times, `infer_${tag}_s`, () => call('infer.run', INFER_EPOCHS));
      metrics[`accuracy_${tag}`] = round(r.accuracy ?? NaN);
      if (r.ridge_probe_cv_accuracy !== undefined) metrics[`ridge_probe_cv_accuracy_${tag}`] = round(r.ridge_probe_cv_accuracy); // absent with 1 label per class
      metrics[`hand_labels_${tag}`] = r.labeled;
      baselines(tag);
      rows.push(`| ${tag} | ${r.labeled} | ${metrics[`accuracy_${tag}`]} | ${metrics[`ridge_probe_cv_accuracy_${tag}`] ?? '—'} | ${metrics[`ridge_features_${tag}`]} | ${metrics[`ridge_raw_pixels_${tag}`]} |`);
      return r;
    };

    await infer('1pct');
    const rng = seededRng(SEED);
    const target5 = unevenLabelCounts(Math.round((IMAGES * 0.05) / 10));
    const pool = unlabeledByDigit(rng);
    await addLabels(pool.flatMap((ids, d) => ids.slice(0, Math.max(0, target5[d]! - countLabeled(handLabeled, digitOf, d)))));
    await infer('5pct');

    // Suggestions vs random, both starting from the 5% state. Each arm's own `accuracy` leaves out the
    // images it labeled — and the suggested ones are the hard ones — so both arms are also scored on
    // one common set: images labeled by neither arm (`*_common`), the number the gain is taken from.
    const suggested = (await call('suggest.get', { n: SUGGEST_N })).items.map((s) => s.id);
    await addLabels(suggested);
    await infer('5pct_plus_suggested');
    const suggestedPredictions = predictionsOf(out);
    await clearLabels(call, suggested, handLabeled);
    const randomPool = [...digitOf.keys()].filter((id) => !handLabeled.has(id));
    shuffleInPlace(randomPool, seededRng(SEED + 1));
    const random = randomPool.slice(0, SUGGEST_N);
    await addLabels(random);
    await infer('5pct_plus_random');
    const randomPredictions = predictionsOf(out);
    await clearLabels(call, random, handLabeled);
    const picked = new Set([...suggested, ...random]);
    const common = [...digitOf.keys()].filter((id) => !handLabeled.has(id) && !picked.has(id));
    const commonAccuracy = (pred: Map<string, string | null>) => round(common.filter((id) => pred.get(id) === classes[digitOf.get(id)!]!.id).length / common.length);
    metrics.common_eval_images = common.length;
    metrics.accuracy_5pct_plus_suggested_common = commonAccuracy(suggestedPredictions);
    metrics.accuracy_5pct_plus_random_common = commonAccuracy(randomPredictions);
    metrics.suggest_gain_over_random = round((metrics.accuracy_5pct_plus_suggested_common as number) - (metrics.accuracy_5pct_plus_random_common as number));

    const pool10 = unlabeledByDigit(rng);
    await addLabels(pool10.flatMap((ids, d) => ids.slice(0, Math.max(0, Math.round(IMAGES / 100) - countLabeled(handLabeled, digitOf, d)))));
    await infer('10pct');
  } finally {
    await engine.dispose();
  }
  for (const [k, v] of Object.entries(times)) metrics[k] = v;
  return {
    title: `ML stages on ${IMAGES} MNIST digits`,
    metrics,
    markdown: [
      `Hand labels are real MNIST labels given to a seeded subset (uneven per digit at 5%); accuracy is measured on every`,
      `image that has truth and no hand label. "ridge" columns: a ridge classifier on the same hand labels, on our frozen`,
      `rotation features or on raw pixels (cheap baselines). Suggestions: ${SUGGEST_N} images from \`suggest.get\` vs ${SUGGEST_N}`,
      `random unlabeled images, each added to the 5% labels, then \`infer\` re-run; the gain is measured on the ${metrics.common_eval_images}`,
      `images that neither arm labeled (suggested ${metrics.accuracy_5pct_plus_suggested_common} vs random ${metrics.accuracy_5pct_plus_random_common}).`,
      '',
      '| hand labels | count | S⁴L accuracy | ridge probe, k-fold CV over hand labels | ridge on features | ridge on raw pixels |',
      '|---|---|---|---|---|---|',
      ...rows,
    ].join('\n'),
  };
}

function predictionsOf(projectDir: string): Map<string, string | null> {
  const file = readInfer(projectDir)!;
  return new Map(file.ids.map((id, i) => [id, file.predicted[i]!]));
}

function countLabeled(labeled: Set<string>, digitOf: Map<string, number>, d: number): number {
  let c = 0;
  for (const id of labeled) if (digitOf.get(id) === d) c += 1;
  return c;
}

async function clearLabels(call: Call, ids: string[], labeled: Set<string>): Promise<void> {
  await call('labels.set', { ids, classId: null, source: 'hand' });
  for (const id of ids) labeled.delete(id);
}

function l2Rows(x: Float32Array, dim: number): Float32Array {
  for (let i = 0; i < x.length / dim; i++) {
    let s = 0;
    for (let d = 0; d < dim; d++) s += x[i * dim + d]! ** 2;
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let d = 0; d < dim; d++) x[i * dim + d]! *= inv;
  }
  return x;
}

function round(v: number): number {
  return Math.round(v * 1e4) / 1e4;
}
