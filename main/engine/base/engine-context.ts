// What feature modules (ML stages, GAN training) get from the engine: the open project and the job layer.
// Keeps feature code independent of how the engine is hosted (in-process CLI, child process).
import type { ClassDef, JobKind, LabelSource, ProjectSettings } from '../../../shared/contract';
import type { Dataset } from './dataset';
import type { Emit, JobContext } from './job-context';

export interface OpenProject {
  /** Absolute path of the project folder; feature modules keep their files in subfolders of it. */
  readonly dir: string;
  settings(): ProjectSettings;
  classes(): ClassDef[];
  /**
   * Loads the training cache as a Dataset (excluded/missing images left out).
   * `includeTruth` is for evaluation code only (metrics, --truth reports, marked benchmark runs).
   */
  loadDataset(opts?: { resolution?: number; includeTruth?: boolean }): Promise<Dataset>;
  /** Increases whenever labels, classes or exclusions change: lets stages mark themselves stale. */
  labelRevision(): number;
  /** The current non-truth label of an image and where it came from (ML reports count labels by source). */
  labelOf?(id: string): { classId: string; source: LabelSource } | undefined;
  /** Persisted (fsync'd) before it resolves. */
  setLabels(ids: string[], classId: string | null, source: LabelSource): Promise<{ applied: number; group: string | null }>;
}

export interface EngineContext {
  /** The open project; throws ContractError('NO_PROJECT') when none is open. */
  project(): OpenProject;
  emit: Emit;
  /** Runs a cancellable job: emits job.progress / job.finished, answers job.list / job.cancel. */
  runJob<T>(kind: JobKind, fn: (job: JobContext) => Promise<T>): Promise<T>;
}
