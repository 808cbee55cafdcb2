// Honest accuracy estimate from hand labels alone: k-fold cross-validation of a ridge head refit on
// frozen features per fold (the network is never retrained per fold, so this costs milliseconds).
import { seededRng, shuffleInPlace } from '../base/prng';
import { fitRidge, predictRidge } from './ridge';

/**
 * Fold index per item. Each class's items are shuffled and dealt round-robin, continuing where the
 * previous class stopped, so folds are stratified where a class has ≥ folds items and balanced in size.
 */
export function stratifiedFolds(labels: ArrayLike<number>, folds: number, seed = 0): Int32Array {
  const rng = seededRng(seed);
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const list = byClass.get(labels[i]!) ?? [];
    list.push(i);
    byClass.set(labels[i]!, list);
  }
  const out = new Int32Array(labels.length);
  let next = 0;
  for (const cls of [...byClass.keys()].sort((a, b) => a - b)) {
    const items = byClass.get(cls)!;
    shuffleInPlace(items, rng);
    for (const i of items) {
      out[i] = next;
      next = (next + 1) % folds;
    }
  }
  return out;
}

export interface CrossValidation {
  accuracy: number;
  folds: number;
  /**
   * Items scored. An item whose class has no other labeled example (so its training fold cannot
   * contain the class) is left out: no head could predict it, which says nothing about the features.
   */
  n: number;
  /** confusion[true][predicted] over the held-out predictions (k × k). */
  confusion: number[][];
}

/** null when nothing can be estimated: fewer than 2 labeled items, one class, or no class with ≥ 2 labels. */
export function crossValidatedAccuracy(features: Float32Array, dim: number, labels: ArrayLike<number>, k: number, opts: { folds?: number; seed?: number; lambda?: number } = {}): CrossValidation | null {
  const n = labels.length;
  if (n < 2 || new Set(Array.from(labels)).size < 2) return null;
  const folds = Math.min(opts.folds ?? 5, n);
  const foldOf = stratifiedFolds(labels, folds, opts.seed ?? 0);
  let correct = 0;
  let scored = 0;
  const confusion = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let f = 0; f < folds; f++) {
    const train: number[] = [];
    const test: number[] = [];
    for (let i = 0; i < n; i++) (foldOf[i] === f ? test : train).push(i);
    if (test.length === 0 || train.length === 0) continue;
    const model = fitRidge(gatherRows(features, dim, train), dim, train.map((i) => labels[i]!), k, opts.lambda);
    const inTrain = new Set(train.map((i) => labels[i]!));
    const scorable = test.filter((i) => inTrain.has(labels[i]!));
    if (scorable.length === 0) continue;
    const predicted = predictRidge(model, gatherRows(features, dim, scorable));
    scorable.forEach((i, t) => {
      scored += 1;
      if (predicted[t] === labels[i]) correct += 1;
      const row = confusion[labels[i]!];
      if (row && predicted[t]! >= 0 && predicted[t]! < k) row[predicted[t]!]! += 1;
    });
  }
  return scored > 0 ? { accuracy: correct / scored, folds, n: scored, confusion } : null;
}

export function gatherRows(features: Float32Array, dim: number, rows: number[]): Float32Array {
  const out = new Float32Array(rows.length * dim);
  rows.forEach((r, j) => out.set(features.subarray(r * dim, (r + 1) * dim), j * dim));
  return out;
}
