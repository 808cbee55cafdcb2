// The one owner of the renderer's state: builds every state class around the API client it is given,
// and holds every engine-event subscription (App.svelte starts it once; views only read and call).
import type { LabelSource } from '../../../../shared/contract';
import type { Client } from '../api';
import { errorMessage } from '../errors';
import { finishedNotice } from '../job-words';
import { AppState } from './app.svelte';
import { ClassesState } from './classes.svelte';
import { ClustersState } from './clusters.svelte';
import { ConfirmState } from './confirm.svelte';
import { GalleryState } from './gallery.svelte';
import { stopJobsFirst } from './job-guard';
import { JobsState } from './jobs.svelte';
import { keptWords, overwriteAction, writeOutcome } from './kept-labels';
import { LabelUiState } from './label-ui.svelte';
import { LabelsState } from './labels.svelte';
import { LabelsIoState } from './labels-io.svelte';
import { PipelineState } from './pipeline.svelte';
import { ProjectState } from './project.svelte';
import { PytorchJobState } from './pytorch-job.svelte';
import { ReviewState } from './review.svelte';
import { SampleExportState } from './sample-export.svelte';
import { SamplesState } from './samples.svelte';
import { TrainState } from './train.svelte';

export type StudioApi = Pick<Client, 'request' | 'on' | 'onConnection' | 'mode'>;

/** Coalesce bursts of events (a bulk import emits many) into one call; errors go to `onError`. */
function debounce(fn: () => Promise<void>, ms: number, onError: (err: unknown) => void): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  return () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      fn().catch(onError);
    }, ms);
  };
}

export class Studio {
  readonly app: AppState;
  readonly jobs: JobsState;
  readonly project: ProjectState;
  readonly classes: ClassesState;
  readonly gallery: GalleryState;
  readonly labels: LabelsState;
  readonly labelUi = new LabelUiState();
  readonly confirm = new ConfirmState();
  readonly pipeline: PipelineState;
  readonly clusters: ClustersState;
  readonly review: ReviewState;
  readonly train: TrainState;
  readonly samples: SamplesState;
  readonly labelsIo: LabelsIoState;
  readonly sampleExport: SampleExportState;
  readonly pytorchJob: PytorchJobState;
  #stop: (() => void) | null = null;
  /** The project whose state the classes hold (undefined: none loaded yet). */
  #shownPath: string | null | undefined = undefined;

  constructor(private readonly api: StudioApi) {
    this.app = new AppState(api);
    this.jobs = new JobsState(api);
    this.project = new ProjectState(api);
    this.classes = new ClassesState(api);
    this.gallery = new GalleryState(api);
    this.labels = new LabelsState(api, this.gallery, this.app);
    this.pipeline = new PipelineState(api, this.app, this.jobs);
    this.gallery.useAnnotations(() => (this.pipeline.annotations ? this.pipeline.itemsById : null));
    const items = () => this.gallery.items;
    this.clusters = new ClustersState(this.pipeline, items, { set: (ids, classId) => this.writeLabels(ids, classId, 'cluster') });
    this.review = new ReviewState(api, this.pipeline, items, { set: (ids, classId, source) => this.writeLabels(ids, classId, source) }, this.app);
    this.train = new TrainState(api, this.app, this.project);
    this.samples = new SamplesState(api);
    const ask = (message: string, labels?: { confirmLabel?: string; cancelLabel?: string }) => this.confirm.ask(message, labels);
    this.labelsIo = new LabelsIoState(api, ask);
    this.sampleExport = new SampleExportState(api, ask);
    this.pytorchJob = new PytorchJobState(api, this.app, this.project, this.train, ask);
  }

  /** Subscribes to every engine event and loads the open project; returns the unsubscribe. Once per window. */
  start(): () => void {
    if (this.#stop) return this.#stop;
    const { app, jobs, gallery, classes, labels, pipeline, project, train } = this;
    const notify = (err: unknown) => app.notify('error', errorMessage(err));
    const refreshGallery = debounce(async () => {
      if (project.current) await gallery.refresh();
    }, 200, notify);
    const refreshStatus = debounce(() => project.refreshStatus(), 300, notify);
    // Labels change staleness (inference) and clusters' majority labels.
    const refreshAnnotations = debounce(async () => {
      if (project.current) await pipeline.refresh();
    }, 400, () => undefined);
    let wasOpen = false;
    const offs = [
      this.api.on('job.progress', (p) => jobs.progress(p)),
      this.api.on('job.finished', (p) => {
        jobs.finished(p);
        const said = finishedNotice(p); // a cancel is an info toast; the same text from the request's answer is not repeated
        if (said) app.notify(said.kind, said.text);
        if (p.kind === 'features' || p.kind === 'cluster' || p.kind === 'infer') refreshAnnotations();
        if (p.kind === 'train') void train.loadRuns().catch(() => undefined);
      }),
      this.api.on('labels.changed', (p) => {
        // Every client gets the state after the change (issue 14: two tabs converge): patch, don't refetch.
        if (p.changes && p.revision !== undefined) {
          const here = !p.status || p.status.path === project.current?.path;
          if (here && gallery.applyChanges(p.revision, p.changes)) {
            if (p.status) project.applyStatus(p.status);
            labels.history(p.canUndo, p.canRedo);
          }
        } else {
          if (!labels.isOwnEcho(p.ids)) refreshGallery();
          refreshStatus();
        }
        refreshAnnotations();
      }),
      this.api.on('images.changed', () => {
        refreshGallery();
        refreshStatus();
      }),
      this.api.on('classes.changed', (p) => {
        const removed = classes.list.some((c) => !p.classes.some((n) => n.id === c.id));
        classes.set(p.classes);
        if (removed) refreshGallery(); // merge/delete moved labels
        refreshStatus();
      }),
      this.api.on('project.changed', (p) => {
        // The old project's state (stages, filters, selections, runs) must not show while the new one loads.
        this.resetForProject(p.path);
        void this.reloadProject();
      }),
      this.api.on('train.metrics', (p) => train.onMetrics(p)),
      this.api.onConnection((state) => {
        app.connection = state;
        // Events may have been missed while disconnected (a job's end, a label change): refetch once back.
        if (state === 'open' && wasOpen) void Promise.all([this.reloadProject(), jobs.load().catch(() => undefined)]);
        if (state === 'open') wasOpen = true;
      }),
    ];
    void Promise.all([app.loadInfo(), this.reloadProject(), jobs.load().catch(() => undefined)]);
    this.#stop = () => {
      for (const off of offs) off();
      this.#stop = null;
    };
    return this.#stop;
  }

  async reloadProject(): Promise<void> {
    try {
      await this.project.load();
      await this.loadProjectData();
    } catch (err) {
      this.app.notify('error', `Could not load the project: ${errorMessage(err)}`);
    }
  }

  /** Loads everything a window needs for the open project (or clears it when none is open). */
  async loadProjectData(): Promise<void> {
    const current = this.project.current;
    this.resetForProject(current?.path ?? null);
    this.train.restoreForm(current?.path ?? null);
    if (!current) return;
    this.classes.set(current.classes);
    const stages = this.pipeline.refresh().catch((err) => this.app.notify('error', `Could not read the stages: ${errorMessage(err)}`));
    // The runs feed the GAN stage card and the Train view, whichever is shown first.
    const runs = this.train.loadRuns().catch(() => undefined);
    await Promise.all([this.gallery.refresh(), stages, runs]);
  }

  /**
   * The one place that drops what belongs to a project when another (or none) is shown: every state
   * class holding images, classes, stages, runs or selections of the old one resets. Same path: no-op.
   */
  resetForProject(path: string | null): void {
    if (path === this.#shownPath) return;
    this.#shownPath = path;
    for (const s of [this.gallery, this.pipeline, this.clusters, this.review, this.train, this.samples, this.labels, this.labelsIo, this.sampleExport, this.pytorchJob]) s.reset();
    this.labelUi.previewOpen = false;
    this.classes.set([]);
  }

  /** Before closing or switching the project: asks when jobs run, then stops them and waits. False: keep working. */
  stopJobsBefore(action: string): Promise<boolean> {
    const { jobs, confirm } = this;
    return stopJobsFirst(
      {
        running: () => jobs.jobs,
        ask: (message) => confirm.ask(message, { confirmLabel: 'Stop and continue', cancelLabel: 'Keep working' }),
        cancel: (jobId) => jobs.cancel(jobId),
        waitFinished: (ids, timeoutMs) => jobs.waitFinished(ids, timeoutMs),
      },
      action,
    );
  }

  /**
   * labels.set with an explicit source (clusters, review); patches the gallery and the counts once persisted.
   * Images a person labeled with another class are kept unless `overwrite`; a toast offers to overwrite them.
   */
  async writeLabels(ids: string[], classId: string | null, source: LabelSource, overwrite = false): Promise<boolean> {
    try {
      const r = await this.api.request('labels.set', { ids, classId, source, ...(overwrite ? { overwrite: true } : {}) });
      const o = writeOutcome(ids, r);
      this.gallery.patchLabels(o.written, classId, source, r.revision);
      if (!o.exact) await this.gallery.refresh();
      if (o.kept > 0) this.app.notify('info', keptWords(o.kept), { action: overwriteAction(o, (again) => this.writeLabels(again, classId, source, true)) });
      await this.project.refreshStatus();
      return true;
    } catch (err) {
      this.app.notify('error', `Label not saved: ${errorMessage(err)}`);
      return false;
    }
  }
}
