// The paper's methods as the Train view explains them, and the Train form's model: its fields and
// defaults come from shared/schemas/train-config.ts (TRAIN_FIELDS) and train-defaults.ts.
import { TRAIN_FIELD_NAMES, TRAIN_FIELDS, trainDefaults, type BackendName, type Chosen, type DefaultsContext, type FormGroup, type Method, type TrainConfig, type TrainField, type TrainParams } from '../../../../shared/contract';

export interface PresetInfo {
  method: Method;
  title: string;
  text: string;
  /** The stage whose result the preset trains on (the Pipeline warns when it is missing or stale). */
  needs: 'cluster' | 'infer' | null;
}

export const presets: PresetInfo[] = [
  { method: 's3gan', title: 'S³GAN', needs: null, text: 'Co-training plus self-supervision: the discriminator gets a classifier head trained on your hand labels that labels the rest during training (co-training), plus rotation self-supervision. 10% labels matched fully supervised BigGAN on ImageNet.' },
  { method: 's2gan-ss', title: 'S²GAN + SS', needs: 'infer', text: 'Pre-trained S⁴L labels plus rotation self-supervision in the discriminator. The paper finds pre-trained labels beat co-training, and self-supervision helps everywhere.' },
  { method: 's2gan-co', title: 'S²GAN-CO', needs: null, text: 'Co-training only: a classifier head on the discriminator learns from the hand labels and predicts labels for unlabeled real images.' },
  { method: 's2gan', title: 'S²GAN', needs: 'infer', text: 'Trains on the S⁴L inferred labels (hard labels; hand labels override). Pre-trained labels beat co-training in the paper. Run "Inferred labels" first.' },
  { method: 'clustering-ss', title: 'Clustering (SS)', needs: 'cluster', text: 'Unsupervised: k-means cluster ids of the self-supervised features act as labels, with rotation self-supervision in D.' },
  { method: 'clustering', title: 'Clustering', needs: 'cluster', text: 'Unsupervised: k-means cluster ids act as labels. Needs the Clusters stage.' },
  { method: 'supervised', title: 'Supervised (k%)', needs: null, text: 'Trains only on the hand-labeled images: the paper\'s "BigGAN-k%" baseline, to see what the unlabeled images add.' },
  { method: 'single', title: 'Unconditional', needs: null, text: 'One label for every image: an unconditional GAN baseline.' },
  { method: 'random', title: 'Random labels', needs: null, text: 'A fixed uniformly random label per image: the baseline that shows labels must carry information.' },
];

export const presetByMethod = new Map(presets.map((p) => [p.method, p]));

export type Backend = BackendName;

/**
 * The Train form: where the run will train (which sets every default, shared/schemas/train-defaults.ts)
 * and the fields the user changed. Shown values = defaults for the choices made so far + the choices,
 * so changing ch moves the default D width, and steps the default cadence.
 */
export interface TrainForm {
  ctx: DefaultsContext;
  chosen: Chosen;
}

export function defaultsFor(backend: Backend | null, gpu: boolean, projectResolution: number): TrainForm {
  return { ctx: { backend, gpu, projectResolution }, chosen: {} };
}

/** Every field's shown value (seed and workers stay unset: random / one per core). */
export function shownValues(f: TrainForm): Partial<TrainConfig> {
  return { ...trainDefaults(f.ctx, f.chosen), ...f.chosen };
}

/** What "Start" sends: exactly the values the form shows. */
export function toParams(f: TrainForm): TrainParams {
  return shownValues(f);
}

/** The form's fields in table order, basic first: derived from TRAIN_FIELDS, none listed here. */
export function formFields(group: FormGroup): TrainField[] {
  return TRAIN_FIELD_NAMES.filter((k) => k !== 'method' && TRAIN_FIELDS[k].form === group);
}

/** Seconds per 1000 G steps from logged rows: the median step time after the first (warm-up) row. */
export function secondsPer1k(rows: readonly Record<string, number>[]): number | null {
  const times = rows.map((r) => r.step_s).filter((v): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0);
  const warm = times.length > 2 ? times.slice(1) : times;
  if (warm.length === 0) return null;
  const sorted = [...warm].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]! * 1000;
}

export function formatDuration(s: number): string {
  if (s < 90) return `${Math.round(s)} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}
