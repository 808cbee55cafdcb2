// Schemas of the ML stages (features, clusters, S⁴L inference, suggestions). Owned by the ML engine.
import { z } from 'zod';
import { BackendInfo, Id } from './common';

/** Data-parallel training threads of the features and infer stages (default: one per core, like train). */
const StageWorkers = z.number().int().min(1).max(16);

export const FeaturesParams = z.object({
  epochs: z.number().int().min(1).max(1000).optional(),
  resume: z.boolean().optional(),
  workers: StageWorkers.optional(),
});
export const FeaturesResult = z.object({
  backend: BackendInfo.shape.backend,
  images: z.number().int(),
  dim: z.number().int(),
  epochs: z.number().int(),
  finalLoss: z.number(),
  rotationAccuracy: z.number(),
  seconds: z.number(),
  /** Epochs already done by an interrupted earlier run that this run continued from (0: fresh start). */
  resumedFromEpoch: z.number().int().optional(),
  /** Data-parallel threads this run trained on. */
  workers: z.number().int().optional(),
});
export type FeaturesResult = z.infer<typeof FeaturesResult>;

export const ClusterParams = z.object({
  k: z.number().int().min(1).max(1000).optional(),
  restarts: z.number().int().min(1).max(100).optional(),
  /** PCA-whitening components before k-means (DeepCluster-style); 0 clusters the raw embeddings. */
  whiten: z.number().int().min(0).max(4096).optional(),
});
export const ClusterResult = z.object({
  backend: BackendInfo.shape.backend,
  k: z.number().int(),
  inertia: z.number(),
  sizes: z.array(z.number().int()),
  nmi: z.number().optional(),
  purity: z.number().optional(),
});
export type ClusterResult = z.infer<typeof ClusterResult>;

export const InferParams = z.object({
  epochs: z.number().int().min(1).max(1000).optional(),
  workers: StageWorkers.optional(),
});
export const InferResult = z.object({
  backend: BackendInfo.shape.backend,
  labeled: z.number().int(),
  inferred: z.number().int(),
  labeled_by_source: z.record(z.string(), z.number().int()),
  /** Ridge probe on the frozen features, k-fold CV over the hand labels — not the S⁴L labels' accuracy (stored before as cv_accuracy). */
  ridge_probe_cv_accuracy: z.number().optional(),
  /** Cross-validated hand labels: ridge_probe_cv_confusion[true][predicted], classes in project order. */
  ridge_probe_cv_confusion: z.array(z.array(z.number().int())).optional(),
  accuracy: z.number().optional(),
  per_class: z.record(z.string(), z.number()).optional(),
  confusion: z.array(z.array(z.number().int())).optional(),
  /** Data-parallel threads S⁴L trained on. */
  workers: z.number().int().optional(),
});
export type InferResult = z.infer<typeof InferResult>;

export const SuggestParams = z.object({ n: z.number().int().min(1).max(10000).optional() });
export const Suggestion = z.object({
  id: Id,
  score: z.number(),
  reason: z.string(),
  predicted: Id.nullable(),
  confidence: z.number().nullable(),
  /** 0-based cluster index, like Annotation.cluster; people see index + 1 ("cluster 1" is index 0), as `reason` says. */
  cluster: z.number().int().nullable(),
});
export const SuggestResult = z.object({
  items: z.array(Suggestion),
  /** Which finished stages the ranking used (either is enough; both is best). */
  basedOn: z.object({ clusters: z.boolean(), infer: z.boolean(), inferStale: z.boolean() }).optional(),
});
export type SuggestResult = z.infer<typeof SuggestResult>;

/** Per-image ML annotations for the UI (cluster id, inferred label, 2-D map position). */
export const Annotation = z.object({
  id: Id,
  /** 0-based index into ClusterResult.sizes; shown to people as index + 1. */
  cluster: z.number().int().nullable(),
  inferred: Id.nullable(),
  confidence: z.number().nullable(),
  /** Squared distance to the image's cluster centroid (small = typical member). */
  distance: z.number().nullable().optional(),
  x: z.number().nullable(),
  y: z.number().nullable(),
});
export const AnnotationsResult = z.object({
  stages: z.object({
    features: z.object({
      doneAt: z.string(), stale: z.boolean(),
      /** How the items' x/y were made: UMAP of the features, or PCA (too few images for UMAP, or older projects). */
      map: z.enum(['umap', 'pca']).nullable().optional(),
    }).nullable(),
    cluster: z.object({ doneAt: z.string(), stale: z.boolean(), k: z.number().int() }).nullable(),
    infer: z.object({
      doneAt: z.string(), stale: z.boolean(),
      /** Class ids in the order of the confusion matrices' rows and columns. */
      classIds: z.array(Id).optional(),
      /** As InferResult's: a ridge probe on frozen features, k-fold CV over hand labels. */
      ridge_probe_cv_accuracy: z.number().optional(),
      ridge_probe_cv_confusion: z.array(z.array(z.number().int())).optional(),
    }).nullable(),
  }),
  items: z.array(Annotation),
});
export type AnnotationsResult = z.infer<typeof AnnotationsResult>;
