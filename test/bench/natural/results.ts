// Where bench:natural keeps its results: one JSON per row (committed), the default variant's at
// bench-output/natural/<row>.json and experiments' at bench-output/natural/variants/<variant>/<row>.json.
// A row whose JSON exists is done; rerunning it means deleting the file (or NATURAL_RERUN=1).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const OUT_DIR = join(process.cwd(), 'bench-output', 'natural');
/** Projects, PNGs and checkpoints (not committed). */
export const WORK_DIR = join(OUT_DIR, 'work');
export const DEFAULT_VARIANT = 'default';

export interface LabelRowResult {
  kind: 'labels';
  row: string;
  set: string;
  /** 'default' = today's engine defaults; any other name is an experiment (see docs/quality-notes.md). */
  variant: string;
  /** The variant whose features (and clusters) this row used. */
  featuresFrom: string;
  images: number;
  fraction: number;
  hand_labels: number;
  /** Images scored: with truth and no hand label. */
  evaluated: number;
  backend: string;
  feature_epochs: number;
  infer_epochs: number | null;
  encoder: Record<string, unknown>;
  rotation_accuracy: number;
  nmi: number;
  purity: number;
  accuracy: number;
  ridge_probe_cv_accuracy: number | null;
  per_class: Record<string, number>;
  knn_1: number;
  knn_10: number;
  /** Wall minutes; features and cluster are shared by every row of the set (measured once). */
  minutes: { setup: number; features: number; cluster: number; infer: number; total: number };
  /** Engine code of this run (its infer stage) and of the run that computed the shared features. */
  engine: { commit: string; dirty: string[] };
  features_engine?: { commit: string; dirty: string[] };
  env: Record<string, string>;
  finishedAt: string;
  machine: string;
}

export interface GanRowResult {
  kind: 'gan';
  row: string;
  set: string;
  variant: string;
  method: string;
  labels: 'project' | 'truth';
  fraction: number;
  hand_labels: number;
  steps: number;
  flags: Record<string, unknown>;
  run: string;
  backend: string;
  img_per_s: number;
  /** Wall minutes of training (the budget), evaluation not included. */
  minutes: number;
  /** `s3gan eval` of the final step: fd_ss, fd_ss_floor, kid_ss, cas (hand-label ridge), cas_truth, diversity_ss … */
  metrics: Record<string, number>;
  /** Accuracy of the independent classifier on the generated images of each class (100 per class). */
  cas_independent: number;
  cas_independent_per_class: Record<string, number>;
  classifier: { epochs: number; trainImages: number; testAccuracy: number; minutes: number };
  /** Repository path of the run's grid. */
  grid: string;
  engine: { commit: string; dirty: string[] };
  finishedAt: string;
  machine: string;
}

export type RowResult = LabelRowResult | GanRowResult;

export function resultPath(variant: string, row: string): string {
  return variant === DEFAULT_VARIANT ? join(OUT_DIR, `${row}.json`) : join(OUT_DIR, 'variants', variant, `${row}.json`);
}

export function readResult(variant: string, row: string): RowResult | null {
  const p = resultPath(variant, row);
  return existsSync(p) ? (JSON.parse(readFileSync(p, 'utf8')) as RowResult) : null;
}

/** Every stored result: default variant first, then experiments by name. */
export function allResults(): RowResult[] {
  const read = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as RowResult) : []);
  const variantsDir = join(OUT_DIR, 'variants');
  const variants = existsSync(variantsDir) ? readdirSync(variantsDir).sort() : [];
  return [...read(OUT_DIR), ...variants.flatMap((v) => read(join(variantsDir, v)))];
}
