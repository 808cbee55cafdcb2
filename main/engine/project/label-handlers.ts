// Request handlers for labels.* and classes.*. Each response follows the fsync of its change.
import type { JobKind, LabelSource } from '../../../shared/contract';
import type { Handlers } from '../base/handlers';
import type { Emit, JobContext } from '../base/job-context';
import { addClass, deleteClass, mergeClasses, reorderClasses, updateClass } from './classes';
import { exportLabels } from './labels-export';
import { importLabels } from './labels-import';
import type { Project } from './project';
import type { ProjectSession } from './session';

export type RunJob = <T>(kind: JobKind, fn: (job: JobContext) => Promise<T>, signal?: AbortSignal) => Promise<T>;

/** One id is a hand label; several at once default to 'bulk'. */
function defaultSource(ids: string[], source?: LabelSource): LabelSource {
  return source ?? (ids.length > 1 ? 'bulk' : 'hand');
}

/** Undo/redo of a class merge/delete also changes the class list: say so before the labels. */
async function undoRedo(project: Project, kind: 'undo' | 'redo', emit: Emit): Promise<{ applied: number; group: string | null; revision: number }> {
  const r = await (kind === 'undo' ? project.undo() : project.redo());
  if (r.classOp) emit('classes.changed', { classes: project.classes() });
  if (r.group) emit('labels.changed', { ids: r.ids, group: r.group });
  return { applied: r.applied, group: r.group, revision: project.labelRevision() };
}

export function createLabelHandlers(session: ProjectSession, runJob: RunJob): Handlers {
  return {
    'labels.set': async ({ ids, classId, source, overwrite }, ctx) => {
      const project = session.current();
      const r = await project.changeLabels(ids, classId, defaultSource(ids, source), { overwrite: overwrite === true });
      if (r.group) ctx.emit('labels.changed', { ids: r.ids, group: r.group });
      const skipped = r.skipped ?? [];
      return { applied: r.applied, group: r.group, revision: project.labelRevision(), skipped: skipped.length, skippedIds: skipped.slice(0, 1000) };
    },
    'labels.undo': async (_p, ctx) => undoRedo(session.current(), 'undo', ctx.emit),
    'labels.redo': async (_p, ctx) => undoRedo(session.current(), 'redo', ctx.emit),
    'labels.import': async (params, ctx) => {
      const project = session.current();
      const before = project.classes().length;
      const r = await runJob('labels-import', () => importLabels(project, params), ctx.signal);
      if (project.classes().length !== before) ctx.emit('classes.changed', { classes: project.classes() });
      if (r.group) ctx.emit('labels.changed', { ids: r.ids, group: r.group });
      return { applied: r.applied, created: r.created, unknown: r.unknown, bad: r.bad, conflicts: r.conflicts };
    },
    'labels.export': async (params) => exportLabels(session.current(), params),

    'classes.add': async ({ name, color }, ctx) => {
      const project = session.current();
      const def = await addClass(project, name, color);
      ctx.emit('classes.changed', { classes: project.classes() });
      return def;
    },
    'classes.update': async ({ id, name, color }, ctx) => {
      const project = session.current();
      const def = await updateClass(project, id, { ...(name !== undefined ? { name } : {}), ...(color !== undefined ? { color } : {}) });
      ctx.emit('classes.changed', { classes: project.classes() });
      return def;
    },
    'classes.reorder': async ({ ids }, ctx) => {
      const classes = await reorderClasses(session.current(), ids);
      ctx.emit('classes.changed', { classes });
      return { classes };
    },
    'classes.merge': async ({ from, into }, ctx) => {
      const project = session.current();
      const { moved, ids, group } = await mergeClasses(project, from, into);
      ctx.emit('classes.changed', { classes: project.classes() });
      ctx.emit('labels.changed', { ids, group });
      return { moved, group };
    },
    'classes.delete': async ({ id }, ctx) => {
      const project = session.current();
      const { unlabeled, ids, group } = await deleteClass(project, id);
      ctx.emit('classes.changed', { classes: project.classes() });
      ctx.emit('labels.changed', { ids, group });
      return { unlabeled, group };
    },
  };
}
