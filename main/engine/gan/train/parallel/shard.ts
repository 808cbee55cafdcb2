// Splits one full training batch into N equal shards for data-parallel training, laid out so that the
// average of the shards' losses (and gradients) equals the full batch's: every shard gets the same
// number of hand-labeled reals (first, as the co-training CE expects), and the images the rotation
// head sees — the last `rotated` of a batch — are spread so each shard's tail is a slice of the full
// batch's tail. Requires batch, labeled count and rotated count divisible by N (checked up front).
import type { FakeBatch, RealBatch } from '../batches';
import type { AugmentParams } from '../diffaugment';

/** Row indices of the full batch per shard. `head` rows come first, the batch's last `tail` rows last. */
export function shardRows(batch: number, n: number, lead: number, tail: number): number[][] {
  const per = batch / n;
  const [l, t] = [lead / n, tail / n];
  const middle = batch - lead - tail;
  const m = middle / n;
  return Array.from({ length: n }, (_, k) => [
    ...range(k * l, l),
    ...range(lead + k * m, m),
    ...range(batch - tail + k * t, t),
  ]).map((rows) => {
    if (rows.length !== per) throw new Error('shardRows: uneven split');
    return rows;
  });
}

function range(start: number, len: number): number[] {
  return Array.from({ length: len }, (_, i) => start + i);
}

/** Why this batch cannot be split evenly over n workers, or null. */
export function shardProblem(batch: number, n: number, labeled: number, rotated: number): string | null {
  const bad = [['batch', batch], ['labeled images per batch', labeled], ['rotated images per batch', rotated]]
    .filter(([, v]) => (v as number) % n !== 0).map(([k, v]) => `${k} ${v}`);
  if (bad.length === 0 && labeled + rotated > batch && labeled > 0 && rotated > 0) return `labeled ${labeled} + rotated ${rotated} exceed batch ${batch}`;
  return bad.length ? `${bad.join(', ')} not divisible by ${n} workers` : null;
}

function pick<T extends Float32Array | Int32Array>(src: T, rows: number[], width: number): T {
  const out = new (src.constructor as new (n: number) => T)(rows.length * width);
  rows.forEach((r, i) => out.set(src.subarray(r * width, (r + 1) * width), i * width));
  return out;
}

export function shardReal(b: RealBatch, rows: number[], labeledPerShard: number): RealBatch {
  const px = b.images.length / b.labels.length;
  return { images: pick(b.images, rows, px), labels: pick(b.labels, rows, 1), labeled: b.labeled > 0 ? labeledPerShard : 0 };
}

export function shardFake(b: FakeBatch, rows: number[]): FakeBatch {
  const zDim = b.z.length / b.labels.length;
  return { z: pick(b.z, rows, zDim), labels: pick(b.labels, rows, 1) };
}

export function shardAugment(a: AugmentParams, rows: number[]): AugmentParams {
  const px = a.cutoutMask.length / a.brightness.length;
  return {
    brightness: pick(a.brightness, rows, 1), saturation: pick(a.saturation, rows, 1), contrast: pick(a.contrast, rows, 1),
    shiftY: pick(a.shiftY, rows, 1), shiftX: pick(a.shiftX, rows, 1), cutoutMask: pick(a.cutoutMask, rows, px),
  };
}
