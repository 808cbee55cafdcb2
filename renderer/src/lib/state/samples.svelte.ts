// Samples view state: a run's grids over training time (rows = classes). The step slider moves over every
// step with a grid the trainer saved (runs.grid) or a checkpoint; with the default view (no truncation, the
// initial z, all classes, no interpolation) a saved grid is shown as is, anything else is re-rendered by
// sample.grid from the checkpoint nearest the step. Truncation, resample (seed), one class, interpolation;
// a second run side by side; save as PNG.
import type { Params, RunSummary, SampleResult } from '../../../../shared/contract';
import { errorMessage } from '../errors';
import type { Requests } from './requests';

export interface GridView {
  src: string;
  rows: string[];
  step: number;
  run: string;
  /** 'saved': the trainer's grid at `step`; 'rendered': sample.grid from the checkpoint at `step`. */
  source: 'saved' | 'rendered';
  /** The slider step asked for (differs from `step` when rendered from the nearest checkpoint). */
  requested: number | null;
}

export interface GridOptions {
  step: number | null;
  truncation: number; // 0 = off
  /** null: the run's own fixed latents (the engine reads any seed sent, 0 included, as a new stream). */
  seed: number | null;
  classId: string | null;
  interpolate: boolean;
}

/** Pure: sample.grid params from the view's options. */
export function gridParams(run: string, o: GridOptions): Params<'sample.grid'> {
  return {
    run,
    ...(o.step !== null ? { step: o.step } : {}),
    ...(o.truncation > 0 ? { truncation: o.truncation } : {}),
    ...(o.seed !== null ? { seed: o.seed } : {}),
    ...(o.classId ? { classId: o.classId } : {}),
    ...(o.interpolate ? { interpolate: [0, 1] as [number, number] } : {}),
  };
}

/** Pure: the slider's steps for a run, the sorted union of its saved grid steps and checkpoint steps. */
export function sliderSteps(run: Pick<RunSummary, 'checkpoints' | 'grids'> | null | undefined): number[] {
  if (!run) return [];
  return [...new Set([...run.grids, ...run.checkpoints])].sort((a, b) => a - b);
}

/** Pure: the checkpoint nearest `step` (the earlier one on a tie); null without checkpoints. */
export function nearestCheckpoint(checkpoints: readonly number[], step: number): number | null {
  let best: number | null = null;
  for (const c of checkpoints) {
    if (best === null || Math.abs(c - step) < Math.abs(best - step) || (Math.abs(c - step) === Math.abs(best - step) && c < best)) best = c;
  }
  return best;
}

/** Pure: whether the options are the trainer's own view (its fixed latents, no truncation, all classes). */
export function isDefaultView(o: GridOptions): boolean {
  return o.truncation === 0 && o.seed === null && !o.classId && !o.interpolate;
}

export type GridSource =
  | { kind: 'saved'; params: Params<'runs.grid'> }
  | { kind: 'render'; params: Params<'sample.grid'>; requested: number | null };

/** Pure: how to show `o.step` of `run`: its saved grid when the view is the default, else a re-render. */
export function gridSource(run: Pick<RunSummary, 'run' | 'checkpoints' | 'grids'>, o: GridOptions): GridSource {
  const step = o.step ?? sliderSteps(run).at(-1) ?? null;
  if (step !== null && isDefaultView(o) && run.grids.includes(step)) return { kind: 'saved', params: { run: run.run, step } };
  const ckpt = step === null ? null : nearestCheckpoint(run.checkpoints, step);
  return { kind: 'render', params: gridParams(run.run, { ...o, step: ckpt }), requested: step };
}

export function dataUrl(r: SampleResult): string {
  return `data:image/png;base64,${r.png}`;
}

/** One side of the browser (a run and its grid). */
export class GridPane {
  run = $state<string | null>(null);
  grid = $state.raw<GridView | null>(null);
  loading = $state(false);
  error = $state<string | null>(null);
  #seq = 0;

  constructor(private readonly api: Requests) {}

  async load(o: GridOptions, summary?: RunSummary): Promise<void> {
    const run = this.run;
    if (!run) {
      this.grid = null;
      return;
    }
    const seq = ++this.#seq;
    this.loading = true;
    try {
      const src = gridSource(summary ?? { run, checkpoints: [], grids: [] }, o);
      const r = src.kind === 'saved' ? await this.api.request('runs.grid', src.params) : await this.api.request('sample.grid', src.params);
      if (seq !== this.#seq) return;
      const requested = src.kind === 'saved' ? src.params.step : src.requested;
      this.grid = { src: dataUrl(r), rows: r.rows, step: r.step, run, source: src.kind === 'saved' ? 'saved' : 'rendered', requested };
      this.error = null;
    } catch (err) {
      if (seq === this.#seq) this.error = errorMessage(err);
    } finally {
      if (seq === this.#seq) this.loading = false;
    }
  }
}

/** The view's controls besides the runs and the seed. */
export interface SampleControls {
  stepIndex: number;
  truncation: number;
  classId: string | null;
  interpolate: boolean;
  compare: boolean;
}

export class SamplesState {
  runs = $state.raw<RunSummary[]>([]);
  readonly a: GridPane;
  readonly b: GridPane;
  compare = $state(false);
  stepIndex = $state(-1); // index into the slider steps (saved grids ∪ checkpoints) of run A; -1 = latest
  truncation = $state(0);
  seed = $state<number | null>(null);
  classId = $state<string | null>(null);
  interpolate = $state(false);
  #timer: ReturnType<typeof setTimeout> | null = null;

  runA = $derived(this.runs.find((r) => r.run === this.a.run) ?? null);
  steps = $derived(sliderSteps(this.runA));
  step = $derived(this.stepIndex >= 0 && this.stepIndex < this.steps.length ? this.steps[this.stepIndex]! : (this.steps.at(-1) ?? null));
  options = $derived<GridOptions>({ step: this.step, truncation: this.truncation, seed: this.seed, classId: this.classId, interpolate: this.interpolate });

  constructor(private readonly api: Requests) {
    this.a = new GridPane(api);
    this.b = new GridPane(api);
  }

  /** The view opened: list the runs, then show the newest one. */
  async open(): Promise<void> {
    await this.loadRuns();
    await this.refresh();
  }

  async loadRuns(): Promise<void> {
    this.runs = (await this.api.request('runs.list', {})).runs.filter((r) => r.checkpoints.length > 0 || r.grids.length > 0);
    if (!this.a.run || !this.runs.some((r) => r.run === this.a.run)) this.a.run = this.runs.at(-1)?.run ?? null;
    if (this.stepIndex >= this.steps.length) this.stepIndex = -1;
  }

  /** Another project: its runs, grids and class choice are not this one's. */
  reset(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.runs = [];
    for (const pane of [this.a, this.b]) {
      pane.run = null;
      pane.grid = null;
      pane.error = null;
    }
    this.compare = false;
    this.stepIndex = -1;
    this.classId = null;
  }

  pick(run: string): void {
    this.a.run = run;
    this.stepIndex = -1;
    this.#refreshSoon();
  }

  pickB(run: string | null): void {
    this.b.run = run;
    this.#refreshSoon();
  }

  /** A control moved: apply it and re-render. */
  change(patch: Partial<SampleControls>): void {
    Object.assign(this, patch);
    this.#refreshSoon();
  }

  resample(): void {
    this.seed = ((this.seed ?? 0) + 1 + Math.floor(Math.random() * 1000)) % 2 ** 31;
    this.#refreshSoon();
  }

  /** A short delay coalesces slider drags into one render. */
  #refreshSoon(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.refresh();
    }, 120);
  }

  /** Loads both panes (B at the same step: its saved grid there, else its checkpoint nearest the step). */
  async refresh(): Promise<void> {
    const jobs = [this.a.load(this.options, this.runA ?? undefined)];
    if (this.compare && this.b.run) {
      const bRun = this.runs.find((r) => r.run === this.b.run);
      jobs.push(this.b.load(this.options, bRun));
    }
    await Promise.all(jobs);
  }
}

/** Triggers a browser download of a grid (the data URL already holds the PNG bytes). */
export function downloadGrid(g: GridView): void {
  const a = document.createElement('a');
  a.href = g.src;
  a.download = `${g.run}-step${g.step}.png`;
  document.body.appendChild(a);
  a.click();
  a.remove();
}
