// The renderer's state singletons and their event wiring (one place subscribes to the backend).
import { api, errorMessage } from '../api';
import { AppState } from './app.svelte';
import { ClassesState } from './classes.svelte';
import { ConfirmState } from './confirm.svelte';
import { GalleryState } from './gallery.svelte';
import { stopJobsFirst } from './job-guard';
import { JobsState } from './jobs.svelte';
import { LabelsState } from './labels.svelte';
import { LabelUiState } from './label-ui.svelte';
import { ProjectState } from './project.svelte';

export type { ViewName, ThemeChoice } from './app.svelte';

export const app = new AppState();
export const jobs = new JobsState();
export const project = new ProjectState();
export const classes = new ClassesState();
export const gallery = new GalleryState();
export const labels = new LabelsState(gallery, app);
export const labelUi = new LabelUiState();
export const confirm = new ConfirmState();

/** Before closing or switching the project: asks when jobs run, then stops them and waits. False: keep working. */
export function stopJobsBefore(action: string): Promise<boolean> {
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

/** Coalesce bursts of events (a bulk import emits many) into one refetch. */
function debounce(fn: () => Promise<void>, ms: number): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  return () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      fn().catch((err) => app.notify('error', errorMessage(err)));
    }, ms);
  };
}

const refreshGallery = debounce(async () => {
  if (project.current) await gallery.refresh();
}, 200);
const refreshStatus = debounce(() => project.refreshStatus(), 300);

/** Load everything a fresh window needs for the open project (or none). */
export async function loadProjectData(): Promise<void> {
  if (!project.current) {
    gallery.reset();
    classes.set([]);
    return;
  }
  classes.set(project.current.classes);
  await gallery.refresh();
}

let started = false;

export async function start(): Promise<void> {
  if (started) return;
  started = true;
  api.on('job.progress', (p) => jobs.progress(p));
  api.on('job.finished', (p) => {
    jobs.finished(p);
    if (!p.ok && p.error && p.error.code !== 'CANCELLED') app.notify('error', `${p.kind} failed: ${p.error.message}`);
  });
  api.on('labels.changed', (p) => {
    if (!labels.isOwnEcho(p.ids)) refreshGallery();
    refreshStatus();
  });
  api.on('images.changed', () => {
    refreshGallery();
    refreshStatus();
  });
  api.on('classes.changed', (p) => {
    const removed = classes.list.some((c) => !p.classes.some((n) => n.id === c.id));
    classes.set(p.classes);
    if (removed) refreshGallery(); // merge/delete moved labels
    refreshStatus();
  });
  api.on('project.changed', () => {
    void reloadProject();
  });
  let wasOpen = false;
  api.onConnection((state) => {
    app.connection = state;
    // Events may have been missed while disconnected: refetch once the stream is back.
    if (state === 'open' && wasOpen) void reloadProject();
    if (state === 'open') wasOpen = true;
  });
  await Promise.all([app.loadInfo(), reloadProject(), jobs.load().catch(() => undefined)]);
}

export async function reloadProject(): Promise<void> {
  try {
    await project.load();
    await loadProjectData();
  } catch (err) {
    app.notify('error', `Could not load the project: ${errorMessage(err)}`);
  }
}
