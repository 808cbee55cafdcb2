// The 'labels.changed' payload every client receives: the revision after the change, the changed images'
// new state, the project's counts and undo/redo availability, so a second tab converges without refetching.
import type { EventPayload } from '../../../shared/contract';
import type { Project } from './project';
import { projectStatus } from './status';

export function labelsChanged(project: Project, ids: string[], group: string | null): EventPayload<'labels.changed'> {
  const changes = [...new Set(ids)].filter((id) => project.index.has(id)).map((id) => {
    const l = project.labelOf(id);
    return { id, label: l?.classId ?? null, labelSource: l?.source ?? null, excluded: project.labels.isExcluded(id) };
  });
  return {
    ids, group, changes,
    revision: project.labelRevision(),
    status: projectStatus(project),
    canUndo: project.labels.canUndo(),
    canRedo: project.labels.canRedo(),
  };
}
