// The paper's methods as the Train view explains them, and starting values per compute backend.
import type { Method, TrainParams } from '../../../../shared/contract';

export interface PresetInfo {
  method: Method;
  title: string;
  text: string;
  /** The stage whose result the preset trains on (the Pipeline warns when it is missing or stale). */
  needs: 'cluster' | 'infer' | null;
}

export const presets: PresetInfo[] = [
  { method: 's3gan', title: 'S³GAN', needs: null, text: 'Co-training plus self-supervision: the discriminator gets a classifier head trained on your hand labels that labels the rest during training (co-training), plus rotation self-supervision. 10% labels matched fully supervised BigGAN on ImageNet.' },
  { method: 's2gan-ss', title: 'S²GAN + SS', needs: 'infer', text: 'Pre-trained S⁴L labels plus rotation self-supervision in the discriminator. The paper finds pre-trained labels beat co-training, and self-supervision helps everywhere.' },
  { method: 's2gan-co', title: 'S²GAN-CO', needs: null, text: 'Co-training only: a classifier head on the discriminator learns from the hand labels and predicts labels for unlabeled real images.' },
  { method: 's2gan', title: 'S²GAN', needs: 'infer', text: 'Trains on the S⁴L inferred labels (hard labels; hand labels override). Pre-trained labels beat co-training in the paper. Run "Inferred labels" first.' },
  { method: 'clustering-ss', title: 'Clustering (SS)', needs: 'cluster', text: 'Unsupervised: k-means cluster ids of the self-supervised features act as labels, with rotation self-supervision in D.' },
  { method: 'clustering', title: 'Clustering', needs: 'cluster', text: 'Unsupervised: k-means cluster ids act as labels. Needs the Clusters stage.' },
  { method: 'supervised', title: 'Supervised (k%)', needs: null, text: 'Trains only on the hand-labeled images: the paper\'s "BigGAN-k%" baseline, to see what the unlabeled images add.' },
  { method: 'single', title: 'Unconditional', needs: null, text: 'One label for every image: an unconditional GAN baseline.' },
  { method: 'random', title: 'Random labels', needs: null, text: 'A fixed uniformly random label per image: the baseline that shows labels must carry information.' },
];

export const presetByMethod = new Map(presets.map((p) => [p.method, p]));

export type Backend = 'tensorflow' | 'wasm' | 'cpu';

export interface TrainForm {
  method: Method;
  resolution: number;
  ch: number;
  /** D's base width; null = the engine's default (D's widest block as wide as G's). */
  dCh: number | null;
  batch: number;
  steps: number;
  lrG: number;
  lrD: number;
  dSteps: number;
  ema: number;
  diffaug: boolean;
  /** Data-parallel ranks on wasm/cpu; null = the engine's default (one per core). */
  workers: number | null;
}

/** Smaller on wasm/cpu (minutes, not days); BigGAN-like on a GPU. lr_D = 2× lr_G, 2 D steps; EMA 0.995 for
 * CPU-length runs (0.999 lags hundreds of steps behind G), 0.9999 for GPU-length ones. */
export function defaultsFor(backend: Backend | null, gpu: boolean, projectResolution: number): TrainForm {
  const fit = (max: number) => [8, 16, 32, 64, 128].find((r) => r >= Math.min(projectResolution, max)) ?? max;
  const base = { method: 's3gan' as Method, lrG: 2e-4, lrD: 4e-4, dSteps: 2, ema: 0.995, diffaug: true, workers: null, dCh: null };
  if (backend === 'tensorflow' && gpu) return { ...base, resolution: fit(64), ch: 32, batch: 64, steps: 20_000, lrG: 1e-4, lrD: 4e-4, ema: 0.9999 };
  if (backend === 'cpu') return { ...base, resolution: fit(16), ch: 4, batch: 8, steps: 200 };
  return { ...base, resolution: fit(32), ch: 8, batch: 16, steps: 2000 };
}

/** Logging, checkpoint and grid cadence that suits the run's length (tiny runs log every step). */
export function cadence(steps: number): Pick<TrainParams, 'logEvery' | 'checkpointEvery' | 'gridEvery' | 'emaStart'> {
  const every = Math.max(1, Math.min(200, Math.round(steps / 5)));
  return { logEvery: steps <= 200 ? 1 : 10, checkpointEvery: every, gridEvery: every, emaStart: Math.min(200, Math.floor(steps / 10)) };
}

export function toParams(f: TrainForm): TrainParams {
  return { method: f.method, resolution: f.resolution, ch: f.ch, ...(f.dCh ? { dCh: f.dCh } : {}), batch: f.batch, steps: f.steps, lrG: f.lrG, lrD: f.lrD, dSteps: f.dSteps, ema: f.ema, diffaug: f.diffaug, ...(f.workers ? { workers: f.workers } : {}), ...cadence(f.steps) };
}

/** Seconds per 1000 G steps from logged rows: the median step time after the first (warm-up) row. */
export function secondsPer1k(rows: readonly Record<string, number>[]): number | null {
  const times = rows.map((r) => r.step_s).filter((v): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0);
  const warm = times.length > 2 ? times.slice(1) : times;
  if (warm.length === 0) return null;
  const sorted = [...warm].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]! * 1000;
}

export function formatDuration(s: number): string {
  if (s < 90) return `${Math.round(s)} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}
