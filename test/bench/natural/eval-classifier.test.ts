import { describe, expect, it } from 'vitest';
import { Prng } from '../../../main/engine/base/prng';
import { accuracyOf, augment } from './eval-classifier';

const PX = 32 * 32 * 3;

/** One image whose every pixel encodes its own x (R), y (G) and a marker (B). */
function coordinateImage(): Uint8Array {
  const img = new Uint8Array(PX);
  for (let y = 0; y < 32; y++) for (let x = 0; x < 32; x++) img.set([x, y, 200], (y * 32 + x) * 3);
  return img;
}

describe('eval classifier augmentation', () => {
  it('moves whole pixels: every kept pixel comes from a flip and a shift of at most 2 px, the rest is grey', () => {
    const src = coordinateImage();
    const rng = new Prng(3);
    let flips = 0;
    for (let trial = 0; trial < 40; trial++) {
      const out = augment(src, [0], rng);
      // the vertical shift is read back from the centre pixel; every kept pixel must agree with it
      const dy = out[(16 * 32 + 16) * 3 + 1]! - 16;
      expect(Math.abs(dy)).toBeLessThanOrEqual(2);
      let grey = 0;
      for (let y = 0; y < 32; y++) {
        for (let x = 0; x < 32; x++) {
          const d = (y * 32 + x) * 3;
          if (out[d + 2] === 128) {
            grey += 1;
            continue;
          }
          expect(out[d + 2]).toBe(200);
          expect(out[d + 1]).toBe(y + dy);
        }
      }
      expect(grey).toBeLessThanOrEqual(2 * 32 * 2 + 2 * 32 * 2);
      // row 16 reads left to right increasing (no flip) or decreasing (flip)
      const row = Array.from({ length: 32 }, (_, x) => out[(16 * 32 + x) * 3 + 2] === 200 ? out[(16 * 32 + x) * 3]! : null).filter((v): v is number => v !== null);
      const steps = row.slice(1).map((v, i) => v - row[i]!);
      expect(steps.every((s) => s === 1) || steps.every((s) => s === -1)).toBe(true);
      if (steps[0] === -1) flips += 1;
    }
    expect(flips).toBeGreaterThan(5);
    expect(flips).toBeLessThan(35);
  });

  it('accuracy counts exact matches', () => {
    expect(accuracyOf([1, 2, 3, 4], Int32Array.from([1, 0, 3, 0]))).toBe(0.5);
    expect(Number.isNaN(accuracyOf([], []))).toBe(true);
  });
});
