// The PyTorch job in the Train view: "Run on another machine…" shows the exact `s3gan export-job` command
// for the form and can run the export itself (train.exportJob, a job of kind 'export'; a non-empty folder
// is asked about, then replaced); "Import run…" in the Runs list brings a job folder (or its run/) back
// as a new run (runs.import) and shows it. When a local PyTorch exists (train.pytorch), "Start training"
// may run the job here instead (TrainState.startLocal: train.runLocal, progress as a train job).
import type { Result, TrainParams } from '../../../../shared/contract';
import { errorMessage } from '../errors';
import { exportJobCommand } from '../pytorch-job';
import type { AppState } from './app.svelte';
import { isConflict, type Ask } from './labels-io.svelte';
import type { ProjectState } from './project.svelte';
import type { Requests } from './requests';
import type { TrainState } from './train.svelte';
import { toParams } from './train-presets';

const isAbsolute = (p: string) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p);

export class PytorchJobState {
  /** The "Run on another machine…" panel. */
  open = $state(false);
  /** "Continue on another machine…" of a run in the Runs list: the job resumes that run to `steps`. */
  continuing = $state<{ run: string; step: number; steps: number } | null>(null);
  out = $state('');
  busy = $state(false);
  error = $state<string | null>(null);
  result = $state.raw<Result<'train.exportJob'> | null>(null);
  /** The "Import run…" panel of the Runs list. */
  importOpen = $state(false);
  importDir = $state('');
  importing = $state(false);
  importError = $state<string | null>(null);
  /** The local PyTorch (train.pytorch), once asked; null until then. */
  local = $state.raw<Result<'train.pytorch'> | null>(null);
  /** Where "Start training" trains: the app's trainer, or the PyTorch job on this machine. */
  target = $state<'app' | 'pytorch'>('app');

  constructor(
    private readonly api: Requests,
    private readonly app: Pick<AppState, 'notify'>,
    private readonly project: Pick<ProjectState, 'current'>,
    private readonly train: Pick<TrainState, 'form' | 'loadRuns' | 'select'>,
    private readonly ask: Ask,
  ) {}

  /** What the job trains: the form's new run, or the continued run to its new length (only length may change). */
  params = $derived.by((): TrainParams => {
    if (this.continuing) return { resume: this.continuing.run, steps: this.continuing.steps };
    const p = toParams(this.train.form);
    delete p.workers; // the app's CPU workers are not the job's processes
    return p;
  });

  /** The command for what "Start training" would train now (or the continued run). */
  command = $derived.by(() => (this.project.current ? exportJobCommand(this.project.current.path, this.params, this.out) : ''));

  /** Opens the panel for the form's new run. */
  openForForm(): void {
    this.continuing = null;
    this.result = null;
    this.error = null;
    this.open = !this.open;
  }

  /** Opens the panel to continue `run` as a job: to its own length if unfinished, else twice as far. */
  openForRun(run: { run: string; step: number; steps: number }): void {
    this.continuing = { run: run.run, step: run.step, steps: run.step < run.steps ? run.steps : run.steps * 2 };
    this.result = null;
    this.error = null;
    this.open = true;
  }

  /** Asks the engine once whether a local PyTorch can run the job (it takes seconds: torch imports). */
  async loadLocal(): Promise<void> {
    if (this.local) return;
    try {
      this.local = await this.api.request('train.pytorch', {});
    } catch {
      this.local = { found: false, tried: [] }; // an engine without the request: no launch target
    }
    if (!this.local.found) this.target = 'app';
  }

  /** "PyTorch 1.13.1 on the CPU" / "… on 2 CUDA GPUs" for the launch target. */
  localWords = $derived(this.local?.found ? `PyTorch ${this.local.torch} on ${this.local.cuda ? `${this.local.gpus} CUDA GPU${this.local.gpus === 1 ? '' : 's'}` : 'the CPU'}` : null);

  /** Another project: results and errors of the old one go (typed folders stay, like a dialog's). */
  reset(): void {
    this.open = false;
    this.continuing = null;
    this.importOpen = false;
    this.error = null;
    this.result = null;
    this.importError = null;
  }

  async exportJob(): Promise<boolean> {
    const out = this.out.trim();
    if (!isAbsolute(out)) {
      this.error = 'The job folder must be an absolute path (e.g. /data/jobs/digits).';
      return false;
    }
    this.busy = true;
    this.error = null;
    this.result = null;
    if (this.continuing && !(this.continuing.steps > this.continuing.step)) {
      this.error = `Train to a step past ${this.continuing.step}: the run is already there.`;
      return false;
    }
    const params = { ...this.params, out };
    try {
      try {
        this.result = await this.api.request('train.exportJob', params);
      } catch (err) {
        if (!isConflict(err)) throw err;
        if (!(await this.ask(`${out} is not empty. Replace its contents with the job?`, { confirmLabel: 'Replace contents', cancelLabel: 'Cancel' }))) return false;
        this.result = await this.api.request('train.exportJob', { ...params, overwrite: true });
      }
      return true;
    } catch (err) {
      this.error = errorMessage(err, { out: 'The job folder' });
      return false;
    } finally {
      this.busy = false;
    }
  }

  async importRun(): Promise<boolean> {
    const dir = this.importDir.trim();
    if (!isAbsolute(dir)) {
      this.importError = 'Give the job folder (or its run/ folder) as an absolute path.';
      return false;
    }
    this.importing = true;
    this.importError = null;
    try {
      const r = await this.api.request('runs.import', { dir });
      this.app.notify('info', `Imported ${r.run} at step ${r.step}${r.origin.resumedFrom ? ` (continues ${r.origin.resumedFrom.run})` : ''}`);
      this.importOpen = false;
      await this.train.loadRuns();
      await this.train.select(r.run);
      return true;
    } catch (err) {
      this.importError = errorMessage(err, { dir: 'The job folder' });
      return false;
    } finally {
      this.importing = false;
    }
  }
}
