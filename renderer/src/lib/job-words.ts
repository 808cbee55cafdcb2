// How the end of a job is told (pure). A cancel is a normal outcome (an info toast, issue 14: it was an
// HTTP 500 and no toast); a failure names the stage as the pipeline panel does and says why in words.
import type { EventPayload, JobKind } from '../../../shared/contract';
import { errorMessage } from './errors';

const JOB_LABEL: Record<JobKind, string> = {
  import: 'Import',
  features: 'Features',
  cluster: 'Clusters',
  infer: 'Inferred labels',
  train: 'Training',
  eval: 'Evaluation',
  'labels-import': 'Label import',
  export: 'Export',
};

export function jobLabel(kind: JobKind): string {
  return JOB_LABEL[kind];
}

export function cancelledWords(kind: JobKind): string {
  return `${jobLabel(kind)} cancelled`;
}

export function failedWords(kind: JobKind, err: unknown): string {
  return `${jobLabel(kind)} failed: ${errorMessage(err)}`;
}

/** The toast for a job.finished event, or null (it succeeded: whoever started it says so). */
export function finishedNotice(p: EventPayload<'job.finished'>): { kind: 'info' | 'error'; text: string } | null {
  if (p.ok) return null;
  if (p.cancelled || p.error?.code === 'CANCELLED') return { kind: 'info', text: cancelledWords(p.kind) };
  if (!p.error) return null;
  return { kind: 'error', text: failedWords(p.kind, p.error) };
}
