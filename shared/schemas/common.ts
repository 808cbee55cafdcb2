// Domain schemas shared by engine, main, bridge and renderer. Pure zod: no Node, no DOM.
import { z } from 'zod';

export const Id = z.string().min(1).max(128);
/** POSIX `/…`, Windows `C:\…` or `C:/…`, or UNC `\\server\share`. */
export function isAbsolutePath(p: string): boolean {
  return p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\');
}
/**
 * Paths from the UI (bridge, IPC) must be absolute: a relative one would resolve against the server's
 * working directory, not anything the user chose. The CLI resolves its arguments against the user's cwd first.
 */
export const AbsPath = z.string().min(1).max(4096).refine(isAbsolutePath, {
  message: 'must be an absolute path (like /home/you/photos or C:\\Users\\you\\photos): pick the folder in the browser or type the full path',
});

/** Where a label came from; reports count labels by source. Truth is never a source here. */
export const LabelSource = z.enum(['hand', 'bulk', 'cluster', 'accepted-inference', 'import']);
export type LabelSource = z.infer<typeof LabelSource>;

export const ClassDef = z.object({
  id: Id,
  name: z.string().min(1).max(200),
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/),
});
export type ClassDef = z.infer<typeof ClassDef>;

export const ImageStatus = z.enum(['ok', 'missing']);

/** One row of the image index as the UI sees it (compact; 20k of these must be cheap). */
export const ImageItem = z.object({
  id: Id, // content hash (sha256 hex prefix): dedupe key and stable identity across moves
  name: z.string(),
  source: z.string(), // absolute path of the source file
  rel: z.string(), // path relative to the imported folder
  width: z.number().int().nonnegative(),
  height: z.number().int().nonnegative(),
  status: ImageStatus,
  excluded: z.boolean(),
  label: Id.nullable(),
  labelSource: LabelSource.nullable(),
  order: z.number().int().nonnegative(), // import order
});
export type ImageItem = z.infer<typeof ImageItem>;

export const ProjectStatus = z.object({
  path: z.string(),
  name: z.string(),
  images: z.number().int(),
  labeled: z.number().int(), // images with any non-truth label
  labeled_by_source: z.record(LabelSource, z.number().int()),
  classes: z.number().int(),
  missing: z.number().int(),
  excluded: z.number().int(),
  truth: z.number().int(), // evaluation-only labels stored apart
  folders: z.array(z.string()),
  per_class: z.record(z.string(), z.number().int()), // classId -> labeled count
});
export type ProjectStatus = z.infer<typeof ProjectStatus>;

export const ProjectSettings = z.object({
  resolution: z.number().int().min(8).max(256),
  channels: z.enum(['auto', '1', '3']),
  backend: z.enum(['auto', 'tensorflow', 'wasm', 'cpu']),
});
export type ProjectSettings = z.infer<typeof ProjectSettings>;

export const ProjectSummary = z.object({
  path: z.string(),
  name: z.string(),
  classes: z.array(ClassDef),
  settings: ProjectSettings,
  status: ProjectStatus,
});
export type ProjectSummary = z.infer<typeof ProjectSummary>;

export const ImportFailure = z.object({ path: z.string(), reason: z.string() });
export const ImportReport = z.object({
  scanned: z.number().int(),
  imported: z.number().int(),
  duplicates: z.number().int(),
  relinked: z.number().int(),
  failed: z.array(ImportFailure),
  cancelled: z.boolean(),
});
export type ImportReport = z.infer<typeof ImportReport>;

export const JobKind = z.enum(['import', 'features', 'cluster', 'infer', 'train', 'eval', 'labels-import', 'export']);
export type JobKind = z.infer<typeof JobKind>;

export const JobProgress = z.object({
  jobId: Id,
  kind: JobKind,
  phase: z.string(),
  done: z.number().nonnegative(),
  total: z.number().nonnegative(),
  etaMs: z.number().nonnegative().nullable(),
  message: z.string().optional(),
});
export type JobProgress = z.infer<typeof JobProgress>;

export const BackendInfo = z.object({
  backend: z.enum(['tensorflow', 'wasm', 'cpu']),
  version: z.string(),
  gpu: z.boolean(),
  gpuName: z.string().optional(),
  gpuMemoryMiB: z.number().positive().optional(),
  /** Optional native conv kernels under wasm: what runs them, or why they are not used. */
  nativeKernels: z.object({ loaded: z.boolean(), detail: z.string() }).optional(),
  tried: z.array(z.object({ backend: z.string(), ok: z.boolean(), reason: z.string().optional() })),
  advice: z.array(z.string()),
});
export type BackendInfo = z.infer<typeof BackendInfo>;

/** Errors cross every boundary as plain data; `code` is what the UI acts on. */
export const ErrorCode = z.enum([
  'INVALID_PAYLOAD',
  'UNKNOWN_REQUEST',
  'UNAUTHORIZED',
  'NO_PROJECT',
  'PROJECT_LOCKED',
  'NOT_FOUND',
  'CONFLICT',
  'STAGE_MISSING',
  'CANCELLED',
  'IO',
  'ENGINE_DIED',
  'INTERNAL',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;
export const WireError = z.object({ name: z.string(), message: z.string(), code: ErrorCode });
export type WireError = z.infer<typeof WireError>;
