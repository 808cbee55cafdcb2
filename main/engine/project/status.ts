// Read-only views of a project for the UI and CLI: status counts and the image list.
import type { ImageItem, LabelSource, ProjectStatus } from '../../../shared/contract';
import type { Project } from './project';

const SOURCES: LabelSource[] = ['hand', 'bulk', 'cluster', 'accepted-inference', 'import'];

/** labeled = non-excluded images with any non-truth label; truth is counted apart. */
export function projectStatus(project: Project): ProjectStatus {
  const byClass: Record<string, number> = Object.fromEntries(project.classes().map((c) => [c.id, 0]));
  const bySource = Object.fromEntries(SOURCES.map((s) => [s, 0])) as Record<LabelSource, number>;
  let labeled = 0;
  let missing = 0;
  let excluded = 0;
  for (const img of project.index.list()) {
    if (img.status === 'missing') missing += 1;
    if (project.labels.isExcluded(img.id)) {
      excluded += 1;
      continue;
    }
    const label = project.labelOf(img.id);
    if (!label) continue;
    labeled += 1;
    bySource[label.source] += 1;
    byClass[label.classId] = (byClass[label.classId] ?? 0) + 1;
  }
  let truth = 0;
  for (const id of project.truthLabels().keys()) if (project.index.has(id)) truth += 1;
  return {
    path: project.dir,
    name: project.name,
    images: project.index.size,
    labeled,
    labeled_by_source: bySource,
    classes: project.classes().length,
    missing,
    excluded,
    truth,
    folders: [...project.manifest.folders],
    per_class: byClass,
  };
}

/** Every image with its current label, in import order. O(n), no disk access. */
export function listImages(project: Project): ImageItem[] {
  return project.index.list().map((img) => {
    const label = project.labelOf(img.id);
    return {
      id: img.id,
      name: img.name,
      source: img.source,
      rel: img.rel,
      width: img.width,
      height: img.height,
      status: img.status,
      excluded: project.labels.isExcluded(img.id),
      label: label?.classId ?? null,
      labelSource: label?.source ?? null,
      order: img.order,
    };
  });
}
