// Samples view state: a run's EMA generator grid at a checkpoint step (rows = classes), truncation,
// resample (seed), one class, interpolation; a second run side by side; save as PNG.
import type { Params, RunSummary, SampleResult } from '../../../../shared/contract';
import { api, errorMessage } from '../api';

export interface GridView {
  src: string;
  rows: string[];
  step: number;
  run: string;
}

export interface GridOptions {
  step: number | null;
  truncation: number; // 0 = off
  seed: number;
  classId: string | null;
  interpolate: boolean;
}

/** Pure: sample.grid params from the view's options. */
export function gridParams(run: string, o: GridOptions): Params<'sample.grid'> {
  return {
    run,
    ...(o.step !== null ? { step: o.step } : {}),
    ...(o.truncation > 0 ? { truncation: o.truncation } : {}),
    seed: o.seed,
    ...(o.classId ? { classId: o.classId } : {}),
    ...(o.interpolate ? { interpolate: [0, 1] as [number, number] } : {}),
  };
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

  async load(o: GridOptions): Promise<void> {
    const run = this.run;
    if (!run) {
      this.grid = null;
      return;
    }
    const seq = ++this.#seq;
    this.loading = true;
    try {
      const r = await api.request('sample.grid', gridParams(run, o));
      if (seq !== this.#seq) return;
      this.grid = { src: dataUrl(r), rows: r.rows, step: r.step, run };
      this.error = null;
    } catch (err) {
      if (seq === this.#seq) this.error = errorMessage(err);
    } finally {
      if (seq === this.#seq) this.loading = false;
    }
  }
}

export class SamplesState {
  runs = $state.raw<RunSummary[]>([]);
  a = new GridPane();
  b = new GridPane();
  compare = $state(false);
  stepIndex = $state(-1); // index into the checkpoints of run A; -1 = latest
  truncation = $state(0);
  seed = $state(0);
  classId = $state<string | null>(null);
  interpolate = $state(false);

  runA = $derived(this.runs.find((r) => r.run === this.a.run) ?? null);
  steps = $derived(this.runA?.checkpoints ?? []);
  step = $derived(this.stepIndex >= 0 && this.stepIndex < this.steps.length ? this.steps[this.stepIndex]! : (this.steps.at(-1) ?? null));
  options = $derived<GridOptions>({ step: this.step, truncation: this.truncation, seed: this.seed, classId: this.classId, interpolate: this.interpolate });

  async loadRuns(): Promise<void> {
    this.runs = (await api.request('runs.list', {})).runs.filter((r) => r.checkpoints.length > 0);
    if (!this.a.run || !this.runs.some((r) => r.run === this.a.run)) this.a.run = this.runs.at(-1)?.run ?? null;
    if (this.stepIndex >= this.steps.length) this.stepIndex = -1;
  }

  pick(run: string): void {
    this.a.run = run;
    this.stepIndex = -1;
  }

  resample(): void {
    this.seed = (this.seed + 1 + Math.floor(Math.random() * 1000)) % 2 ** 31;
  }

  /** Loads both panes (B at its own latest checkpoint of the same step when it has it). */
  async refresh(): Promise<void> {
    const jobs = [this.a.load(this.options)];
    if (this.compare && this.b.run) {
      const bRun = this.runs.find((r) => r.run === this.b.run);
      const step = this.step !== null && bRun?.checkpoints.includes(this.step) ? this.step : null;
      jobs.push(this.b.load({ ...this.options, step }));
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
