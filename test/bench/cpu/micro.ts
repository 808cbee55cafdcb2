// Alternating A/B timing of small tf computations for the perf notes: each round runs every variant
// once (order rotated per round), so machine noise hits all alike; reports min and median wall ms.
import * as tf from '@tensorflow/tfjs';
import { median } from './ours';

export type Variant = () => tf.Tensor | tf.Tensor[];

/** Runs f, waits for its results (dataSync) and disposes everything it made. */
function runOnce(f: Variant): number {
  const t = performance.now();
  const out = tf.tidy(f);
  for (const o of Array.isArray(out) ? out : [out]) o.dataSync(); // never return the array from tidy
  const ms = performance.now() - t;
  tf.dispose(out);
  return ms;
}

export function compare(variants: Record<string, Variant>, rounds = 9): Record<string, { min: number; median: number }> {
  const names = Object.keys(variants);
  const times: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (const n of names) runOnce(variants[n]!); // warm-up
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < names.length; i++) {
      const n = names[(i + r) % names.length]!;
      times[n]!.push(runOnce(variants[n]!));
    }
  }
  return Object.fromEntries(names.map((n) => [n, { min: Math.min(...times[n]!), median: median(times[n]!) }]));
}

export function printComparison(title: string, r: Record<string, { min: number; median: number }>): void {
  const base = Object.values(r)[0]!;
  console.log(`${title}`);
  for (const [n, v] of Object.entries(r)) {
    console.log(`  ${n.padEnd(28)} min ${v.min.toFixed(2).padStart(9)} ms  median ${v.median.toFixed(2).padStart(9)} ms  (median ×${(v.median / base.median).toFixed(2)} of first)`);
  }
}
