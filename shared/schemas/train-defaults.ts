// Every training default, as one function of where the run trains (backend, GPU) and the project's
// image size. The engine fills a new run from it, the CLI prints it in --help and the Train form
// starts from it, so the three cannot drift apart.
import type { TrainConfig } from './train-config';
import { defaultCh, defaultDCh, trainingResolutionFor, SUPPORTED_RESOLUTIONS } from './gan-config';

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

export interface DefaultsContext {
  /** The active compute backend; null before one is known (treated as wasm: the CPU default). */
  backend: BackendName | null;
  /** tensorflow with CUDA. */
  gpu: boolean;
  /** The project's image size (px); the default resolution is the smallest supported size ≥ it, capped per backend. */
  projectResolution: number;
}

/** What the caller chose so far; dependent defaults (D width, cadence) follow those choices. */
export type Chosen = Partial<TrainConfig>;

/** The paper's loss weights (DESIGN.md §4); every run written before they were fields used these. */
export const PAPER_LOSS_WEIGHTS = { rotationWeightD: 1, rotationWeightG: 0.2, classifierWeight: 1 } as const;

function capped(projectResolution: number, max: number): number {
  const r = trainingResolutionFor(projectResolution);
  return r <= max ? r : SUPPORTED_RESOLUTIONS.filter((s) => s <= max).at(-1)!;
}

/** Logging, checkpoint, grid and EMA cadence that suits the run's length (tiny runs log every step). */
function cadence(steps: number): Pick<TrainConfig, 'logEvery' | 'checkpointEvery' | 'gridEvery' | 'emaStart' | 'milestoneEvery'> {
  const every = Math.max(1, Math.min(200, Math.round(steps / 5)));
  return { logEvery: steps <= 200 ? 1 : 10, checkpointEvery: every, gridEvery: every, emaStart: Math.min(200, Math.floor(steps / 10)), milestoneEvery: 1000 };
}

/**
 * Defaults for every field but `seed` (random per new run) and `workers` (one per core, decided where the
 * cores are known). On a GPU: BigGAN-like widths and lengths, lr_G 1e-4 and EMA 0.9999. On wasm/native
 * CPU: 32 px, ch 8, batch 32, 2,000 steps, EMA 0.995 (0.999 lags hundreds of steps behind G on
 * CPU-length runs). The cpu backend is a slow reference: 16 px, ch 4, batch 8.
 */
export function trainDefaults(ctx: DefaultsContext, chosen: Chosen = {}): Omit<TrainConfig, 'seed' | 'workers'> {
  const gpu = ctx.backend === 'tensorflow' && ctx.gpu;
  const slow = ctx.backend === 'cpu';
  const resolution = chosen.resolution ?? capped(ctx.projectResolution, gpu ? 64 : slow ? 16 : 32);
  const ch = chosen.ch ?? (gpu ? Math.max(32, defaultCh(resolution)) : slow ? 4 : defaultCh(resolution));
  const steps = chosen.steps ?? (gpu ? 20_000 : slow ? 200 : 2000);
  return {
    method: 's3gan',
    labels: 'project',
    resolution,
    ch,
    dCh: defaultDCh(resolution, ch),
    steps,
    batch: gpu ? 64 : slow ? 8 : 32,
    lrG: gpu ? 1e-4 : 2e-4,
    lrD: 4e-4,
    dSteps: 2,
    emaDecay: gpu ? 0.9999 : 0.995,
    diffaug: false,
    rotatedFraction: 0.25,
    labeledFraction: 0.25,
    ...PAPER_LOSS_WEIGHTS,
    keepCheckpoints: 3,
    evalEvery: 0,
    ...cadence(steps),
  };
}

/** A full config: defaults for what was not chosen; `seed` must be supplied (new runs draw one). */
export function resolveTrainConfig(ctx: DefaultsContext, chosen: Chosen & { seed: number }): TrainConfig {
  const defined = Object.fromEntries(Object.entries(chosen).filter(([, v]) => v !== undefined)) as Chosen & { seed: number };
  return { ...trainDefaults(ctx, defined), ...defined };
}
