// From a project's Dataset to the labels a preset trains on (DESIGN.md §4 stage 3). A preset whose input
// stage has not run stops here, before any model is built, saying which command to run.
import { ContractError } from '../../../../shared/contract';
import type { Dataset } from '../../base/dataset';
import { readClusters } from '../../pipeline/cluster-stage';
import { readInfer } from '../../pipeline/infer-stage';
import type { TrainingData } from './batches';
import type { LabelSourceKind } from './presets';
import { Prng } from '../../base/prng';

const RANDOM_LABEL_STREAM = 11;

export interface ResolvedLabels {
  /** Image ids of the training set, in TrainingData order. */
  ids: string[];
  labels: Int32Array;
  labeledPool: Int32Array;
  numClasses: number;
  classNames: string[];
  classIds: string[];
}

function missing(message: string): ContractError {
  return new ContractError('STAGE_MISSING', message);
}

function requireHandLabels(ds: Dataset): void {
  if (!ds.handLabels.some((l) => l >= 0)) throw missing('no hand-labeled images yet: label a few images per class first (Label view or `s3gan labels`)');
}

function requireClasses(ds: Dataset): void {
  if (ds.classes.length === 0) throw missing('the project has no classes yet: add classes first (Label view or `s3gan labels`)');
}

function all(ds: Dataset, labels: Int32Array, labeledPool: Int32Array = new Int32Array(0)): ResolvedLabels {
  return { ids: ds.ids, labels, labeledPool, numClasses: ds.classes.length, classNames: ds.classes.map((c) => c.name), classIds: ds.classes.map((c) => c.id) };
}

/** Keeps images whose label is >= 0. */
function known(ds: Dataset, labels: Int32Array, extra: Omit<ResolvedLabels, 'ids' | 'labels' | 'labeledPool'>): ResolvedLabels {
  const keep: number[] = [];
  labels.forEach((l, i) => l >= 0 && keep.push(i));
  return { ids: keep.map((i) => ds.ids[i]!), labels: Int32Array.from(keep, (i) => labels[i]!), labeledPool: new Int32Array(0), ...extra };
}

export function resolveLabels(ds: Dataset, kind: LabelSourceKind, opts: { projectDir: string; seed: number; truth: boolean }): ResolvedLabels {
  const named = { numClasses: ds.classes.length, classNames: ds.classes.map((c) => c.name), classIds: ds.classes.map((c) => c.id) };
  if (opts.truth && kind !== 'single') {
    if (!ds.truth || !ds.truth.some((t) => t >= 0)) throw missing('--labels truth needs evaluation truth in the project (`s3gan labels import --truth`)');
    requireClasses(ds);
    const r = known(ds, ds.truth, named);
    // Co-training presets then learn their classifier head from every (truth-)labeled image.
    return kind === 'co-training' ? { ...r, labeledPool: Int32Array.from(r.labels.keys()) } : r;
  }
  switch (kind) {
    case 'single':
      return { ...all(ds, new Int32Array(ds.n)), numClasses: 1, classNames: ['all images'], classIds: [] };
    case 'random': {
      requireClasses(ds);
      const rng = Prng.derive(opts.seed, RANDOM_LABEL_STREAM);
      return all(ds, Int32Array.from({ length: ds.n }, () => rng.int(ds.classes.length)));
    }
    case 'clusters': {
      const file = readClusters(opts.projectDir);
      if (!file) throw missing('no clusters yet: run `s3gan cluster` first (after `s3gan features`)');
      const byId = new Map(file.ids.map((id, i) => [id, file.assignments[i]!]));
      const labels = Int32Array.from(ds.ids, (id) => byId.get(id) ?? -1);
      return known(ds, labels, { numClasses: file.k, classNames: Array.from({ length: file.k }, (_, i) => `cluster ${i}`), classIds: [] });
    }
    case 'inferred': {
      requireClasses(ds);
      const file = readInfer(opts.projectDir);
      if (!file) throw missing('no inferred labels yet: run `s3gan infer` first (after `s3gan features` and some hand labels)');
      const classIndex = new Map(ds.classes.map((c, i) => [c.id, i]));
      const byId = new Map(file.ids.map((id, i) => [id, file.predicted[i]]));
      // Hand labels always override inferred ones (labels may have changed since the infer stage ran).
      const labels = Int32Array.from(ds.ids, (id, i) => (ds.handLabels[i]! >= 0 ? ds.handLabels[i]! : classIndex.get(byId.get(id) ?? '') ?? -1));
      return known(ds, labels, named);
    }
    case 'co-training': {
      requireClasses(ds);
      requireHandLabels(ds);
      const pool: number[] = [];
      ds.handLabels.forEach((l, i) => l >= 0 && pool.push(i));
      return all(ds, Int32Array.from(ds.handLabels), Int32Array.from(pool));
    }
    case 'hand-only':
      requireClasses(ds);
      requireHandLabels(ds);
      return known(ds, ds.handLabels, named);
  }
}

/** Pixels of `ids` (in that order) copied out of the dataset; ids absent from it are reported. */
export function trainingData(ds: Dataset, r: ResolvedLabels): { data: TrainingData; missingIds: number } {
  const rowOf = new Map(ds.ids.map((id, i) => [id, i]));
  const px = ds.height * ds.width * ds.channels;
  const rows: number[] = [];
  const keepIndex = new Int32Array(r.ids.length).fill(-1);
  r.ids.forEach((id, i) => {
    const row = rowOf.get(id);
    if (row === undefined) return;
    keepIndex[i] = rows.length;
    rows.push(row);
  });
  const pixels = new Uint8Array(rows.length * px);
  rows.forEach((row, i) => pixels.set(ds.pixels.subarray(row * px, (row + 1) * px), i * px));
  const labels = new Int32Array(rows.length);
  keepIndex.forEach((k, i) => k >= 0 && (labels[k] = r.labels[i]!));
  const pool: number[] = [];
  r.labeledPool.forEach((i) => keepIndex[i]! >= 0 && pool.push(keepIndex[i]!));
  if (ds.height !== ds.width) throw new Error(`training images must be square, got ${ds.width}×${ds.height}`);
  return {
    data: { pixels, n: rows.length, size: ds.height, channels: ds.channels, labels, labeledPool: Int32Array.from(pool), numClasses: r.numClasses },
    missingIds: r.ids.length - rows.length,
  };
}
