// `npm run bench:natural`: CIFAR-10 through features → cluster --k 10 → infer (DESIGN.md §7 "Photos",
// issue 16), and the GAN methods at 32 px on it (gan-row.ts), row by row, writing one JSON per row and
// bench-output/NATURAL.md after each.
//   ROWS=train-5k-10pct,train-5k-1pct   rows to run (default: all, see rows.ts); finished rows are skipped
//   NATURAL_RERUN=1                      recompute rows that already have a result
//   NATURAL_VARIANT=name                 store results as an experiment (default: "default" = today's engine)
//   NATURAL_FEATURES_FROM=name           reuse that variant's finished features/clusters (infer-only experiments)
//   NATURAL_FEATURE_EPOCHS / NATURAL_INFER_EPOCHS   stage epochs (unset: the engine's defaults)
//   NATURAL_GAN_FLAGS='{"diffaug":true}'  extra train flags for the GAN rows (an experiment: set NATURAL_VARIANT too)
//   NATURAL_CLASSIFIER_EPOCHS            epochs of the GAN rows' independent evaluation classifier (default 10)
//   --report                             only rewrite NATURAL.md from the stored results
// Resumable: an interrupted features stage continues from its last epoch checkpoint on the next run.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import type { EventName, EventPayload, Params, RequestName, Result } from '../../../shared/contract';
import type { Handler } from '../../../main/engine/base/handlers';
import { selectBackend } from '../../../main/engine/backend';
import { createLabeledProject } from '../../../main/engine/pipeline/demo-project';
import { readFeatures } from '../../../main/engine/pipeline/features-stage';
import { readJsonOrNull, stagePaths, writeJsonAtomic } from '../../../main/engine/pipeline/stage-files';
import { createEngine } from '../../../main/engine/service';
import { CIFAR10_CLASSES, CIFAR_SIDE, ensureCifar10, loadCifarBatch } from './cifar10';
import { cosineKnnAccuracy, unitRows } from './knn';
import { stratifiedPicks } from './picks';
import { naturalMarkdown } from './report';
import { evalClassifier, type TrainedClassifier } from './eval-classifier';
import { runGanRow } from './gan-row';
import { allResults, DEFAULT_VARIANT, OUT_DIR, readResult, resultPath, WORK_DIR, type GanRowResult, type LabelRowResult, type RowResult } from './results';
import { imageSet, PICK_SEED, selectRows, type GanRowSpec, type ImageSetSpec, type LabelRowSpec, type RowSpec } from './rows';

type Call = <K extends RequestName>(name: K, params: Params<K>) => Promise<Result<K>>;

const VARIANT = process.env.NATURAL_VARIANT || DEFAULT_VARIANT;
const FEATURES_FROM = process.env.NATURAL_FEATURES_FROM || VARIANT;
const FEATURE_EPOCHS = process.env.NATURAL_FEATURE_EPOCHS ? Number(process.env.NATURAL_FEATURE_EPOCHS) : undefined;
const INFER_EPOCHS = process.env.NATURAL_INFER_EPOCHS ? Number(process.env.NATURAL_INFER_EPOCHS) : undefined;
const PIXELS = CIFAR_SIDE * CIFAR_SIDE * 3;
const CLASSIFIER_EPOCHS = Number(process.env.NATURAL_CLASSIFIER_EPOCHS ?? 10);

const log = (m: string) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${m}`);
const minutesSince = (t: number) => (Date.now() - t) / 60_000;
const round = (v: number, digits = 4) => Math.round(v * 10 ** digits) / 10 ** digits;

/** A set's images in memory (for the pixel baseline) and its project on disk. */
interface LoadedSet {
  spec: ImageSetSpec;
  dir: string;
  pixels: Uint8Array;
  labels: Uint8Array;
  /** Project image id of each image (undefined: not imported, e.g. an exact duplicate). */
  ids: (string | undefined)[];
  classIds: string[];
  setupMinutes: number;
}

interface SetMarker {
  set: string;
  n: number;
  ids: (string | null)[];
  classIds: string[];
  setupMinutes: number;
  createdAt: string;
}

interface StagesFile {
  features?: { minutes: number; epochs: number; rotationAccuracy: number; backend: string; resumedFromEpoch: number; engine?: { commit: string; dirty: string[] } };
  cluster?: { minutes: number; nmi: number; purity: number; sizes: number[] };
}

async function loadSetImages(spec: ImageSetSpec): Promise<{ pixels: Uint8Array; labels: Uint8Array }> {
  const pkg = ensureCifar10(log);
  const parts = [];
  for (const p of spec.parts) parts.push(await loadCifarBatch(pkg, p.batch, p.count));
  const n = parts.reduce((s, p) => s + p.n, 0);
  const pixels = new Uint8Array(n * PIXELS);
  const labels = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    pixels.set(p.pixels, at * PIXELS);
    labels.set(p.labels, at);
    at += p.n;
  }
  return { pixels, labels };
}

/** <work>/images/<set>/<index>.png — flat, names carry no class. */
async function writePngs(dir: string, pixels: Uint8Array, n: number): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const rels: string[] = [];
  for (let start = 0; start < n; start += 64) {
    const batch: Promise<unknown>[] = [];
    for (let i = start; i < Math.min(n, start + 64); i++) {
      const rel = `${String(i).padStart(5, '0')}.png`;
      rels.push(rel);
      const file = join(dir, rel);
      if (!existsSync(file)) {
        batch.push(sharp(Buffer.from(pixels.subarray(i * PIXELS, (i + 1) * PIXELS)), { raw: { width: CIFAR_SIDE, height: CIFAR_SIDE, channels: 3 } }).png().toFile(file));
      }
    }
    await Promise.all(batch);
  }
  return rels;
}

async function openSet(call: Call, spec: ImageSetSpec, variant: string): Promise<LoadedSet> {
  const dir = join(WORK_DIR, variant, spec.id);
  const markerFile = join(dir, 'bench-set.json');
  const { pixels, labels } = await loadSetImages(spec);
  const n = labels.length;
  const marker = readJsonOrNull<SetMarker>(markerFile);
  if (marker && marker.n === n) {
    await call('project.open', { path: dir });
    return { spec, dir, pixels, labels, ids: marker.ids.map((id) => id ?? undefined), classIds: marker.classIds, setupMinutes: marker.setupMinutes };
  }
  if (variant !== VARIANT) throw new Error(`NATURAL_FEATURES_FROM=${variant}: that variant has no ${spec.id} project yet`);
  const started = Date.now();
  rmSync(dir, { recursive: true, force: true }); // an interrupted setup
  log(`${spec.id}: writing ${n} PNGs and building the project in ${dir}`);
  const imagesDir = join(WORK_DIR, 'images', spec.id);
  const rels = await writePngs(imagesDir, pixels, n);
  const made = await createLabeledProject(dir, {
    name: `CIFAR-10 ${spec.id}`, classNames: [...CIFAR10_CLASSES], imagesDir, rels, labels,
    hand: () => new Set(), truthForAll: true, // hand labels are set per row
  }, call, log);
  const classIds = (await call('project.current', {}))!.classes.map((c) => c.id);
  const setupMinutes = minutesSince(started);
  await writeJsonAtomic(markerFile, { set: spec.id, n, ids: made.ids.map((id) => id ?? null), classIds, setupMinutes, createdAt: new Date().toISOString() } satisfies SetMarker);
  return { spec, dir, pixels, labels, ids: made.ids, classIds, setupMinutes };
}

/** Features and clusters of the set, computed once (resuming an interrupted features stage). */
async function ensureStages(call: Call, set: LoadedSet): Promise<Required<StagesFile>> {
  const file = join(set.dir, 'bench-stages.json');
  const stages = readJsonOrNull<StagesFile>(file) ?? {};
  if (!stages.features || !readFeatures(set.dir)) {
    if (FEATURES_FROM !== VARIANT) throw new Error(`NATURAL_FEATURES_FROM=${FEATURES_FROM}: its ${set.spec.id} features are not finished`);
    const before = readJsonOrNull<{ seconds: number }>(stagePaths(set.dir).checkpointProgress)?.seconds ?? 0;
    const t = Date.now();
    log(`${set.spec.id}: features${FEATURE_EPOCHS ? ` (${FEATURE_EPOCHS} epochs)` : ''}`);
    const r = await call('features.run', FEATURE_EPOCHS ? { epochs: FEATURE_EPOCHS } : {});
    stages.features = { minutes: minutesSince(t) + before / 60, epochs: r.epochs, rotationAccuracy: r.rotationAccuracy, backend: r.backend, resumedFromEpoch: r.resumedFromEpoch ?? 0, engine: ENGINE_AT_START };
    delete stages.cluster;
    await writeJsonAtomic(file, stages);
    log(`${set.spec.id}: features done in ${stages.features.minutes.toFixed(1)} min, rotation accuracy ${r.rotationAccuracy.toFixed(3)}`);
  }
  if (!stages.cluster) {
    const t = Date.now();
    const r = await call('cluster.run', { k: 10 });
    stages.cluster = { minutes: minutesSince(t), nmi: r.nmi ?? NaN, purity: r.purity ?? NaN, sizes: r.sizes };
    await writeJsonAtomic(file, stages);
    log(`${set.spec.id}: k-means NMI ${r.nmi?.toFixed(3)} purity ${r.purity?.toFixed(3)}`);
  }
  return stages as Required<StagesFile>;
}

/** Makes the project's hand labels exactly `picks` (labels.set through the engine, as the UI would). */
async function setHandLabels(call: Call, set: LoadedSet, picks: Set<number>): Promise<number> {
  const labeled = (await call('images.list', {})).items.filter((it) => it.label).map((it) => it.id);
  if (labeled.length) await call('labels.set', { ids: labeled, classId: null, source: 'hand' });
  let applied = 0;
  for (let c = 0; c < set.classIds.length; c++) {
    const ids = [...picks].filter((i) => set.labels[i] === c && set.ids[i]).map((i) => set.ids[i]!);
    if (ids.length) applied += (await call('labels.set', { ids, classId: set.classIds[c]!, source: 'hand' })).applied;
  }
  return applied;
}

function engineVersion(): { commit: string; dirty: string[] } {
  const git = (args: string[]) => execFileSync('git', args, { encoding: 'utf8' });
  try {
    // porcelain lines are "XY path": keep the leading status columns intact (no trim before slicing)
    const dirty = git(['status', '--porcelain', '--', 'main/engine/selfsup', 'main/engine/pipeline', 'main/engine/models', 'main/engine/cluster']).split('\n').filter(Boolean).map((l) => l.slice(3));
    return { commit: git(['rev-parse', '--short', 'HEAD']).trim(), dirty };
  } catch {
    return { commit: 'unknown', dirty: [] };
  }
}

/** The engine code a run executes is what was on disk when it started (modules load once). */
const ENGINE_AT_START = engineVersion();

/** The row's set opened (built on first use), its features and clusters done, hand labels = the row's picks. */
async function prepareSet(call: Call, row: { id: string; set: string; fraction: number }, sets: Map<string, LoadedSet>) {
  const spec = imageSet(row.set);
  let set = sets.get(spec.id);
  if (!set) {
    set = await openSet(call, spec, FEATURES_FROM);
    sets.set(spec.id, set);
  } else await call('project.open', { path: set.dir });
  const stages = await ensureStages(call, set);
  const picks = stratifiedPicks(set.labels, CIFAR10_CLASSES.length, row.fraction, PICK_SEED);
  const handLabels = await setHandLabels(call, set, picks);
  log(`${row.id}: ${handLabels} hand labels`);
  return { spec, set, stages, picks, handLabels };
}

async function runLabelRow(call: Call, row: LabelRowSpec, sets: Map<string, LoadedSet>): Promise<LabelRowResult> {
  const { spec, set, stages, picks, handLabels } = await prepareSet(call, row, sets);
  log(`${row.id}: infer${INFER_EPOCHS ? ` (${INFER_EPOCHS} epochs)` : ''}`);
  const t = Date.now();
  const infer = await call('infer.run', INFER_EPOCHS ? { epochs: INFER_EPOCHS } : {});
  const inferMinutes = minutesSince(t);
  log(`${row.id}: S⁴L accuracy ${infer.accuracy?.toFixed(3)} in ${inferMinutes.toFixed(1)} min; raw-pixel kNN`);

  const train = [...picks].filter((i) => set.ids[i]);
  const evalRows = set.labels.reduce<number[]>((acc, _, i) => (set.ids[i] && !picks.has(i) ? (acc.push(i), acc) : acc), []);
  const knn = cosineKnnAccuracy(unitRows(set.pixels, set.labels.length, PIXELS), PIXELS, train, train.map((i) => set.labels[i]!), evalRows, evalRows.map((i) => set.labels[i]!), CIFAR10_CLASSES.length, [1, 10]);
  const names = new Map(set.classIds.map((id, c) => [id, CIFAR10_CLASSES[c]!]));
  const features = readFeatures(set.dir)!;
  const minutes = { setup: set.setupMinutes, features: stages.features.minutes, cluster: stages.cluster.minutes, infer: inferMinutes, total: stages.features.minutes + stages.cluster.minutes + inferMinutes };
  return {
    kind: 'labels', row: row.id, set: spec.id, variant: VARIANT, featuresFrom: FEATURES_FROM,
    images: set.ids.filter(Boolean).length, fraction: row.fraction, hand_labels: handLabels, evaluated: evalRows.length,
    backend: infer.backend, feature_epochs: stages.features.epochs, infer_epochs: INFER_EPOCHS ?? null,
    encoder: { ...features.meta.config }, rotation_accuracy: round(stages.features.rotationAccuracy),
    nmi: round(stages.cluster.nmi), purity: round(stages.cluster.purity),
    accuracy: infer.accuracy ?? NaN, ridge_probe_cv_accuracy: infer.ridge_probe_cv_accuracy ?? null,
    per_class: Object.fromEntries(Object.entries(infer.per_class ?? {}).map(([id, v]) => [names.get(id) ?? id, v])),
    knn_1: round(knn[1]!), knn_10: round(knn[10]!),
    minutes: Object.fromEntries(Object.entries(minutes).map(([k, v]) => [k, round(v, 2)])) as LabelRowResult['minutes'],
    engine: ENGINE_AT_START,
    ...(stages.features.engine ? { features_engine: stages.features.engine } : {}),
    env: Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('NATURAL_') || k.startsWith('S3GAN_'))) as Record<string, string>,
    finishedAt: new Date().toISOString(),
    machine: `${process.platform} ${process.arch}, ${cpus().length} cores, Node ${process.version}`,
  };
}

let classifier: TrainedClassifier | null = null;
/** The independent evaluation classifier of the GAN rows: trained once on all 50,000 training images. */
async function independentClassifier(): Promise<TrainedClassifier> {
  // the engine picks its backend when a stage runs; the classifier may be first, so pick it here (wasm + native kernels)
  await selectBackend({ prefer: 'auto' });
  classifier ??= await evalClassifier(join(WORK_DIR, 'eval-classifier.json'), async () => {
    const pkg = ensureCifar10(log);
    const train = await loadSetImages({ id: 'all-train', use: 'tune', parts: (['data_batch_1', 'data_batch_2', 'data_batch_3', 'data_batch_4', 'data_batch_5'] as const).map((batch) => ({ batch, count: 10_000 })) });
    const test = await loadCifarBatch(pkg, 'test_batch');
    log(`eval classifier: training on ${train.labels.length} images, ${CLASSIFIER_EPOCHS} epochs`);
    return { train, test: { pixels: test.pixels, labels: test.labels } };
  }, { epochs: CLASSIFIER_EPOCHS, seed: 7, log });
  return classifier;
}

async function runGan(call: Call, row: GanRowSpec, sets: Map<string, LoadedSet>): Promise<GanRowResult> {
  const c = await independentClassifier();
  const { set, handLabels } = await prepareSet(call, row, sets);
  // an experiment's extra train flags (NATURAL_GAN_FLAGS='{"diffaug":true}'), stored in the row's result
  const flags = { ...row.flags, ...(JSON.parse(process.env.NATURAL_GAN_FLAGS || '{}') as GanRowSpec['flags']) };
  return runGanRow(call, { ...row, flags }, { dir: set.dir, handLabels, classIds: set.classIds, engine: ENGINE_AT_START }, c, { root: process.cwd(), variant: VARIANT, log });
}

const runRow = (call: Call, row: RowSpec, sets: Map<string, LoadedSet>): Promise<RowResult> => (row.kind === 'labels' ? runLabelRow(call, row, sets) : runGan(call, row, sets));

function writeReport(): void {
  writeFileSync(join(OUT_DIR, '..', 'NATURAL.md'), naturalMarkdown(allResults()));
}

function progressLogger() {
  let last = 0;
  let phase = '';
  return <E extends EventName>(event: E, payload: EventPayload<E>) => {
    if (event !== 'job.progress') return;
    const p = payload as EventPayload<'job.progress'>;
    if (p.phase === phase && Date.now() - last < 30_000) return;
    last = Date.now();
    phase = p.phase;
    log(`  ${p.kind} ${p.phase} ${p.done}/${p.total}${p.message ? ` ${p.message}` : ''}`);
  };
}

async function main(argv: string[]): Promise<number> {
  mkdirSync(OUT_DIR, { recursive: true });
  if (argv.includes('--report')) {
    writeReport();
    return 0;
  }
  const rows = selectRows(process.env.ROWS);
  const todo = rows.filter((r) => process.env.NATURAL_RERUN === '1' || !readResult(VARIANT, r.id));
  log(`variant ${VARIANT}${FEATURES_FROM !== VARIANT ? ` (features from ${FEATURES_FROM})` : ''}: ${todo.length} of ${rows.length} rows to run: ${todo.map((r) => r.id).join(', ') || 'none'}`);
  process.env.S3GAN_CONFIG_DIR ??= join(WORK_DIR, 'config');
  const emit = progressLogger();
  const engine = createEngine({ emit, mode: 'cli' });
  const call: Call = (name, params) => (engine.handlers[name] as Handler<typeof name>)(params, { emit }) as Promise<Result<typeof name>>;
  const sets = new Map<string, LoadedSet>();
  try {
    for (const row of todo) {
      const started = Date.now();
      const result = await runRow(call, row, sets);
      const file = resultPath(VARIANT, row.id);
      mkdirSync(join(file, '..'), { recursive: true });
      writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
      writeReport();
      log(`${row.id} done in ${minutesSince(started).toFixed(1)} min: ${result.kind === 'labels' ? `NMI ${result.nmi} accuracy ${result.accuracy} (1-NN ${result.knn_1}, 10-NN ${result.knn_10})` : `CAS ${result.cas_independent}, FD-SS ${result.metrics.fd_ss}`}`);
    }
  } finally {
    await engine.dispose();
  }
  writeReport();
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
