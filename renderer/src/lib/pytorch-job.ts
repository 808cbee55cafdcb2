// Words of the PyTorch job in the Train view: the exact `s3gan export-job` command for the form's values
// (every field the form shows, by its TRAIN_FIELDS flag, so the job is the run "Start" would train
// whatever the CLI's own defaults are), and where an imported run was trained (runs.list `origin`).
import { TRAIN_FIELD_NAMES, TRAIN_FIELDS, type RunOrigin, type TrainParams } from '../../../shared/contract';

/** POSIX shell quoting: bare when only safe characters, else single quotes ('\'' for a quote). */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** `s3gan export-job <project> --method … --out DIR`; workers is left out (run-time only, not the job's). */
export function exportJobCommand(projectPath: string, params: TrainParams, out: string): string {
  const args = ['npx', 's3gan', 'export-job', shellQuote(projectPath)];
  if (params.resume !== undefined) args.push('--resume', shellQuote(params.resume));
  for (const k of TRAIN_FIELD_NAMES) {
    const v = params[k];
    if (v === undefined || TRAIN_FIELDS[k].home === 'none') continue;
    const flag = `--${TRAIN_FIELDS[k].flag}`;
    if (typeof v === 'boolean') args.push(v ? flag : `${flag}=false`);
    else args.push(flag, shellQuote(String(v)));
  }
  args.push('--out', shellQuote(out.trim() || '/path/to/job'));
  return args.join(' ');
}

/** "PyTorch · 2 × cuda" for the Runs list, with the details for a tooltip. */
export function originWords(o: RunOrigin): { short: string; detail: string } {
  const last = o.sessions?.at(-1);
  const where = last ? `${last.worldSize} × ${last.device}${last.nodes > 1 ? ` on ${last.nodes} nodes` : ''}` : '';
  const short = o.trainer === 'pytorch' ? `PyTorch${where ? ` · ${where}` : ''}` : 'imported';
  const detail = [
    o.trainer === 'pytorch' ? `Trained by the PyTorch job${o.torch ? ` (torch ${o.torch})` : ''}` : 'Trained by another copy of the app',
    ...(o.sessions ?? []).map((s) => `from step ${s.fromStep}: ${s.worldSize} process${s.worldSize === 1 ? '' : 'es'} on ${s.nodes} node${s.nodes === 1 ? '' : 's'}, ${s.device}${s.deviceName ? ` (${s.deviceName})` : ''}${s.bf16 ? ', bf16' : ''}${s.host ? `, ${s.host}` : ''}`),
    ...(o.resumedFrom ? [`continues ${o.resumedFrom.run} from step ${o.resumedFrom.step}`] : []),
    `imported from ${o.importedFrom}`,
  ];
  return { short, detail: detail.join('\n') };
}
