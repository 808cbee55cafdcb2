// The workflow views' state singletons (pipeline, clusters, review, train, samples) and their event
// wiring; started once by whichever of those views mounts first.
import type { LabelSource } from '../../../../shared/contract';
import { api, errorMessage } from '../api';
import { ClustersState } from './clusters.svelte';
import { PipelineState } from './pipeline.svelte';
import { ReviewState } from './review.svelte';
import { SamplesState } from './samples.svelte';
import { app, gallery, jobs, project } from './stores';
import { TrainState } from './train.svelte';

export const pipeline = new PipelineState(app, jobs);
gallery.useAnnotations(() => (pipeline.annotations ? pipeline.itemsById : null));

/** labels.set with an explicit source; patches the gallery and the counts once persisted. */
async function writeLabels(ids: string[], classId: string | null, source: LabelSource): Promise<boolean> {
  try {
    await api.request('labels.set', { ids, classId, source });
    gallery.patchLabels(ids, classId, source);
    await project.refreshStatus();
    return true;
  } catch (err) {
    app.notify('error', `Label not saved: ${errorMessage(err)}`);
    return false;
  }
}

export const clusters = new ClustersState(pipeline, () => gallery.items, { set: (ids, classId) => writeLabels(ids, classId, 'cluster') });
export const review = new ReviewState(pipeline, () => gallery.items, { set: writeLabels }, app);
export const train = new TrainState(app);
export const samples = new SamplesState();

let started = false;
let timer: ReturnType<typeof setTimeout> | null = null;

function refreshAnnotationsSoon(): void {
  if (timer) clearTimeout(timer);
  timer = setTimeout(() => {
    timer = null;
    if (project.current) void pipeline.refresh().catch(() => undefined);
  }, 400);
}

/** Subscribes once; loads the stage annotations of the open project. */
export function startMl(): void {
  if (started) return;
  started = true;
  api.on('train.metrics', (p) => train.onMetrics(p));
  // Labels change staleness (inference) and clusters' majority labels.
  api.on('labels.changed', refreshAnnotationsSoon);
  api.on('job.finished', (p) => {
    if (p.kind === 'features' || p.kind === 'cluster' || p.kind === 'infer') refreshAnnotationsSoon();
    if (p.kind === 'train') void train.loadRuns().catch(() => undefined);
  });
  api.on('project.changed', () => {
    pipeline.reset();
    refreshAnnotationsSoon();
  });
  if (project.current) void pipeline.refresh().catch((err) => app.notify('error', `Could not read the stages: ${errorMessage(err)}`));
}
