// What bench:natural measures. An image set is a fixed slice of CIFAR-10 turned into one project
// (features and clusters do not read labels, so every row of a set shares them); a row is one way of
// using a set. Today every row is a `labels` row: seeded hand labels at one fraction → S⁴L inferred
// labels, scored against the rest. Row kinds are a closed union on purpose: a new kind (the GAN rows of
// issue 16 — S³GAN vs `--labels truth` vs `supervised` at 32 px for a fixed CPU budget) adds its spec
// here, its runner in run.ts (RUNNERS) and its table in report.ts, and old results stay readable.
import type { TrainParams } from '../../../shared/schemas/train';
import type { CifarBatch } from './cifar10';

export interface ImageSetSpec {
  id: string;
  /** Images taken in order from the start of each batch file. */
  parts: { batch: CifarBatch; count: number }[];
  /** 'tune': free to tune on; 'report': the CIFAR-10 test batch — final numbers only, never tuned on. */
  use: 'tune' | 'report';
}

export interface LabelRowSpec {
  kind: 'labels';
  id: string;
  set: string;
  /** Hand-labeled fraction, stratified per class (picks.ts). */
  fraction: number;
}

/**
 * One GAN method at 32 px on a set with seeded hand labels: every GAN row gets the same number of steps
 * (the fixed CPU budget: 2,000 = the app's CPU default, ≈ 25 min on this machine) and otherwise the
 * app's defaults; `flags` are extra train flags of an experiment.
 */
export interface GanRowSpec {
  kind: 'gan';
  id: string;
  set: string;
  fraction: number;
  method: 's3gan' | 'supervised';
  /** 'truth': every image labeled with CIFAR's labels — the fully supervised upper bound (benchmark only). */
  labels: 'project' | 'truth';
  steps: number;
  flags: Partial<Omit<TrainParams, 'method' | 'labels' | 'steps' | 'seed' | 'resume'>>;
}

export type RowSpec = LabelRowSpec | GanRowSpec;

export const GAN_STEPS = 2000;
const ganRow = (id: string, method: GanRowSpec['method'], labels: GanRowSpec['labels']): GanRowSpec => ({ kind: 'gan', id, set: 'train-5k', fraction: 0.1, method, labels, steps: GAN_STEPS, flags: {} });

/** Seed of the hand-label picks (all sets, all fractions). */
export const PICK_SEED = 1;

export const IMAGE_SETS: ImageSetSpec[] = [
  { id: 'train-5k', parts: [{ batch: 'data_batch_1', count: 5000 }], use: 'tune' },
  { id: 'test-5k', parts: [{ batch: 'test_batch', count: 5000 }], use: 'report' },
  { id: 'train-20k', parts: [{ batch: 'data_batch_1', count: 10_000 }, { batch: 'data_batch_2', count: 10_000 }], use: 'tune' },
];

const labelRow = (set: string, percent: number): LabelRowSpec => ({ kind: 'labels', id: `${set}-${percent}pct`, set, fraction: percent / 100 });

/** In the order a full run takes them: the tuning set first, the scaling row last. */
export const ROWS: RowSpec[] = [
  labelRow('train-5k', 10),
  labelRow('train-5k', 5),
  labelRow('train-5k', 1),
  labelRow('test-5k', 10),
  labelRow('train-20k', 10),
  ganRow('gan-s3gan-10pct', 's3gan', 'project'),
  ganRow('gan-supervised-10pct', 'supervised', 'project'),
  ganRow('gan-truth', 'supervised', 'truth'),
];

export function imageSet(id: string): ImageSetSpec {
  const s = IMAGE_SETS.find((x) => x.id === id);
  if (!s) throw new Error(`unknown image set ${id}`);
  return s;
}

/** ROWS="a,b" → those rows in that order (unknown names are an error); unset/empty → all rows. */
export function selectRows(env: string | undefined): RowSpec[] {
  const wanted = [...new Set((env ?? '').split(',').map((s) => s.trim()).filter(Boolean))];
  if (!wanted.length) return ROWS;
  const unknown = wanted.filter((w) => !ROWS.some((r) => r.id === w));
  if (unknown.length) throw new Error(`unknown row(s) ${unknown.join(', ')}; known: ${ROWS.map((r) => r.id).join(', ')}`);
  return wanted.map((w) => ROWS.find((r) => r.id === w)!);
}
