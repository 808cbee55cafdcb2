// What the UI shows per image from the finished stages (cluster, inferred label, 2-D position), and
// whether each stage is stale: clusters/inference made from older features, inference from older labels.
import type { AnnotationsResult } from '../../../shared/contract';
import { readClusters } from './cluster-stage';
import { readFeatureMap } from './feature-map';
import { readFeatures } from './features-stage';
import { readInfer } from './infer-stage';

type Annotation = AnnotationsResult['items'][number];

export function stageAnnotations(projectDir: string, labelRevision: number): AnnotationsResult {
  const features = readFeatures(projectDir);
  const clusters = readClusters(projectDir);
  const infer = readInfer(projectDir);
  const featuresDoneAt = features?.meta.doneAt ?? null;
  // The features' own map (UMAP) when cached for exactly these features, else the clusters' PCA map.
  const fmap = features ? readFeatureMap(projectDir, features.embeddings) : null;
  const fmapRow = fmap ? new Map(fmap.ids.map((id, i) => [id, i])) : null;
  const mapMethod = fmap ? fmap.method : clusters ? 'pca' : null;
  const stages: AnnotationsResult['stages'] = {
    features: features ? { doneAt: features.meta.doneAt, stale: false, map: mapMethod } : null,
    cluster: clusters ? { doneAt: clusters.doneAt, stale: clusters.featuresDoneAt !== featuresDoneAt, k: clusters.k } : null,
    infer: infer ? {
      doneAt: infer.doneAt, stale: infer.featuresDoneAt !== featuresDoneAt || infer.labelRevision !== labelRevision, classIds: infer.classIds,
      ...(infer.ridge_probe_cv_accuracy !== undefined ? { ridge_probe_cv_accuracy: infer.ridge_probe_cv_accuracy } : {}), ...(infer.ridge_probe_cv_confusion ? { ridge_probe_cv_confusion: infer.ridge_probe_cv_confusion } : {}),
    } : null,
  };
  const items = new Map<string, Annotation>();
  const item = (id: string): Annotation => {
    let a = items.get(id);
    if (!a) {
      a = { id, cluster: null, inferred: null, confidence: null, x: null, y: null };
      items.set(id, a);
    }
    return a;
  };
  for (const id of features?.meta.ids ?? []) item(id);
  clusters?.ids.forEach((id, i) => {
    const a = item(id);
    a.cluster = clusters.assignments[i]!;
    a.distance = clusters.distances?.[i] ?? null;
    if (fmap) return;
    a.x = clusters.map2d.x[i] ?? null;
    a.y = clusters.map2d.y[i] ?? null;
  });
  if (fmap && fmapRow) {
    for (const [id, r] of fmapRow) {
      const a = item(id);
      a.x = fmap.x[r] ?? null;
      a.y = fmap.y[r] ?? null;
    }
  }
  infer?.ids.forEach((id, i) => {
    if (infer.handLabeled[i]) return; // hand labels are the image's own label, not an inference
    const a = item(id);
    a.inferred = infer.predicted[i]!;
    a.confidence = infer.confidence[i]!;
  });
  return { stages, items: [...items.values()] };
}
