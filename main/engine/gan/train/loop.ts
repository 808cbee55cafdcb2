// The training loop: n D steps then one G step, repeated to `steps`, with everything else (logging,
// checkpoints, grids, events) behind callbacks so the CLI, the app and tests report differently
// (tfjs-examples' pattern). Between steps it yields to the event loop and honours pause / stop.
import type { BatchSampler } from './batches';
import { drawAugmentParams } from './diffaugment';
import type { TrainSettings } from '../run/run-config';
import { discriminatorStep, generatorStep, stepWeights, type DStepInput, type GanModels, type GStepInput, type Losses, type StepOptions } from './step';

/** Who performs one D or G update: this thread (default) or the data-parallel trainer's ranks. */
export interface Stepper {
  d(input: DStepInput): Losses | Promise<Losses>;
  g(input: GStepInput): Losses | Promise<Losses>;
}

export function localStepper(m: GanModels, o: StepOptions): Stepper {
  return { d: (input) => discriminatorStep(m, o, input), g: (input) => generatorStep(m, o, input) };
}

export interface LoopControl {
  paused: boolean;
  stopped: boolean;
}

export interface LogRow {
  step: number;
  img_per_s: number;
  step_s: number;
  [loss: string]: number;
}

export interface LoopCallbacks {
  /** Every `logEvery` steps (and at the last step) with the mean losses over the interval. */
  onLog?(row: LogRow): void | Promise<void>;
  /** After every step; return true to stop after it (e.g. a checkpoint/grid cadence check). */
  afterStep?(step: number, losses: Losses): void | Promise<void>;
}

export interface LoopResult {
  step: number;
  losses: Losses;
  imgPerS: number;
  stopped: boolean;
}

export class DivergedError extends Error {
  override name = 'DivergedError';
  constructor(readonly step: number, readonly losses: Losses) {
    super(`Training diverged at step ${step}: ${Object.entries(losses).filter(([, v]) => !Number.isFinite(v)).map(([k, v]) => `${k} = ${v}`).join(', ')}`);
  }
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface LoopOptions {
  models: GanModels;
  sampler: BatchSampler;
  settings: TrainSettings;
  startStep: number;
  control: LoopControl;
  callbacks?: LoopCallbacks;
  /** Default: every update on this thread. */
  stepper?: Stepper;
  /** Test hook (S3GAN_TEST_STEP_DELAY_MS): a pause between steps so UI tests can act mid-run. */
  stepDelayMs?: number;
}

/** Hand-labeled reals drawn into every real batch when the preset co-trains (the sampler's request). */
export function labeledPerBatch(s: Pick<TrainSettings, 'batch' | 'labeledFraction'>): number {
  return Math.max(1, Math.round(s.batch * s.labeledFraction));
}

export async function trainLoop(o: LoopOptions): Promise<LoopResult> {
  const { models: m, sampler, settings: s, control } = o;
  const cfg = m.cfg;
  const labeledCount = labeledPerBatch(s);
  const stepper = o.stepper ?? localStepper(m, { weights: stepWeights(s) });
  let step = o.startStep;
  let last: Losses = {};
  let sums: Losses = {};
  let intervalSteps = 0;
  let intervalMs = 0;
  let totalMs = 0;
  let totalSteps = 0;
  while (step < s.steps && !control.stopped) {
    while (control.paused && !control.stopped) await sleep(50);
    if (control.stopped) break;
    const t0 = performance.now();
    const losses: Losses = {};
    for (let k = 0; k < s.dSteps; k++) {
      const real = sampler.real(s.batch, labeledCount);
      const fake = sampler.fake(s.batch, cfg.zDim);
      const augment = s.diffaug
        ? { real: drawAugmentParams(sampler.random(), s.batch, cfg.resolution), fake: drawAugmentParams(sampler.random(), s.batch, cfg.resolution) }
        : undefined;
      const dl = await stepper.d({ real, fake, ...(augment ? { augment } : {}) });
      for (const [key, v] of Object.entries(dl)) losses[key] = (losses[key] ?? 0) + v / s.dSteps;
    }
    const fake = sampler.fake(s.batch, cfg.zDim);
    const augment = s.diffaug ? drawAugmentParams(sampler.random(), s.batch, cfg.resolution) : undefined;
    Object.assign(losses, await stepper.g({
      fake, step: step + 1, ema: { decay: s.emaDecay, start: s.emaStart }, ...(augment ? { augment } : {}),
    }));
    const ms = performance.now() - t0;
    if (Object.values(losses).some((v) => !Number.isFinite(v))) throw new DivergedError(step + 1, losses);
    step += 1;
    last = losses;
    totalMs += ms;
    totalSteps += 1;
    intervalMs += ms;
    intervalSteps += 1;
    for (const [key, v] of Object.entries(losses)) sums[key] = (sums[key] ?? 0) + v;
    if (step % s.logEvery === 0 || step === s.steps) {
      const row: LogRow = { step, img_per_s: (intervalSteps * s.batch) / (intervalMs / 1000), step_s: intervalMs / 1000 / intervalSteps };
      for (const [key, v] of Object.entries(sums)) row[key] = v / intervalSteps;
      await o.callbacks?.onLog?.(row);
      sums = {};
      intervalSteps = 0;
      intervalMs = 0;
    }
    await o.callbacks?.afterStep?.(step, losses);
    if (o.stepDelayMs) await sleep(o.stepDelayMs);
    else await tick();
  }
  return { step, losses: last, imgPerS: totalSteps > 0 ? (totalSteps * s.batch) / (totalMs / 1000) : 0, stopped: control.stopped && step < s.steps };
}
