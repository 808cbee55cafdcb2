// A text progress bar with ETA on stderr for the long ML commands. On a terminal it redraws one line;
// piped (CI logs, --json callers) it prints a plain line at most every few seconds and at each phase change.
import type { EventName, EventPayload } from '../../../shared/contract';
import type { Emit } from '../../engine/base/job-context';

const WIDTH = 24;
const PIPED_EVERY_MS = 3000;

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

export function renderBar(p: EventPayload<'job.progress'>): string {
  const frac = p.total > 0 ? Math.min(1, p.done / p.total) : 0;
  const filled = Math.round(frac * WIDTH);
  const eta = p.etaMs !== null && p.done < p.total ? ` ETA ${formatDuration(p.etaMs)}` : '';
  const msg = p.message ? ` ${p.message}` : '';
  return `${p.kind.padEnd(8)} [${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${String(Math.round(frac * 100)).padStart(3)}% ${p.phase}${msg}${eta}`;
}

export function progressBar(stream: NodeJS.WriteStream = process.stderr): Emit {
  const tty = Boolean(stream.isTTY);
  let lastPhase = '';
  let lastPrinted = 0;
  let open = false;
  return <E extends EventName>(event: E, payload: EventPayload<E>) => {
    if (event === 'job.finished') {
      if (open) stream.write('\n');
      open = false;
      lastPhase = '';
      return;
    }
    if (event !== 'job.progress') return;
    const p = payload as EventPayload<'job.progress'>;
    const line = renderBar(p);
    const phaseKey = `${p.jobId}:${p.phase}`;
    if (tty) {
      if (open && phaseKey !== lastPhase) stream.write('\n');
      stream.write(`\r${line.slice(0, (stream.columns ?? 120) - 1).padEnd(Math.min(line.length, (stream.columns ?? 120) - 1))}\x1b[K`);
      open = true;
    } else {
      const now = Date.now();
      if (phaseKey === lastPhase && p.done < p.total && now - lastPrinted < PIPED_EVERY_MS) return;
      lastPrinted = now;
      stream.write(`${line}\n`);
    }
    lastPhase = phaseKey;
  };
}
