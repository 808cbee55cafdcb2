// "Export dataset…" of the Samples view: N generated images per class of a run (samples.export, a job of
// kind 'export' whose progress the job bar shows). The engine refuses a non-empty folder (CONFLICT):
// the user is asked, then the export is retried with overwrite.
import type { Params, Result } from '../../../../shared/contract';
import { errorMessage } from '../errors';
import { isConflict, type Ask } from './labels-io.svelte';
import type { Requests } from './requests';

export interface ExportForm {
  perClass: number;
  out: string;
  /** 0 = off. */
  truncation: number;
  seed: number | null;
}

/** Pure: the request for a run/step and the form; null with the reason when the form is not valid. */
export function exportParams(run: string | null, step: number | null, f: ExportForm): { params: Params<'samples.export'> } | { invalid: string } {
  if (!run) return { invalid: 'Pick a run first.' };
  if (!Number.isInteger(f.perClass) || f.perClass < 1) return { invalid: 'Images per class must be a whole number ≥ 1.' };
  const out = f.out.trim();
  if (!out.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(out)) return { invalid: 'The folder must be an absolute path (e.g. /data/generated).' };
  return {
    params: {
      run, perClass: f.perClass, out,
      ...(step !== null ? { step } : {}),
      ...(f.truncation > 0 ? { truncation: f.truncation } : {}),
      ...(f.seed !== null ? { seed: f.seed } : {}),
    },
  };
}

export class SampleExportState {
  open = $state(false);
  form = $state<ExportForm>({ perClass: 100, out: '', truncation: 0, seed: null });
  busy = $state(false);
  error = $state<string | null>(null);
  result = $state.raw<Result<'samples.export'> | null>(null);

  constructor(private readonly api: Requests, private readonly ask: Ask) {}

  /** Another project: the old one's result and error go (the form values stay, like a dialog's). */
  reset(): void {
    this.open = false;
    this.error = null;
    this.result = null;
  }

  async run(run: string | null, step: number | null): Promise<boolean> {
    const p = exportParams(run, step, this.form);
    if ('invalid' in p) {
      this.error = p.invalid;
      return false;
    }
    this.busy = true;
    this.error = null;
    this.result = null;
    try {
      try {
        this.result = await this.api.request('samples.export', p.params);
      } catch (err) {
        if (!isConflict(err)) throw err;
        const ok = await this.ask(`${p.params.out} is not empty. Replace its contents with the dataset?`, { confirmLabel: 'Replace contents', cancelLabel: 'Cancel' });
        if (!ok) return false;
        this.result = await this.api.request('samples.export', { ...p.params, overwrite: true });
      }
      return true;
    } catch (err) {
      this.error = errorMessage(err, { out: 'The folder to write into' });
      return false;
    } finally {
      this.busy = false;
    }
  }
}
