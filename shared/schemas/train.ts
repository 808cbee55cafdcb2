// Schemas of GAN training runs, samples and metrics. Owned by the S³GAN trainer.
import { z } from 'zod';
import { AbsPath, Id } from './common';
import { Method } from './method';
import { TrainConfigFields } from './train-config';

export { Method } from './method';

/** 'train.start': any subset of TrainConfig's fields (the rest take their defaults), or `resume` a run. */
export const TrainParams = TrainConfigFields.extend({
  /** Continue this run from its newest checkpoint; its stored config is the whole truth. */
  resume: Id.optional(),
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

/** One session of a PyTorch job (a rerun may use other processes or another machine). */
export const JobSession = z.object({
  fromStep: z.number().int().min(0),
  worldSize: z.number().int().min(1),
  nodes: z.number().int().min(1),
  /** 'cpu' or 'cuda' (torch's device type). */
  device: z.string(),
  deviceName: z.string().optional(),
  bf16: z.boolean(),
  host: z.string().optional(),
  startedAt: z.string().optional(),
});
export type JobSession = z.infer<typeof JobSession>;
/**
 * Where an imported run was trained (runs/<run>/origin.json): a PyTorch job (its torch version and
 * sessions, the last being the latest) or another copy of the app; the folder it came from; and for an
 * app run continued as a job, the run and step it resumed from.
 */
export const RunOrigin = z.object({
  trainer: z.enum(['pytorch', 'app']),
  torch: z.string().optional(),
  python: z.string().optional(),
  sessions: z.array(JobSession).optional(),
  importedFrom: z.string(),
  importedAt: z.string(),
  /** The job's own run id (the imported run may get another id: runs are never overwritten). */
  jobRun: z.string(),
  resumedFrom: z.object({ run: Id, step: z.number().int().min(0) }).optional(),
});
export type RunOrigin = z.infer<typeof RunOrigin>;

/** 'runs.import' / `s3gan import-run`: a PyTorch job folder (or just its run/) added as a new run. */
export const ImportRunParams = z.object({ dir: AbsPath });
export const ImportRunResult = z.object({ run: Id, step: z.number().int(), origin: RunOrigin });
export type ImportRunResult = z.infer<typeof ImportRunResult>;

/** 'train.exportJob' / `s3gan export-job`: the form's run (or `resume` an app run) as a PyTorch job in `out`. */
export const ExportJobParams = TrainParams.extend({
  /** An absolute folder; refused when not empty unless `overwrite`. */
  out: AbsPath,
  overwrite: z.boolean().optional(),
});
export const ExportJobResult = z.object({
  out: z.string(), run: Id, images: z.number().int(), method: Method, steps: z.number().int(),
  /** With `resume`: the app run's step the job continues from. */
  fromStep: z.number().int().optional(),
});
export type ExportJobResult = z.infer<typeof ExportJobResult>;

/** 'train.pytorch': the local Python with torch (S3GAN_PYTHON, python3, /usr/bin/python3), or why none. */
export const PytorchProbe = z.discriminatedUnion('found', [
  z.object({ found: z.literal(true), python: z.string(), torch: z.string(), cuda: z.boolean(), gpus: z.number().int().min(0) }),
  z.object({ found: z.literal(false), tried: z.array(z.object({ python: z.string(), reason: z.string() })) }),
]);
/** 'train.runLocal': the run trained by the PyTorch job on this machine, imported; its origin. */
export const LocalJobResult = TrainResult.extend({ origin: RunOrigin });

export const RunSummary = z.object({
  run: Id,
  method: Method,
  step: z.number().int(),
  steps: z.number().int(),
  state: z.enum(['running', 'paused', 'stopped', 'done', 'failed']),
  checkpoints: z.array(z.number().int()),
  grids: z.array(z.number().int()),
  createdAt: z.string(),
  /**
   * Present when the run was left running/paused by an engine that died (state then reads 'stopped'):
   * the step it reached, the checkpoint train.start {resume} continues from, and the steps trained again.
   * UI: "Interrupted at step {checkpoint} — Resume" ({lost} steps lost).
   */
  interrupted: z.object({ step: z.number().int(), checkpoint: z.number().int(), lost: z.number().int() }).optional(),
  /** Imported runs: where they were trained (PyTorch world size and device). */
  origin: RunOrigin.optional(),
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

/** 'samples.export' / `s3gan export-samples`: a labeled dataset of generated images, one folder per class. */
export const ExportSamplesParams = z.object({
  run: Id,
  step: z.number().int().min(0).optional(),
  perClass: z.number().int().min(1).max(100_000),
  truncation: z.number().min(0.05).max(4).optional(),
  seed: z.number().int().min(0).max(2 ** 31 - 1).optional(),
  /** An absolute folder; refused when not empty unless `overwrite`. */
  out: AbsPath,
  overwrite: z.boolean().optional(),
});
export const ExportSamplesResult = z.object({ out: z.string(), run: Id, step: z.number().int(), images: z.number().int(), classes: z.array(z.string()) });
export type ExportSamplesResult = z.infer<typeof ExportSamplesResult>;
