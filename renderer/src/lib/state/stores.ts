// The renderer's state, built once around the real API client. The Studio owns every engine-event
// subscription; App.svelte starts it. Components import the pieces they show from here.
import { api } from '../api';
import { Studio } from './studio';

export type { ViewName, ThemeChoice } from './app.svelte';

export const studio = new Studio(api);
export const { app, jobs, project, classes, gallery, labels, labelUi, confirm, pipeline, clusters, review, train, samples, labelsIo, sampleExport, pytorchJob } = studio;

export const loadProjectData = (): Promise<void> => studio.loadProjectData();
export const reloadProject = (): Promise<void> => studio.reloadProject();
export const stopJobsBefore = (action: string): Promise<boolean> => studio.stopJobsBefore(action);
