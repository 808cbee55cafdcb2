// The pure parts of bench:natural (no network, no package): PNG rows → images, seeded picks, kNN.
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeImageRows } from './cifar10';
import { cosineKnnAccuracy, unitRows } from './knn';
import { stratifiedPicks } from './picks';
import { claimLines } from './report';
import { DEFAULT_VARIANT, type GanRowResult } from './results';
import { ROWS, selectRows } from './rows';

describe('decodeImageRows', () => {
  it('turns each PNG row of side² RGB pixels into one row-major HWC image', async () => {
    const side = 4;
    const n = 3;
    // pixel value encodes (image, y, x, channel) so any transposition shows
    const raw = Buffer.alloc(n * side * side * 3);
    for (let i = 0; i < n; i++) for (let y = 0; y < side; y++) for (let x = 0; x < side; x++) for (let c = 0; c < 3; c++) raw[((i * side + y) * side + x) * 3 + c] = i * 64 + y * 12 + x * 3 + c;
    const png = await sharp(raw, { raw: { width: side * side, height: n, channels: 3 } }).png().toBuffer();
    const out = await decodeImageRows(png, side);
    expect(out.n).toBe(n);
    expect(out.side).toBe(side);
    expect(out.pixels.length).toBe(n * side * side * 3);
    const at = (i: number, y: number, x: number, c: number) => out.pixels[((i * side + y) * side + x) * 3 + c];
    expect(at(2, 1, 3, 2)).toBe(2 * 64 + 12 + 9 + 2);
    expect(at(1, 3, 0, 0)).toBe(64 + 36);
    expect(Buffer.from(out.pixels)).toEqual(raw);
  });

  it('rejects a PNG whose rows are not side² pixels wide', async () => {
    const png = await sharp(Buffer.alloc(10 * 2 * 3), { raw: { width: 10, height: 2, channels: 3 } }).png().toBuffer();
    await expect(decodeImageRows(png, 4)).rejects.toThrow(/rows of 16 pixels/);
  });
});

describe('stratifiedPicks', () => {
  const labels = Array.from({ length: 1000 }, (_, i) => i % 10);

  it('takes round(fraction · class size) of every class, at least one', () => {
    const picks = stratifiedPicks(labels, 10, 0.05, 1);
    expect(picks.size).toBe(50);
    for (let c = 0; c < 10; c++) expect([...picks].filter((i) => labels[i] === c)).toHaveLength(5);
    expect(stratifiedPicks(labels, 10, 0.001, 1).size).toBe(10);
  });

  it('is seeded and nested: 1 % ⊂ 5 % ⊂ 10 %', () => {
    const p1 = stratifiedPicks(labels, 10, 0.01, 3);
    const p5 = stratifiedPicks(labels, 10, 0.05, 3);
    const p10 = stratifiedPicks(labels, 10, 0.1, 3);
    expect([...p1].every((i) => p5.has(i))).toBe(true);
    expect([...p5].every((i) => p10.has(i))).toBe(true);
    expect([...stratifiedPicks(labels, 10, 0.05, 3)]).toEqual([...p5]);
    expect([...stratifiedPicks(labels, 10, 0.05, 4)]).not.toEqual([...p5]);
  });
});

describe('cosineKnnAccuracy', () => {
  it('scores 1-NN and k-NN by cosine similarity with majority vote', () => {
    // class 0 points along +x, class 1 along +y; scale must not matter (cosine)
    const x = [1, 0.1, 5, 0.4, 0.2, 1, 0.1, 3, /* eval */ 2, 0.3, 0.3, 4, /* ambiguous: nearest is class 1 */ 1, 1.05];
    const unit = unitRows(x, 7, 2);
    const acc = cosineKnnAccuracy(unit, 2, [0, 1, 2, 3], [0, 0, 1, 1], [4, 5, 6], [0, 1, 1], 2, [1, 3]);
    expect(acc[1]).toBeCloseTo(1);
    // 3-NN of the ambiguous point: two class-1 points and one class-0 → still 1
    expect(acc[3]).toBeCloseTo(1);
    const wrongTruth = cosineKnnAccuracy(unit, 2, [0, 1, 2, 3], [0, 0, 1, 1], [4, 5, 6], [1, 1, 1], 2, [1]);
    expect(wrongTruth[1]).toBeCloseTo(2 / 3);
  });

  it('breaks a vote tie by summed similarity', () => {
    const unit = unitRows([1, 0, 0, 1, 1, 0.2], 3, 2);
    // 2-NN of [1, 0.2]: one vote each; class 0 ([1, 0]) is closer
    expect(cosineKnnAccuracy(unit, 2, [0, 1], [0, 1], [2], [0], 2, [2])[2]).toBe(1);
  });
});

describe('rows', () => {
  it('ROWS= selects rows by name and rejects unknown ones', () => {
    expect(selectRows(undefined)).toEqual(ROWS);
    expect(selectRows('test-5k-10pct, train-5k-1pct').map((r) => r.id)).toEqual(['test-5k-10pct', 'train-5k-1pct']);
    expect(() => selectRows('train-5k-50pct')).toThrow(/unknown row/);
  });
});

describe("claimLines (the paper's claim in the GAN table)", () => {
  const row = (method: string, labels: 'project' | 'truth', cas: number, fd: number): GanRowResult => ({
    kind: 'gan', row: `${method}-${labels}`, set: 'train-5k', variant: DEFAULT_VARIANT, method, labels, fraction: 0.1, hand_labels: 50,
    steps: 10, flags: {}, run: 'r', backend: 'cpu', img_per_s: 1, minutes: 1, metrics: { fd_ss: fd }, cas_independent: cas,
    cas_independent_per_class: {}, classifier: { epochs: 1, trainImages: 1, testAccuracy: 0.5, minutes: 1 }, grid: 'g.png',
    engine: { commit: 'x', dirty: [] }, finishedAt: '', machine: '',
  });
  it('says how much of the hand-only → fully supervised gap S³GAN closes, per metric', () => {
    const lines = claimLines([row('s3gan', 'project', 0.7, 0.05), row('supervised', 'project', 0.5, 0.06), row('supervised', 'truth', 0.8, 0.02)]);
    expect(lines.find((l) => l.startsWith('- CAS'))).toContain('closes 67 %');
    expect(lines.find((l) => l.startsWith('- CAS'))).toContain('claim holds');
    expect(lines.find((l) => l.startsWith('- FD-SS'))).toContain('closes 25 %');
    expect(lines.find((l) => l.startsWith('- FD-SS'))).toContain('claim does not hold');
  });
  it('says when the fully supervised run is no better than hand labels only, and needs all three rows', () => {
    const lines = claimLines([row('s3gan', 'project', 0.5, 0.05), row('supervised', 'project', 0.47, 0.06), row('supervised', 'truth', 0.4, 0.02)]);
    expect(lines.find((l) => l.startsWith('- CAS'))).toContain('cannot test the claim here; S³GAN is above both');
    expect(claimLines([row('s3gan', 'project', 0.5, 0.05)])).toEqual([]);
  });
});
