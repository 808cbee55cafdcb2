// A run's config.json: the resolved TrainConfig (shared/schemas/train-config.ts) split by where each
// field lives — method and labels at the top, widths in the model config, the rest under `train` —
// written once at start and read back verbatim on --resume.
import { z } from 'zod';
import { GanConfig, Method, PAPER_LOSS_WEIGHTS, TRAIN_FIELD_NAMES, TRAIN_FIELDS, TrainSettingsSchema, type TrainConfig, type TrainSettings } from '../../../../shared/contract';

export type { TrainSettings } from '../../../../shared/contract';

export interface RunConfig {
  format: 1;
  run: string;
  method: Method;
  /** 'truth' = evaluation truth as labels: a marked benchmark run (the fully supervised upper bound). */
  labels: 'project' | 'truth';
  benchmark: boolean;
  gan: GanConfig;
  train: TrainSettings;
  /** Row names of grids: class names, or "cluster i" for cluster presets. */
  classNames: string[];
  /** Project class ids per class index (empty for cluster/single presets). */
  classIds: string[];
  createdAt: string;
}

export const RunConfigSchema = z.object({
  format: z.literal(1),
  run: z.string().min(1),
  method: Method,
  labels: z.enum(['project', 'truth']),
  benchmark: z.boolean(),
  gan: GanConfig,
  train: TrainSettingsSchema,
  classNames: z.array(z.string()),
  classIds: z.array(z.string()),
  createdAt: z.string(),
}).strict();

/** Runs written before the loss weights were fields trained with the paper's (then hard-coded) values. */
export function parseRunConfig(raw: unknown): RunConfig {
  const r = raw as { train?: Record<string, unknown> } | null;
  const upgraded = r && typeof r === 'object' && r.train && typeof r.train === 'object' ? { ...r, train: { ...PAPER_LOSS_WEIGHTS, ...r.train } } : raw;
  return RunConfigSchema.parse(upgraded) as RunConfig;
}

/** The flat TrainConfig a run was resolved from (what --resume compares flags with; the job's config). */
export function trainConfigOf(c: RunConfig): TrainConfig {
  const out: Record<string, unknown> = {};
  for (const k of TRAIN_FIELD_NAMES) {
    const home = TRAIN_FIELDS[k].home;
    if (home === 'run') out[k] = c[k as 'method' | 'labels'];
    else if (home === 'gan') out[k] = k === 'dCh' ? (c.gan.dCh ?? c.gan.ch) : c.gan[k as 'resolution' | 'ch'];
    else if (home === 'train') out[k] = c.train[k as keyof TrainSettings];
  }
  return out as TrainConfig;
}

/** The `train` section of a resolved config. */
export function trainSection(t: TrainConfig): TrainSettings {
  return TrainSettingsSchema.parse(Object.fromEntries(Object.entries(t).filter(([k]) => TRAIN_FIELDS[k as keyof typeof TRAIN_FIELDS]?.home === 'train')));
}
