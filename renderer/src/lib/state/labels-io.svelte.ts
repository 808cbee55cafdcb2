// Labels in and out from the UI. Import is two steps: a preview (labels.import dryRun: what would change,
// unknown paths, labels it would replace) and then apply (one undo step). Export asks before replacing a
// file or folder (the engine answers CONFLICT), then retries with overwrite.
import type { Params, Result } from '../../../../shared/contract';
import { errorMessage } from '../errors';
import type { Requests } from './requests';

export type ExportFormat = 'csv' | 'json' | 'folders';
export type ImportPreview = Result<'labels.import'> & { file: string; fromFolders: boolean };

/** Asks the user a yes/no question (ConfirmState.ask). */
export type Ask = (message: string, labels?: { confirmLabel?: string; cancelLabel?: string }) => Promise<boolean>;

export function isConflict(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: string }).code === 'CONFLICT';
}

/** Pure: a one-line summary of a preview or an applied import. */
export function importSummary(r: Result<'labels.import'>, applied: boolean): string {
  const parts = [`${r.applied} image${r.applied === 1 ? '' : 's'} ${applied ? 'labeled' : 'would be labeled'}`];
  if (r.created.length) parts.push(`${applied ? 'new' : 'would create'} class${r.created.length === 1 ? '' : 'es'} ${r.created.join(', ')}`);
  if (r.conflicts?.length) parts.push(`${r.conflicts.length} label${r.conflicts.length === 1 ? '' : 's'} ${applied ? 'replaced' : 'would be replaced'}`);
  if (r.unknown.length) parts.push(`${r.unknown.length} unknown path${r.unknown.length === 1 ? '' : 's'}`);
  if (r.bad.length) parts.push(`${r.bad.length} bad row${r.bad.length === 1 ? '' : 's'}`);
  return parts.join(' · ');
}

export class LabelsIoState {
  preview = $state.raw<ImportPreview | null>(null);
  busy = $state(false);
  error = $state<string | null>(null);
  /** The last finished action, in words. */
  done = $state<string | null>(null);

  constructor(private readonly api: Requests, private readonly ask: Ask) {}

  async previewImport(file: string, fromFolders: boolean): Promise<void> {
    await this.#run(async () => {
      const r = await this.api.request('labels.import', { file, fromFolders, dryRun: true });
      this.preview = { ...r, file, fromFolders };
    });
  }

  async applyImport(): Promise<boolean> {
    const p = this.preview;
    if (!p) return false;
    return this.#run(async () => {
      const r = await this.api.request('labels.import', { file: p.file, fromFolders: p.fromFolders });
      this.preview = null;
      this.done = `Imported: ${importSummary({ ...r, conflicts: p.conflicts }, true)} (one undo step)`;
    });
  }

  /** Another project: an import preview or a result line of the old one would mislead. */
  reset(): void {
    this.preview = null;
    this.error = null;
    this.done = null;
  }

  cancelImport(): void {
    this.preview = null;
  }

  async exportLabels(format: ExportFormat, out: string, inferred: boolean): Promise<boolean> {
    return this.#run(async () => {
      const params: Params<'labels.export'> = { format, out, inferred };
      let r: Result<'labels.export'>;
      try {
        r = await this.api.request('labels.export', params);
      } catch (err) {
        if (!isConflict(err)) throw err;
        const what = format === 'folders' ? 'The folder is not empty' : 'The file exists';
        if (!(await this.ask(`${what}: ${out}. Replace it?`, { confirmLabel: 'Replace', cancelLabel: 'Keep it' }))) return;
        // overwrite is newer than some engines' contract: only sent after the engine asked for it.
        r = await this.api.request('labels.export', { ...params, overwrite: true } as Params<'labels.export'>);
      }
      this.done = `Exported ${r.written} label${r.written === 1 ? '' : 's'} to ${r.out}`;
    });
  }

  async #run(fn: () => Promise<void>): Promise<boolean> {
    this.busy = true;
    this.error = null;
    this.done = null;
    try {
      await fn();
      return true;
    } catch (err) {
      this.error = errorMessage(err, { file: 'The file or folder to import', out: 'The place to export to' });
      return false;
    } finally {
      this.busy = false;
    }
  }
}
