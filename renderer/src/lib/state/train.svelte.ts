// Train view state: the launch form, the runs list, live metrics rows (train.metrics events), and
// pause / resume / stop of the run this engine is training. train.start answers only when the run
// ends, so it is not awaited by the UI: the run id arrives with its first metrics row or runs.list.
import type { Chosen, DefaultsContext, EventPayload, Method, RunSummary, TrainConfig, TrainField, TrainResult } from '../../../../shared/contract';
import { errorMessage } from '../errors';
import type { AppState } from './app.svelte';
import type { ProjectState } from './project.svelte';
import type { Requests } from './requests';
import { defaultsFor, secondsPer1k, shownValues, toParams, type TrainForm } from './train-presets';
import { loadChosen, saveChosen } from './train-memory';

export type Row = Record<string, number>;

export class TrainState {
  // $derived is lazy: ctx reads the constructor's app and project only when first used.
  /** Where the run will train, which sets every default: the engine's backend, the project's resolution. */
  ctx = $derived.by((): DefaultsContext => {
    const b = this.app.info?.backend ?? null;
    return defaultsFor(b?.backend ?? null, b?.gpu ?? false, this.project.current?.settings.resolution ?? 32).ctx;
  });

  /** What the user changed (remembered per project: train-memory.ts). */
  chosen = $state.raw<Chosen>({});
  #remembered: string | null = null;
  form = $derived<TrainForm>({ ctx: this.ctx, chosen: this.chosen });
  runs = $state.raw<RunSummary[]>([]);
  /** The run whose charts are shown. */
  selected = $state<string | null>(null);
  rows = $state.raw<Row[]>([]);
  starting = $state(false);
  /** The run this window launched and is waiting for (until train.start answers). */
  launched = $state<string | null>(null);
  lastResult = $state.raw<TrainResult | null>(null);
  #askedBackend = false;
  /** Runs whose first metrics row made this window re-list the runs. */
  #listed = new Set<string>();

  constructor(
    private readonly api: Requests,
    private readonly app: AppState,
    private readonly project: Pick<ProjectState, 'current'>,
  ) {}

  live = $derived(this.runs.find((r) => r.state === 'running' || r.state === 'paused') ?? null);
  selectedRun = $derived(this.runs.find((r) => r.run === this.selected) ?? null);
  estimate = $derived(secondsPer1k(this.rows));
  latest = $derived(this.rows.at(-1) ?? null);

  /** Every value the form shows: the defaults for where it trains, overridden by what the user set. */
  shown = $derived(shownValues(this.form));
  method = $derived(this.shown.method ?? 's3gan');

  setMethod(method: Method): void {
    this.set('method', method);
  }

  /** The user set a field (undefined = back to its default). */
  set<K extends TrainField>(field: K, value: TrainConfig[K] | undefined): void {
    const chosen: Chosen = { ...this.chosen };
    if (value === undefined) delete chosen[field];
    else chosen[field] = value;
    this.chosen = chosen;
    if (this.#remembered) saveChosen(this.#remembered, chosen);
  }

  /** A project was opened (or closed: null): its remembered form values come back. */
  restoreForm(projectPath: string | null): void {
    if (projectPath === this.#remembered) return;
    this.#remembered = projectPath;
    this.chosen = projectPath ? loadChosen(projectPath) : {};
  }

  /** Another project (or none): its runs and charts are not this one's. */
  reset(): void {
    this.runs = [];
    this.selected = null;
    this.rows = [];
    this.lastResult = null;
  }

  async loadRuns(): Promise<void> {
    this.runs = (await this.api.request('runs.list', {})).runs;
    const last = this.runs.at(-1);
    // A run that just started has no metrics file yet: its rows arrive as train.metrics events.
    if (!this.selected && last) await this.select(last.run, last.step > 0 || (last.state !== 'running' && last.state !== 'paused'));
  }

  async select(run: string, fetch = true): Promise<void> {
    this.selected = run;
    this.rows = [];
    if (!fetch) return;
    try {
      const r = await this.api.request('runs.metrics', { run });
      if (this.selected === run) this.rows = r.rows;
    } catch (err) {
      if (this.selected === run) this.app.notify('error', `Metrics of ${run}: ${errorMessage(err)}`);
    }
  }

  /** A train.metrics event: append to the shown run, or switch to a run this window just launched. */
  onMetrics(p: EventPayload<'train.metrics'>): void {
    if (!this.app.info?.backend && !this.#askedBackend) {
      this.#askedBackend = true; // the backend is known once training selected one
      void this.app.loadInfo();
    }
    if (this.starting && !this.launched) {
      this.launched = p.run;
      this.selected = p.run;
      this.rows = [];
    }
    // A run this window does not list (started by another tab or the CLI): list it once, so the status
    // card shows it running (and, after a crash, interrupted).
    if (!this.runs.some((r) => r.run === p.run) && !this.#listed.has(p.run)) {
      this.#listed.add(p.run);
      void this.loadRuns().catch(() => undefined);
    }
    if (p.run !== this.selected) return;
    const step = p.row.step;
    this.rows = [...this.rows.filter((r) => r.step !== step || Object.keys(p.row).some((k) => !(k in r))), p.row];
    const run = this.runs.find((r) => r.run === p.run);
    if (run && typeof step === 'number' && step > run.step) this.runs = this.runs.map((r) => (r.run === p.run ? { ...r, step } : r));
  }

  start(): Promise<void> {
    return this.#launch(() => this.api.request('train.start', toParams(this.form)));
  }

  /** "Run locally on PyTorch": the same run trained by the job on this machine, then imported (train.runLocal). */
  startLocal(): Promise<void> {
    const { workers: _appOnly, ...params } = toParams(this.form);
    return this.#launch(() => this.api.request('train.runLocal', params));
  }

  resumeRun(run: string): Promise<void> {
    return this.#launch(() => this.api.request('train.start', { resume: run }), run);
  }

  async control(verb: 'pause' | 'resume' | 'stop', run = this.live?.run): Promise<void> {
    if (!run) return;
    try {
      await this.api.request(`train.${verb}`, { run });
      await this.loadRuns();
    } catch (err) {
      this.app.notify('error', `${verb} failed: ${errorMessage(err)}`);
    }
  }

  async #launch(call: () => Promise<TrainResult>, run: string | null = null): Promise<void> {
    if (this.starting) return;
    this.starting = true;
    this.launched = run;
    if (run) await this.select(run);
    const poll = setInterval(() => void this.loadRuns().catch(() => undefined), 1500);
    try {
      const result = await call();
      this.lastResult = result;
      this.app.notify('info', `Run ${result.run} ${result.state === 'stopped' ? 'stopped' : 'finished'} at step ${result.step}`);
    } catch (err) {
      this.app.notify('error', `Training failed: ${errorMessage(err)}`);
    } finally {
      clearInterval(poll);
      this.starting = false;
      this.launched = null;
      await this.loadRuns().catch(() => undefined);
    }
  }
}
