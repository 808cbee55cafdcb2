// The model config both networks are built from (nanoGPT's GPTConfig), as one zod schema: its type,
// its validation when a run is read back, and the width tables the defaults need. In shared/ because
// the Train form computes the same default widths the engine does.
import { z } from 'zod';

/** Channel multipliers per G block (compare_gan's resnet_biggan; 8/16 px extend the 32 px pattern). */
export const G_MULTIPLIERS: Readonly<Record<number, readonly number[]>> = {
  8: [4, 4],
  16: [4, 4, 4],
  32: [4, 4, 4, 4],
  64: [16, 16, 8, 4, 2],
  128: [16, 16, 8, 4, 2, 1],
};

export const D_MULTIPLIERS: Readonly<Record<number, readonly number[]>> = {
  8: [2, 2],
  16: [2, 2, 2],
  32: [2, 2, 2, 2],
  64: [2, 4, 8, 16, 16],
  128: [1, 2, 4, 8, 16, 16],
};

export const SUPPORTED_RESOLUTIONS: readonly number[] = Object.keys(G_MULTIPLIERS).map(Number);

export const GanHeads = z.object({
  /** Projection term <embed(y), D̃(x)> (always on for conditional presets). */
  projection: z.boolean(),
  /** 4-way rotation head (self-supervision). */
  rotation: z.boolean(),
  /** Linear classifier head for co-training. */
  classifier: z.boolean(),
}).strict();
export type GanHeads = z.infer<typeof GanHeads>;

export const GanConfig = z.object({
  /** Square images, one of SUPPORTED_RESOLUTIONS. */
  resolution: z.number().int().refine((r) => SUPPORTED_RESOLUTIONS.includes(r), { message: `resolution must be one of ${SUPPORTED_RESOLUTIONS.join(', ')}` }),
  channels: z.union([z.literal(1), z.literal(3)]),
  /** Base channel width; BigGAN uses 96 at 128 px. */
  ch: z.number().int().positive(),
  /** D's base width when it differs from G's (`ch`); configs saved without it use `ch`. */
  dCh: z.number().int().positive().optional(),
  zDim: z.number().int().positive(),
  /** Split z into one chunk per G block (+ one for the seed), concatenated to y. */
  hierarchicalZ: z.boolean(),
  /** >= 1 ('single' uses 1). */
  numClasses: z.number().int().positive(),
  /** G's shared class embedding width (compare_gan embed_y_dim = 128). */
  embedYDim: z.number().int().positive(),
  /** BigGAN also normalises G's convs. */
  gSpectralNorm: z.boolean(),
  /**
   * The first linear layer sees [z₀, embed(y)] (BigGAN-deep) instead of z₀ alone. At CPU widths the
   * per-channel cBN scales alone barely move the 4×4 layout the seed fixes, and every class drew the
   * same digit shape (measured: 800 fully supervised MNIST steps at ch 8 left class differences at a
   * fifth of z differences). Absent in configs saved before it existed = off (they rebuild unchanged).
   */
  conditionSeed: z.boolean().optional(),
  heads: GanHeads,
}).strict();
export type GanConfig = z.infer<typeof GanConfig>;

/** Base width when none is given: small enough for CPU/wasm at low resolution, BigGAN-like at 128 px. */
export function defaultCh(resolution: number): number {
  return resolution <= 32 ? 8 : resolution <= 64 ? 32 : 64;
}

/**
 * D's base width when none is given: D's widest block as wide as G's. compare_gan's D multipliers at
 * ≤ 32 px are half of G's (2 vs 4), which at CPU widths left D too weak to punish a G that ignores z:
 * MNIST 16 px, ch 8, 2,000 S³GAN steps — D at 16 channels: FD-SS 0.108, diversity_ss 0.46, CAS 0.80;
 * D at 32 (as G): FD-SS 0.017, diversity_ss 0.89, CAS 0.88. At 64–128 px it equals ch.
 */
export function defaultDCh(resolution: number, ch: number): number {
  const g = G_MULTIPLIERS[resolution];
  const d = D_MULTIPLIERS[resolution];
  if (!g || !d) throw new Error(`Unsupported resolution ${resolution}; use one of ${SUPPORTED_RESOLUTIONS.join(', ')}`);
  return Math.max(1, Math.round((ch * Math.max(...g)) / Math.max(...d)));
}

/** Smallest supported resolution >= size (projects may store e.g. 28 px MNIST; we train at 32). */
export function trainingResolutionFor(size: number): number {
  return SUPPORTED_RESOLUTIONS.find((r) => r >= size) ?? SUPPORTED_RESOLUTIONS[SUPPORTED_RESOLUTIONS.length - 1]!;
}
