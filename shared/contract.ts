// THE contract: every request → response and every event between the renderer and the app
// (Electron IPC or the web bridge), and between the app and its engine process.
// Both sides import only this file; wrappers (preload, ipc-main, bridge, renderer api) derive from it.
import { z } from 'zod';
import {
  AbsPath, BackendInfo, ClassDef, Id, ImageItem, ImportReport, JobKind, JobProgress, LabelSource,
  ProjectSettings, ProjectStatus, ProjectSummary, WireError,
} from './schemas/common';
import {
  AnnotationsResult, ClusterParams, ClusterResult, FeaturesParams, FeaturesResult, InferParams,
  InferResult, SuggestParams, SuggestResult,
} from './schemas/ml';
import { describeIssues } from './issues';
import { ExportJobParams, ExportJobResult, ExportSamplesParams, ExportSamplesResult, ImportRunParams, ImportRunResult, LocalJobResult, PytorchProbe, RunGridParams, RunMetricsResult, RunsResult, SampleParams, SampleResult, TrainParams, TrainResult } from './schemas/train';

export * from './schemas/common';
export * from './schemas/ml';
export * from './schemas/train';
export * from './schemas/train-config';
export * from './schemas/train-defaults';
export * from './schemas/gan-config';

const Empty = z.object({}).strict();
const Ok = z.object({ ok: z.literal(true) });
/** `revision`: the project's label revision after the change (always sent by the engine; compare with labels.changed). */
const LabelChange = z.object({ applied: z.number().int(), group: Id.nullable(), revision: z.number().int().optional() });
/** A label change as every client sees it, so each tab patches its gallery and counts without a refetch. */
export const LabelPatch = z.object({ id: Id, label: Id.nullable(), labelSource: LabelSource.nullable(), excluded: z.boolean() });

function req<P extends z.ZodType, R extends z.ZodType>(params: P, result: R) {
  return { params, result };
}

export const requests = {
  // app & environment
  'app.info': req(Empty, z.object({ version: z.string(), mode: z.enum(['electron', 'web', 'cli']), backend: BackendInfo.nullable() })),
  'fs.list': req(z.object({ path: AbsPath.optional() }).strict(), z.object({
    path: z.string(), parent: z.string().nullable(),
    entries: z.array(z.object({ name: z.string(), dir: z.boolean() })),
  })),
  'dialog.pickFolder': req(z.object({ title: z.string().max(200).optional() }).strict(), z.object({ path: z.string().nullable() })),

  // project lifecycle
  'project.create': req(z.object({ path: AbsPath, name: z.string().min(1).max(200).optional() }).strict(), ProjectSummary),
  'project.open': req(z.object({ path: AbsPath }).strict(), ProjectSummary),
  'project.close': req(Empty, Ok),
  'project.current': req(Empty, ProjectSummary.nullable()),
  'project.recent': req(Empty, z.object({ projects: z.array(z.object({ path: z.string(), name: z.string(), openedAt: z.string() })) })),
  'project.status': req(Empty, ProjectStatus),
  'project.settings': req(ProjectSettings.partial().strict(), ProjectSettings),
  // The embedded MNIST demo as a job (kind 'import'): digits written as PNGs, project created and imported,
  // K hand labels per class, the rest stored as evaluation truth; then it is the open project.
  // An existing demo folder with the same options is just opened.
  'demo.create': req(z.object({
    path: AbsPath.optional(), // default: "S3GAN Demo" in the engine user's home folder
    images: z.number().int().min(10).max(10_000).optional(), // default 1000
    labelsPerClass: z.number().int().min(1).max(100).optional(), // default 5
  }).strict(), ProjectSummary),

  // images
  'images.import': req(z.object({ folders: z.array(AbsPath).min(1).max(100) }).strict(), ImportReport),
  'images.list': req(Empty, z.object({ items: z.array(ImageItem) })),
  // The full image for the large preview: WebP, longest side ≤ 1024 px (never enlarged), as a data URL.
  'images.preview': req(z.object({ id: Id }).strict(), z.object({
    dataUrl: z.string().startsWith('data:image/webp;base64,'), width: z.number().int().positive(), height: z.number().int().positive(),
  })),
  'images.exclude': req(z.object({ ids: z.array(Id).min(1).max(100_000), excluded: z.boolean() }).strict(), LabelChange),

  // labels (every change is persisted before the response: the response IS the acknowledgement)
  'labels.set': req(z.object({
    ids: z.array(Id).min(1).max(100_000),
    classId: Id.nullable(), // null clears
    source: LabelSource.optional(),
    // Default false: images that already carry a label a person gave (source hand, bulk or import) of
    // another class are skipped and counted in `skipped`. A single-image 'hand' label always applies.
    overwrite: z.boolean().optional(),
  }).strict(), LabelChange.extend({
    skipped: z.number().int().optional(), // always sent by the engine
    skippedIds: z.array(Id).optional(), // the first 1000 skipped ids
  })),
  'labels.undo': req(Empty, LabelChange),
  'labels.redo': req(Empty, LabelChange),
  // dryRun: writes nothing; applied/created say what would change, conflicts the labels it would replace.
  'labels.import': req(z.object({ file: AbsPath, truth: z.boolean().optional(), fromFolders: z.boolean().optional(), dryRun: z.boolean().optional() }).strict(), z.object({
    applied: z.number().int(), created: z.array(z.string()),
    unknown: z.array(z.string()), bad: z.array(z.object({ line: z.number().int(), reason: z.string() })),
    conflicts: z.array(z.object({ path: z.string(), current: z.string(), incoming: z.string() })).optional(),
  })),
    // An existing file (csv/json) or non-empty folder (folders) is refused with CONFLICT unless overwrite.
  'labels.export': req(z.object({ format: z.enum(['csv', 'json', 'folders']), out: AbsPath, inferred: z.boolean().optional(), overwrite: z.boolean().optional() }).strict(),
    z.object({ written: z.number().int(), out: z.string() })),

  // classes
  'classes.add': req(z.object({ name: z.string().min(1).max(200), color: ClassDef.shape.color.optional() }).strict(), ClassDef),
  'classes.update': req(z.object({ id: Id, name: z.string().min(1).max(200).optional(), color: ClassDef.shape.color.optional() }).strict(), ClassDef),
  'classes.reorder': req(z.object({ ids: z.array(Id).min(1) }).strict(), z.object({ classes: z.array(ClassDef) })),
  // Merge and delete are undo steps (labels.undo restores the class and its labels); `group` names the step.
  'classes.merge': req(z.object({ from: Id, into: Id }).strict(), z.object({ moved: z.number().int(), group: Id.nullable().optional() })),
  'classes.delete': req(z.object({ id: Id }).strict(), z.object({ unlabeled: z.number().int(), group: Id.nullable().optional() })),

  // jobs
  'job.cancel': req(z.object({ jobId: Id }).strict(), z.object({ cancelled: z.boolean() })),
  'job.list': req(Empty, z.object({ jobs: z.array(JobProgress) })),

  // ML stages
  'features.run': req(FeaturesParams.strict(), FeaturesResult),
  'cluster.run': req(ClusterParams.strict(), ClusterResult),
  'infer.run': req(InferParams.strict(), InferResult),
  'suggest.get': req(SuggestParams.strict(), SuggestResult),
  'annotations.get': req(Empty, AnnotationsResult),

  // GAN training
  'train.start': req(TrainParams.strict(), TrainResult),
  'train.pause': req(z.object({ run: Id }).strict(), Ok),
  'train.resume': req(z.object({ run: Id }).strict(), Ok),
  'train.stop': req(z.object({ run: Id }).strict(), Ok),
  // A job (kind 'export'): a self-contained PyTorch job folder for this run (s3gan export-job); CONFLICT
  // for a non-empty folder unless overwrite. The job writes out/run/, which runs.import brings back.
  'train.exportJob': req(ExportJobParams.strict(), ExportJobResult),
  // Whether a local PyTorch can run the job (probed once per engine; importing torch takes seconds).
  'train.pytorch': req(Empty, PytorchProbe),
  // A job (kind 'train'): the form's run exported into <project>/pytorch-jobs/, trained by its run.sh
  // (one process per CUDA GPU, else one) with progress, then imported; cancel stops it (kept: its checkpoints).
  'train.runLocal': req(TrainParams.strict(), LocalJobResult),
  'runs.list': req(Empty, RunsResult),
  // A PyTorch job folder or its run/ checked against the project and added as a NEW run (copied into a
  // temp folder inside runs/, renamed at the end: nothing half-imported); INVALID_PAYLOAD/IO say why not.
  'runs.import': req(ImportRunParams.strict(), ImportRunResult),
  'runs.metrics': req(z.object({ run: Id }).strict(), RunMetricsResult),
  // The grid the trainer saved at that step (every gridEvery steps; RunSummary.grids lists them): NOT_FOUND when absent.
  'runs.grid': req(RunGridParams.strict(), SampleResult),
  'sample.grid': req(SampleParams.strict(), SampleResult),
  // A job (kind 'export'): DIR/<class>/<n>.png + labels.csv + manifest.json.
  'samples.export': req(ExportSamplesParams.strict(), ExportSamplesResult),
} as const;

export const events = {
  'job.progress': JobProgress,
  'job.finished': z.object({
    jobId: Id, kind: JobKind, ok: z.boolean(), error: WireError.optional(),
    /** The user cancelled it: a normal outcome (a toast, not an error dialog). */
    cancelled: z.boolean().optional(),
    /** The engine process died while it ran; `step` = its last reported progress (runs.list says which checkpoint survives). */
    interrupted: z.boolean().optional(),
    step: z.number().nonnegative().optional(),
  }),
  'images.changed': z.object({ added: z.number().int(), missing: z.number().int(), relinked: z.number().int() }),
  // Sent to every client after each label change (set, undo, redo, exclude, import, class merge/delete).
  // The optional fields are always sent by the engine: the revision after the change, the changed images,
  // the project's counts and whether undo/redo are possible — enough for another tab to converge.
  'labels.changed': z.object({
    ids: z.array(Id), group: Id.nullable(),
    revision: z.number().int().optional(),
    changes: z.array(LabelPatch).optional(),
    status: ProjectStatus.optional(),
    canUndo: z.boolean().optional(),
    canRedo: z.boolean().optional(),
  }),
  'classes.changed': z.object({ classes: z.array(ClassDef) }),
  'project.changed': z.object({ path: z.string().nullable() }),
  'train.metrics': z.object({ run: Id, row: z.record(z.string(), z.number()) }),
} as const;

export type RequestName = keyof typeof requests;
export type EventName = keyof typeof events;
export type Params<K extends RequestName> = z.input<(typeof requests)[K]['params']>;
export type Result<K extends RequestName> = z.output<(typeof requests)[K]['result']>;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;
export const requestNames = Object.keys(requests) as RequestName[];
export const eventNames = Object.keys(events) as EventName[];

/** Requests answered by the host (Electron main / bridge) rather than the engine process. */
export const hostRequests: ReadonlySet<RequestName> = new Set(['dialog.pickFolder', 'app.info']);

/** An error that crosses a boundary as `{name, message, code}`. */
export class ContractError extends Error {
  constructor(public readonly code: WireError['code'], message: string) {
    super(message);
    this.name = 'ContractError';
  }
  toWire(): WireError {
    return { name: this.name, message: this.message, code: this.code };
  }
}

export function toWireError(err: unknown): WireError {
  if (err instanceof ContractError) return err.toWire();
  const parsed = WireError.safeParse(err);
  if (parsed.success) return parsed.data;
  if (err instanceof Error) return { name: err.name, message: err.message, code: 'INTERNAL' };
  return { name: 'Error', message: String(err), code: 'INTERNAL' };
}

/** Validate an incoming request; throws ContractError('INVALID_PAYLOAD' | 'UNKNOWN_REQUEST'). */
export function parseRequest<K extends RequestName>(name: string, params: unknown): { name: K; params: z.output<(typeof requests)[K]['params']> } {
  if (!Object.prototype.hasOwnProperty.call(requests, name)) {
    throw new ContractError('UNKNOWN_REQUEST', `Unknown request "${name}"`);
  }
  const schema = requests[name as K].params;
  const r = schema.safeParse(params ?? {});
  if (!r.success) throw new ContractError('INVALID_PAYLOAD', `Cannot run ${name}: ${describeIssues(r.error, params ?? {})}`);
  return { name: name as K, params: r.data as z.output<(typeof requests)[K]['params']> };
}

/** Validate a response on arrival (the renderer checks what the app answers, not only what it sends). */
export function parseResult<K extends RequestName>(name: K, result: unknown): Result<K> {
  const r = requests[name].result.safeParse(result);
  if (!r.success) throw new ContractError('INTERNAL', `The app answered "${name}" with an unexpected shape (${describeIssues(r.error)}); the app and this window may be different versions — reload.`);
  return r.data as Result<K>;
}

export function parseEvent<E extends EventName>(name: E, payload: unknown): EventPayload<E> {
  const r = events[name].safeParse(payload);
  if (!r.success) throw new ContractError('INVALID_PAYLOAD', `Invalid event "${name}": ${describeIssues(r.error)}`);
  return r.data as EventPayload<E>;
}

/** The verb-level API both the preload and the web bridge client implement. */
export type Api = { [K in RequestName]: (params: Params<K>) => Promise<Result<K>> } & {
  on<E extends EventName>(event: E, cb: (payload: EventPayload<E>) => void): () => void;
};
