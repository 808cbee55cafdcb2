// A seeded, checkpointable PRNG (mulberry32): every random draw of a run — latents, fake labels,
// batch order, augmentation — comes from here, so a resumed run continues bit-for-bit.
// We never rely on tf.random*: its seedless state is global and cannot be saved. The closure form
// (seededRng) is the same generator for code that only needs numbers (k-means, folds, subsets).

export interface PrngState {
  s: number;
}

export class Prng {
  private s: number;

  constructor(seedOrState: number | PrngState) {
    this.s = (typeof seedOrState === 'number' ? hashSeed(seedOrState) : seedOrState.s) >>> 0;
  }

  state(): PrngState {
    return { s: this.s };
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Standard normal (Box–Muller; no cached spare so the state stays one integer). */
  normal(): number {
    let u = this.next();
    while (u <= 1e-12) u = this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Normal truncated to |x| <= bound by resampling (BigGAN's truncation trick). */
  truncatedNormal(bound: number): number {
    for (;;) {
      const x = this.normal();
      if (Math.abs(x) <= bound) return x;
    }
  }

  fillNormal(out: Float32Array, scale = 1): Float32Array {
    for (let i = 0; i < out.length; i++) out[i] = this.normal() * scale;
    return out;
  }

  /** A fresh generator for a sub-stream (e.g. one epoch's permutation), derived from this seed space. */
  static derive(seed: number, stream: number): Prng {
    return new Prng(hashSeed(seed ^ Math.imul(stream + 1, 0x9e3779b1)));
  }
}

/** Spreads nearby seeds (0, 1, 2…) apart so their streams do not start correlated. */
function hashSeed(seed: number): number {
  let h = (seed >>> 0) ^ 0x85ebca6b;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Fisher–Yates permutation of 0..n-1. */
export function permutation(n: number, rng: Prng): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = p[i]!;
    p[i] = p[j]!;
    p[j] = t;
  }
  return p;
}

/** A draw function: uniform in [0, 1). */
export type Rng = () => number;

/** The same mulberry32 stream started from the raw seed (no hashing): k-means and folds keep their draws. */
export function seededRng(seed: number): Rng {
  const p = new Prng({ s: seed });
  return () => p.next();
}

/** Fisher–Yates shuffle in place. */
export function shuffleInPlace<T>(items: T[] | Int32Array, rng: Rng): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const tmp = items[i]!;
    items[i] = items[j]!;
    items[j] = tmp;
  }
}

/** Index drawn with probability proportional to weights[i] (all >= 0); -1 when they sum to 0. */
export function weightedPick(weights: Float32Array | Float64Array, rng: Rng): number {
  let total = 0;
  for (let i = 0; i < weights.length; i++) total += weights[i]!;
  if (!(total > 0)) return -1;
  let r = rng() * total;
  for (let i = 0; i < weights.length; i++) {
    r -= weights[i]!;
    if (r < 0 && weights[i]! > 0) return i;
  }
  // Rounding left r >= 0: take the last positive weight.
  for (let i = weights.length - 1; i >= 0; i--) if (weights[i]! > 0) return i;
  return -1;
}
