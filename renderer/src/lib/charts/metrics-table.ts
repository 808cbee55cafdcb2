// The Metrics panel as a table over the evaluated steps: one column per metric, each with its unit,
// instead of one linear axis mixing distances, accuracies and sample counts.

export interface MetricColumn {
  key: string;
  label: string;
  /** Shown under the label: the unit and which way is better. */
  unit: string;
  format: (v: number) => string;
}

const pct = (v: number) => `${(100 * v).toFixed(1)} %`;
const sig = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : v.toPrecision(3));
const int = (v: number) => v.toFixed(0);

/** Known eval_* metrics in the order shown; unknown ones follow with their raw names. */
const KNOWN: readonly (Omit<MetricColumn, 'key'> & { id: string })[] = [
  { id: 'fd_ss', label: 'FD-SS', unit: 'distance · lower is better', format: sig },
  { id: 'fd_ss_floor', label: 'FD-SS floor', unit: 'real vs real', format: sig },
  { id: 'kid_ss', label: 'KID-SS', unit: 'distance · lower is better', format: sig },
  { id: 'kid_ss_floor', label: 'KID-SS floor', unit: 'real vs real', format: sig },
  { id: 'cas', label: 'CAS', unit: 'accuracy · higher is better', format: pct },
  { id: 'cas_chance', label: 'CAS chance', unit: 'accuracy', format: pct },
  { id: 'cas_truth', label: 'CAS (truth)', unit: 'accuracy', format: pct },
  { id: 'diversity_ss', label: 'Diversity', unit: 'ratio to real · 1 is ideal', format: sig },
  { id: 'cotrain_head_accuracy_truth', label: 'Head accuracy', unit: 'accuracy vs truth', format: pct },
  { id: 'samples', label: 'Samples', unit: 'images per side', format: int },
];

/** Pure: the columns present in the rows' eval_* keys, known ones first in a fixed order. */
export function metricColumns(rows: readonly Record<string, number>[]): MetricColumn[] {
  const keys = new Set(rows.flatMap((r) => Object.keys(r).filter((k) => k.startsWith('eval_'))));
  const known = KNOWN.filter((m) => keys.has(`eval_${m.id}`)).map((m) => ({ key: `eval_${m.id}`, label: m.label, unit: m.unit, format: m.format }));
  const rest = [...keys].filter((k) => !KNOWN.some((m) => `eval_${m.id}` === k)).sort().map((k) => ({ key: k, label: k.slice(5), unit: '', format: sig }));
  return [...known, ...rest];
}

/** Pure: the evaluated rows (those with any eval_* value), by step. */
export function evaluatedRows(rows: readonly Record<string, number>[]): Record<string, number>[] {
  return rows.filter((r) => typeof r.step === 'number' && Object.keys(r).some((k) => k.startsWith('eval_'))).sort((a, b) => a.step! - b.step!);
}
