// Every training default in one place (nanoGPT's configurator): the run's config.json is exactly this
// plus the model config, written once at start and read back verbatim on --resume.
import { z } from 'zod';
import { Method } from '../../../shared/contract';
import type { GanConfig } from '../models/gan-config';

export interface TrainSettings {
  steps: number; // total G updates of the run
  batch: number;
  lrG: number; // 2e-4 at small scale (compare_gan 128 px: 1e-4)
  lrD: number; // 2–5× lr_G
  dSteps: number; // D updates per G update
  emaDecay: number;
  emaStart: number; // G step from which the average starts (before: a copy of G)
  logEvery: number; // metrics.jsonl row + train.metrics event every k steps
  checkpointEvery: number;
  keepCheckpoints: number; // newest kept, besides milestones
  milestoneEvery: number; // checkpoints at multiples of this are kept forever
  gridEvery: number;
  evalEvery: number; // FD-SS / KID-SS / CAS during training; 0 = only at the end
  seed: number;
  diffaug: boolean;
  rotatedFraction: number; // of each batch whose 90/180/270° rotations feed the rotation head
  labeledFraction: number; // of each real batch drawn from the hand-labeled pool (co-training)
}

export const DEFAULT_TRAIN: TrainSettings = {
  steps: 2000,
  batch: 32,
  lrG: 2e-4,
  lrD: 4e-4,
  dSteps: 2,
  emaDecay: 0.995, // half-life ≈ 140 G steps: 0.999 lagged ~700 steps behind G on CPU-length runs (grids at step 400 ≈ G at step 200)
  emaStart: 200,
  logEvery: 10,
  checkpointEvery: 200,
  keepCheckpoints: 3,
  milestoneEvery: 1000,
  gridEvery: 200,
  evalEvery: 0,
  seed: 0,
  diffaug: false,
  rotatedFraction: 0.25,
  labeledFraction: 0.25,
};

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

const GanConfigSchema = z.object({
  resolution: z.number().int(),
  channels: z.union([z.literal(1), z.literal(3)]),
  ch: z.number().int().positive(),
  dCh: z.number().int().positive().optional(),
  zDim: z.number().int().positive(),
  hierarchicalZ: z.boolean(),
  numClasses: z.number().int().positive(),
  embedYDim: z.number().int().positive(),
  gSpectralNorm: z.boolean(),
  conditionSeed: z.boolean().optional(),
  heads: z.object({ projection: z.boolean(), rotation: z.boolean(), classifier: z.boolean() }).strict(),
}).strict();

const TrainSettingsSchema = z.object({
  steps: z.number().int().positive(),
  batch: z.number().int().positive(),
  lrG: z.number().positive(),
  lrD: z.number().positive(),
  dSteps: z.number().int().positive(),
  emaDecay: z.number().min(0).max(1),
  emaStart: z.number().int().nonnegative(),
  logEvery: z.number().int().positive(),
  checkpointEvery: z.number().int().positive(),
  keepCheckpoints: z.number().int().positive(),
  milestoneEvery: z.number().int().positive(),
  gridEvery: z.number().int().nonnegative(),
  evalEvery: z.number().int().nonnegative(),
  seed: z.number().int(),
  diffaug: z.boolean(),
  rotatedFraction: z.number().gt(0).max(1),
  labeledFraction: z.number().gt(0).max(1),
}).strict();

export const RunConfigSchema = z.object({
  format: z.literal(1),
  run: z.string().min(1),
  method: Method,
  labels: z.enum(['project', 'truth']),
  benchmark: z.boolean(),
  gan: GanConfigSchema,
  train: TrainSettingsSchema,
  classNames: z.array(z.string()),
  classIds: z.array(z.string()),
  createdAt: z.string(),
}).strict();

export function parseRunConfig(raw: unknown): RunConfig {
  return RunConfigSchema.parse(raw) as RunConfig;
}
