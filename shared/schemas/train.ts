// Schemas of GAN training runs, samples and metrics. Owned by the S³GAN trainer.
import { z } from 'zod';
import { Id } from './common';

export const Method = z.enum([
  'single', 'random', 'clustering', 'clustering-ss', 's2gan', 's2gan-ss', 's2gan-co', 's3gan', 'supervised',
]);
export type Method = z.infer<typeof Method>;

export const TrainParams = z.object({
  /** Required for a new run; a resumed run takes it from its config. */
  method: Method.optional(),
  steps: z.number().int().min(1).max(10_000_000).optional(),
  resolution: z.number().int().min(8).max(128).optional(),
  ch: z.number().int().min(1).max(512).optional(),
  /** D's base width (default: ch). */
  dCh: z.number().int().min(1).max(512).optional(),
  batch: z.number().int().min(1).max(1024).optional(),
  lrG: z.number().positive().max(1).optional(),
  lrD: z.number().positive().max(1).optional(),
  dSteps: z.number().int().min(1).max(10).optional(),
  ema: z.number().min(0).max(1).optional(),
  diffaug: z.boolean().optional(),
  logEvery: z.number().int().min(1).optional(),
  resume: Id.optional(),
  seed: z.number().int().min(0).max(2 ** 31 - 1).optional(),
  /** 'truth' trains on evaluation truth: the fully supervised upper bound, marked as a benchmark run. */
  labels: z.enum(['project', 'truth']).optional(),
  emaStart: z.number().int().min(0).optional(),
  checkpointEvery: z.number().int().min(1).optional(),
  gridEvery: z.number().int().min(0).optional(),
  evalEvery: z.number().int().min(0).optional(),
  rotatedFraction: z.number().gt(0).max(1).optional(),
  labeledFraction: z.number().gt(0).max(1).optional(),
  /** Data-parallel ranks on the CPU paths (default: one per core); not part of the run, so resume may change it. */
  workers: z.number().int().min(1).max(16).optional(),
});
export type TrainParams = z.infer<typeof TrainParams>;

export const TrainResult = z.object({
  run: Id,
  step: z.number().int(),
  method: Method,
  backend: z.string(),
  img_per_s: z.number(),
  losses: z.record(z.string(), z.number()),
  checkpoint: z.string().nullable(),
  state: z.enum(['done', 'stopped']).optional(),
  benchmark: z.boolean().optional(),
  /** Data-parallel ranks the run trained on. */
  workers: z.number().int().min(1).optional(),
  /** FD-SS / KID-SS / CAS… at the final step (finite numbers only; absent when evaluation was impossible). */
  metrics: z.record(z.string(), z.number()).optional(),
});
export type TrainResult = z.infer<typeof TrainResult>;

export const RunSummary = z.object({
  run: Id,
  method: Method,
  step: z.number().int(),
  steps: z.number().int(),
  state: z.enum(['running', 'paused', 'stopped', 'done', 'failed']),
  checkpoints: z.array(z.number().int()),
  grids: z.array(z.number().int()),
  createdAt: z.string(),
});
export const RunsResult = z.object({ runs: z.array(RunSummary) });

export const MetricsRow = z.record(z.string(), z.number());
export const RunMetricsResult = z.object({ run: Id, rows: z.array(MetricsRow) });

export const SampleParams = z.object({
  run: Id,
  step: z.number().int().optional(),
  classId: Id.optional(),
  n: z.number().int().min(1).max(64).optional(),
  truncation: z.number().min(0.05).max(4).optional(),
  seed: z.number().int().optional(),
  /** Interpolate between latents number a and b of the seed's stream (n columns per row). */
  interpolate: z.tuple([z.number().int().min(0).max(1000), z.number().int().min(0).max(1000)]).optional(),
});
/** 'runs.grid': the PNG grid the trainer saved at a step (grids/step-XXXXXX.png), not a re-render. */
export const RunGridParams = z.object({ run: Id, step: z.number().int().min(0).max(100_000_000) });
export const SampleResult = z.object({ png: z.string() /* base64 */, rows: z.array(z.string()), step: z.number().int() });
export type SampleResult = z.infer<typeof SampleResult>;
export type RunSummary = z.infer<typeof RunSummary>;
