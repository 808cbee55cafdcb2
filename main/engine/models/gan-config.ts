// The one typed config both networks are built from (nanoGPT's GPTConfig): saved with every checkpoint,
// so a checkpoint alone rebuilds its models. Channel multipliers follow compare_gan's resnet_biggan
// (32/64/128 px); 8 and 16 px extend the 32 px pattern for tiny CPU runs and tests.

import { D_MULTIPLIERS, G_MULTIPLIERS, SUPPORTED_RESOLUTIONS, type GanConfig } from '../../../shared/schemas/gan-config';

export { defaultCh, defaultDCh, SUPPORTED_RESOLUTIONS, trainingResolutionFor } from '../../../shared/schemas/gan-config';
export type { GanConfig, GanHeads } from '../../../shared/schemas/gan-config';

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
