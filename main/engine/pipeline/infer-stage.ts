// Stage 2b: S⁴L — a classifier trained on the hand labels jointly with the rotation loss on all images,
// starting from the saved encoder; predicts every image (hard label = argmax, confidence = max prob).
// Hand labels always override predictions. Truth is used for scoring only, never passed to training.
import { ContractError, type InferResult, type LabelSource } from '../../../shared/contract';
import type { Dataset } from '../base/dataset';
import type { OpenProject } from '../base/engine-context';
import type { JobContext } from '../base/job-context';
import { classificationReport } from '../metrics/classification';
import { crossValidatedAccuracy, gatherRows } from '../metrics/cross-validation';
import { wrapCancel } from './cancel';
import { DEFAULT_BATCH, openStageWorkers, workerFailure } from './stage-workers';
import { readEncoderFile } from './encoder-file';
import { requireFeatures, rowsFor, type FeaturesMeta } from './features-stage';
import type { CurvePoint, EncoderConfig, MlCore } from './ml-core';
import { readJsonOrNull, removeIfExists, stagePaths, writeFloat32Atomic, writeJsonAtomic } from './stage-files';

export const DEFAULT_INFER_EPOCHS = 6;

type Features = { meta: FeaturesMeta; embeddings: Float32Array };

export interface InferFile extends InferResult {
  ids: string[];
  classIds: string[];
  /** Final class id per image (hand label where there is one), null only when there are no classes. */
  predicted: (string | null)[];
  /** Max softmax probability of the classifier (1 for hand-labeled images). */
  confidence: number[];
  /** Top-1 minus top-2 probability of the classifier. */
  margin: number[];
  handLabeled: boolean[];
  labelRevision: number;
  featuresDoneAt: string;
  doneAt: string;
  epochs: number;
  curve: CurvePoint[];
}

export async function runInferStage(project: OpenProject, core: MlCore, job: JobContext, opts: { epochs?: number; batchSize?: number; workers?: number } = {}): Promise<InferResult> {
  const backend = await core.selectBackend({ prefer: project.settings().backend });
  const paths = stagePaths(project.dir);
  const features = requireFeatures(project.dir);
  const labelRevision = project.labelRevision();
  job.progress(0, 1, 'loading images');
  const evalDs = await project.loadDataset({ includeTruth: true });
  const k = evalDs.classes.length;
  const labeledCount = evalDs.handLabels.reduce((s, l) => s + (l >= 0 ? 1 : 0), 0);
  if (k < 2 || labeledCount === 0) {
    throw new ContractError('CONFLICT', 'S⁴L needs at least 2 classes and some hand labels: label a few images of every class first');
  }
  const trainDs: Dataset = { ...evalDs, truth: null }; // training never sees truth
  const saved = readEncoderFile<EncoderConfig>(paths.encoder);
  const epochs = opts.epochs ?? DEFAULT_INFER_EPOCHS;
  const again = 'Nothing was written: run `s3gan infer` again';
  const workers = await openStageWorkers(core, { requested: opts.workers, backend: backend.backend, batchImages: Math.min(opts.batchSize ?? DEFAULT_BATCH, trainDs.n) })
    .catch((e: unknown) => { throw workerFailure(e, 'S⁴L training', again); });
  let s4l: Awaited<ReturnType<MlCore['trainS4L']>>;
  const init = core.deserializeEncoder(saved);
  try {
    let calls = 0;
    s4l = await wrapCancel(job, () =>
      core.trainS4L(trainDs, { config: saved.config, epochs, init, batchSize: opts.batchSize, ...(workers.ranks ? { workers: workers.ranks } : {}) }, {
        signal: job.signal,
        onStep(info) {
          calls += 1;
          job.progress(Math.min(calls, info.total), info.total, 'S⁴L training', `loss ${info.loss.toFixed(3)} acc ${info.accuracy.toFixed(3)}${workers.label}`);
        },
      }).catch((e: unknown) => { throw workerFailure(e, 'S⁴L training', again); }),
    );
  } finally {
    core.disposeEncoder(init);
    await workers.close();
  }
  job.throwIfCancelled();
  const file = { ...buildInferFile(project, evalDs, s4l.probs, features, labelRevision, epochs, s4l.curve, backend.backend), workers: workers.count };
  removeIfExists(paths.inferResult); // un-mark before replacing the data file
  await writeFloat32Atomic(paths.inferProbs, s4l.probs);
  await writeFloat32Atomic(paths.inferFeatures, s4l.features);
  await writeJsonAtomic(paths.inferResult, file);
  job.progress(1, 1, 'done');
  return pickResult(file);
}

function buildInferFile(project: OpenProject, ds: Dataset, probs: Float32Array, features: Features, labelRevision: number, epochs: number, curve: CurvePoint[], backend: InferResult['backend']): InferFile {
  const k = ds.classes.length;
  const classIds = ds.classes.map((c) => c.id);
  const predictedIdx = new Int32Array(ds.n);
  const confidence: number[] = [];
  const margin: number[] = [];
  for (let i = 0; i < ds.n; i++) {
    let top = 0;
    let second = -1;
    for (let c = 1; c < k; c++) {
      const p = probs[i * k + c]!;
      if (p > probs[i * k + top]!) {
        second = top;
        top = c;
      } else if (second < 0 || p > probs[i * k + second]!) second = c;
    }
    predictedIdx[i] = top;
    confidence.push(round4(probs[i * k + top]!));
    margin.push(round4(probs[i * k + top]! - (second >= 0 ? probs[i * k + second]! : 0)));
  }
  const handLabeled = Array.from(ds.handLabels, (l) => l >= 0);
  const finalIdx = Int32Array.from(predictedIdx, (p, i) => (handLabeled[i] ? ds.handLabels[i]! : p));
  const scores = scoreInferred(ds, predictedIdx, handLabeled, classIds);
  const cv = crossValidate(features, ds);
  const bySource: Record<string, number> = {};
  ds.ids.forEach((id, i) => {
    if (!handLabeled[i]) return;
    const source: LabelSource = project.labelOf?.(id)?.source ?? 'hand';
    bySource[source] = (bySource[source] ?? 0) + 1;
  });
  const labeled = handLabeled.filter(Boolean).length;
  return {
    backend, labeled, inferred: ds.n - labeled, labeled_by_source: bySource,
    ...(cv !== null ? { ridge_probe_cv_accuracy: cv.accuracy, ridge_probe_cv_confusion: cv.confusion } : {}), ...scores,
    ids: ds.ids, classIds, predicted: Array.from(finalIdx, (c) => classIds[c] ?? null), confidence: confidence.map((c, i) => (handLabeled[i] ? 1 : c)),
    margin, handLabeled, labelRevision, featuresDoneAt: features.meta.doneAt, doneAt: new Date().toISOString(), epochs, curve,
  };
}

/** Accuracy of inferred labels on images that have truth and no hand label. */
function scoreInferred(ds: Dataset, predicted: Int32Array, handLabeled: boolean[], classIds: string[]): Pick<InferResult, 'accuracy' | 'per_class' | 'confusion'> {
  if (!ds.truth) return {};
  const report = classificationReport(ds.truth, predicted, classIds.length, (i) => !handLabeled[i]);
  if (report.n === 0) return {};
  const perClass: Record<string, number> = {};
  for (const [c, recall] of report.perClass) perClass[classIds[c]!] = round4(recall);
  return { accuracy: round4(report.accuracy), per_class: perClass, confusion: report.confusion };
}

/** 5-fold CV of a ridge head on the frozen rotation features of the hand-labeled images. */
function crossValidate({ meta, embeddings }: Features, ds: Dataset): { accuracy: number; confusion: number[][] } | null {
  const rows = rowsFor(meta, ds.ids);
  const labeled: number[] = [];
  const labels: number[] = [];
  ds.handLabels.forEach((l, i) => {
    if (l >= 0 && rows[i]! >= 0) {
      labeled.push(rows[i]!);
      labels.push(l);
    }
  });
  const cv = crossValidatedAccuracy(gatherRows(embeddings, meta.dim, labeled), meta.dim, labels, ds.classes.length);
  return cv ? { accuracy: round4(cv.accuracy), confusion: cv.confusion } : null;
}

function pickResult(file: InferFile): InferResult {
  const { backend, labeled, inferred, labeled_by_source, ridge_probe_cv_accuracy, ridge_probe_cv_confusion, accuracy, per_class, confusion, workers } = file;
  return { backend, labeled, inferred, labeled_by_source, ...(workers !== undefined ? { workers } : {}), ...(ridge_probe_cv_accuracy !== undefined ? { ridge_probe_cv_accuracy, ...(ridge_probe_cv_confusion ? { ridge_probe_cv_confusion } : {}) } : {}), ...(accuracy !== undefined ? { accuracy, per_class, confusion } : {}) };
}

export function readInfer(projectDir: string): InferFile | null {
  const file = readJsonOrNull<InferFile & { cv_accuracy?: number; cv_confusion?: number[][] }>(stagePaths(projectDir).inferResult);
  if (!(file && Array.isArray(file.ids) && file.predicted?.length === file.ids.length)) return null;
  // Files written before the rename call the ridge probe's figures cv_accuracy / cv_confusion.
  const { cv_accuracy, cv_confusion, ...rest } = file;
  return { ...rest, ...(rest.ridge_probe_cv_accuracy === undefined && cv_accuracy !== undefined ? { ridge_probe_cv_accuracy: cv_accuracy } : {}), ...(rest.ridge_probe_cv_confusion === undefined && cv_confusion ? { ridge_probe_cv_confusion: cv_confusion } : {}) };
}

function round4(v: number): number {
  return Math.round(v * 1e4) / 1e4;
}
