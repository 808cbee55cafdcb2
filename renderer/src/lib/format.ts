// Small display formatters shared by views.

export function formatEta(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s left`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s left`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m left`;
}

export function percent(part: number, whole: number, digits = 0): string {
  if (whole <= 0) return '0%';
  return `${((100 * part) / whole).toFixed(digits)}%`;
}


/** The compute backend in plain words ("backend: not loaded" meant nothing to users). */
export function backendWords(b: { backend: string; gpu: boolean } | null): string {
  if (!b) return 'Computing starts with the first stage';
  return `Computes on the ${b.gpu ? 'GPU' : 'CPU'} (${b.backend})`;
}
