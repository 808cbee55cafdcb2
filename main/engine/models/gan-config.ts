// The one typed config both networks are built from (nanoGPT's GPTConfig): saved with every checkpoint,
// so a checkpoint alone rebuilds its models. Channel multipliers follow compare_gan's resnet_biggan
// (32/64/128 px); 8 and 16 px extend the 32 px pattern for tiny CPU runs and tests.

export interface GanHeads {
  /** Projection term <embed(y), D̃(x)> (always on for conditional presets). */
  projection: boolean;
  /** 4-way rotation head (self-supervision). */
  rotation: boolean;
  /** Linear classifier head for co-training. */
  classifier: boolean;
}

export interface GanConfig {
  resolution: number; // square images, power of two in [8, 128]
  channels: 1 | 3;
  ch: number; // base channel width; BigGAN uses 96 at 128 px
  /** D's base width when it differs from G's (`ch`); configs saved without it use `ch`. */
  dCh?: number;
  zDim: number;
  hierarchicalZ: boolean; // split z into one chunk per G block (+ one for the seed), concatenated to y
  numClasses: number; // >= 1 ('single' uses 1)
  embedYDim: number; // G's shared class embedding width (compare_gan embed_y_dim = 128)
  gSpectralNorm: boolean; // BigGAN also normalises G's convs
  /**
   * The first linear layer sees [z₀, embed(y)] (BigGAN-deep) instead of z₀ alone. At CPU widths the
   * per-channel cBN scales alone barely move the 4×4 layout the seed fixes, and every class drew the
   * same digit shape (measured: 800 fully supervised MNIST steps at ch 8 left class differences at a
   * fifth of z differences). Absent in configs saved before it existed = off (they rebuild unchanged).
   */
  conditionSeed?: boolean;
  heads: GanHeads;
}

const G_MULTIPLIERS: Record<number, number[]> = {
  8: [4, 4],
  16: [4, 4, 4],
  32: [4, 4, 4, 4],
  64: [16, 16, 8, 4, 2],
  128: [16, 16, 8, 4, 2, 1],
};

const D_MULTIPLIERS: Record<number, number[]> = {
  8: [2, 2],
  16: [2, 2, 2],
  32: [2, 2, 2, 2],
  64: [2, 4, 8, 16, 16],
  128: [1, 2, 4, 8, 16, 16],
};

export const SUPPORTED_RESOLUTIONS = Object.keys(G_MULTIPLIERS).map(Number);

/** G blocks upsample 4×4 → resolution; [in, out] channels per block. */
export function generatorChannels(cfg: Pick<GanConfig, 'resolution' | 'ch'>): { in: number[]; out: number[] } {
  const m = G_MULTIPLIERS[cfg.resolution];
  if (!m) throw new Error(`Unsupported resolution ${cfg.resolution}; use one of ${SUPPORTED_RESOLUTIONS.join(', ')}`);
  return { in: m.slice(0, -1).map((c) => c * cfg.ch), out: m.slice(1).map((c) => c * cfg.ch) };
}

/** D blocks downsample to 4×4 except the last; [in, out] channels per block. */
export function discriminatorChannels(cfg: Pick<GanConfig, 'resolution' | 'ch' | 'dCh' | 'channels'>): { in: number[]; out: number[] } {
  const m = D_MULTIPLIERS[cfg.resolution];
  if (!m) throw new Error(`Unsupported resolution ${cfg.resolution}; use one of ${SUPPORTED_RESOLUTIONS.join(', ')}`);
  const out = m.map((c) => c * (cfg.dCh ?? cfg.ch));
  return { in: [cfg.channels, ...out.slice(0, -1)], out };
}

/** Sizes of z's chunks: [seed chunk, one per block] when hierarchical, else [zDim]. */
export function zChunks(cfg: Pick<GanConfig, 'zDim' | 'hierarchicalZ' | 'resolution' | 'ch'>): number[] {
  if (!cfg.hierarchicalZ) return [cfg.zDim];
  const parts = generatorChannels(cfg).in.length + 1;
  const base = Math.floor(cfg.zDim / parts);
  // Any remainder goes to the seed chunk so every block still gets `base` dims.
  return Array.from({ length: parts }, (_, i) => base + (i === 0 ? cfg.zDim - base * parts : 0));
}

export function defaultZDim(resolution: number): number {
  const blocks = (G_MULTIPLIERS[resolution]?.length ?? 4) - 1;
  return 20 * (blocks + 1); // 120 at 128 px, like BigGAN
}

/** Fills defaults and validates; throws a readable Error on impossible combinations. */
export function makeGanConfig(partial: Partial<GanConfig> & Pick<GanConfig, 'resolution' | 'numClasses'>): GanConfig {
  const cfg: GanConfig = {
    channels: 3,
    ch: 32,
    zDim: defaultZDim(partial.resolution),
    hierarchicalZ: true,
    embedYDim: 128,
    gSpectralNorm: true,
    conditionSeed: true,
    heads: { projection: true, rotation: false, classifier: false },
    ...partial,
  };
  if (!G_MULTIPLIERS[cfg.resolution]) throw new Error(`Unsupported resolution ${cfg.resolution}; use one of ${SUPPORTED_RESOLUTIONS.join(', ')}`);
  if (!(cfg.ch >= 1 && Number.isInteger(cfg.ch))) throw new Error(`ch must be a positive integer, got ${cfg.ch}`);
  if (cfg.dCh !== undefined && !(cfg.dCh >= 1 && Number.isInteger(cfg.dCh))) throw new Error(`dCh must be a positive integer, got ${cfg.dCh}`);
  if (!(cfg.numClasses >= 1 && Number.isInteger(cfg.numClasses))) throw new Error(`numClasses must be >= 1, got ${cfg.numClasses}`);
  if (cfg.hierarchicalZ && cfg.zDim < zChunks({ ...cfg, zDim: 0 }).length) {
    throw new Error(`zDim ${cfg.zDim} is too small to split over ${zChunks({ ...cfg, zDim: 0 }).length} chunks`);
  }
  if (cfg.channels !== 1 && cfg.channels !== 3) throw new Error(`channels must be 1 or 3, got ${String(cfg.channels)}`);
  return cfg;
}

/** Smallest supported resolution >= size (projects may store e.g. 28 px MNIST; we train at 32). */
export function trainingResolutionFor(size: number): number {
  return SUPPORTED_RESOLUTIONS.find((r) => r >= size) ?? SUPPORTED_RESOLUTIONS[SUPPORTED_RESOLUTIONS.length - 1]!;
}

/**
 * D's base width when none is given: D's widest block as wide as G's. compare_gan's D multipliers at
 * ≤ 32 px are half of G's (2 vs 4), which at CPU widths left D too weak to punish a G that ignores z:
 * MNIST 16 px, ch 8, 2,000 S³GAN steps — D at 16 channels: FD-SS 0.108, diversity_ss 0.46, CAS 0.80;
 * D at 32 (as G): FD-SS 0.017 (floor 0.012), diversity_ss 0.89, CAS 0.88. At 64–128 px it equals ch.
 */
export function defaultDCh(resolution: number, ch: number): number {
  const g = G_MULTIPLIERS[resolution];
  const d = D_MULTIPLIERS[resolution];
  if (!g || !d) throw new Error(`Unsupported resolution ${resolution}; use one of ${SUPPORTED_RESOLUTIONS.join(', ')}`);
  return Math.max(1, Math.round((ch * Math.max(...g)) / Math.max(...d)));
}

/** Base width when none is given: small enough for CPU/wasm at low resolution, BigGAN-like at 128 px. */
export function defaultCh(resolution: number): number {
  return resolution <= 16 ? 8 : resolution <= 32 ? 8 : resolution <= 64 ? 32 : 64;
}
