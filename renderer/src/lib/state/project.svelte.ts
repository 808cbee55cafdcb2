// The open project: summary, status counts, recent projects, folder import and its report.
import type { ImportReport, Params, ProjectSettings, ProjectStatus, ProjectSummary, Result } from '../../../../shared/contract';
import { api } from '../api';

export class ProjectState {
  current = $state.raw<ProjectSummary | null>(null);
  status = $state.raw<ProjectStatus | null>(null);
  recent = $state.raw<Result<'project.recent'>['projects']>([]);
  importing = $state(false);
  lastReport = $state.raw<ImportReport | null>(null);
  busy = $state(false);
  /** Set once the first `project.current` answered, so views can tell "none open" from "not known yet". */
  loaded = $state(false);

  async load(): Promise<void> {
    const [current, recent] = await Promise.all([api.request('project.current', {}), api.request('project.recent', {})]);
    this.#setCurrent(current);
    this.recent = recent.projects;
    this.loaded = true;
  }

  async create(path: string, name?: string): Promise<void> {
    await this.#lifecycle(() => api.request('project.create', name ? { path, name } : { path }));
  }

  async open(path: string): Promise<void> {
    await this.#lifecycle(() => api.request('project.open', { path }));
  }

  /** Builds (or reopens) the embedded MNIST demo project and opens it. */
  async openDemo(params: Params<'demo.create'>): Promise<void> {
    await this.#lifecycle(() => api.request('demo.create', params));
  }

  async close(): Promise<void> {
    await api.request('project.close', {});
    this.#setCurrent(null);
    this.lastReport = null;
    await this.loadRecent();
  }

  async loadRecent(): Promise<void> {
    this.recent = (await api.request('project.recent', {})).projects;
  }

  async refreshStatus(): Promise<void> {
    if (!this.current) return;
    this.status = await api.request('project.status', {});
  }

  async refreshCurrent(): Promise<void> {
    this.#setCurrent(await api.request('project.current', {}));
  }

  async importFolders(folders: string[]): Promise<ImportReport> {
    this.importing = true;
    try {
      const report = await api.request('images.import', { folders });
      this.lastReport = report;
      await this.refreshStatus();
      return report;
    } finally {
      this.importing = false;
    }
  }

  async saveSettings(patch: Partial<ProjectSettings>): Promise<ProjectSettings> {
    const settings = await api.request('project.settings', patch);
    if (this.current) this.current = { ...this.current, settings };
    return settings;
  }

  async #lifecycle(run: () => Promise<ProjectSummary>): Promise<void> {
    this.busy = true;
    try {
      this.#setCurrent(await run());
      this.lastReport = null;
      await this.loadRecent();
    } finally {
      this.busy = false;
    }
  }

  #setCurrent(summary: ProjectSummary | null): void {
    this.current = summary;
    this.status = summary?.status ?? null;
  }
}
