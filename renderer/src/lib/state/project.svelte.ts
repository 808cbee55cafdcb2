// The open project: summary, status counts, recent projects, folder import and its report.
import type { ImportReport, Params, ProjectSettings, ProjectStatus, ProjectSummary, Result } from '../../../../shared/contract';
import type { Requests } from './requests';

export class ProjectState {
  current = $state.raw<ProjectSummary | null>(null);
  status = $state.raw<ProjectStatus | null>(null);
  recent = $state.raw<Result<'project.recent'>['projects']>([]);
  importing = $state(false);
  lastReport = $state.raw<ImportReport | null>(null);
  busy = $state(false);
  /** Set once the first `project.current` answered, so views can tell "none open" from "not known yet". */
  loaded = $state(false);

  /**
   * Newest information wins, not the last answer to arrive: answers and events travel on different
   * channels, so a `project.current` asked mid-demo can land after the demo's final answer or a later
   * labels.changed and would show 4 labels of 10. A read is stamped when asked; an event, and the answer
   * of a long operation (create/open/demo/close: the state at its end), when it arrives.
   */
  #asked = 0;
  #shown = 0;

  constructor(private readonly api: Requests) {}

  /** The status a labels.changed event carried (the state after that change). */
  applyStatus(status: ProjectStatus): void {
    this.#apply(++this.#asked, () => (this.status = status));
  }

  async load(): Promise<void> {
    const stamp = ++this.#asked;
    const [current, recent] = await Promise.all([this.api.request('project.current', {}), this.api.request('project.recent', {})]);
    this.#apply(stamp, () => this.#setCurrent(current));
    this.recent = recent.projects;
    this.loaded = true;
  }

  async create(path: string, name?: string): Promise<void> {
    await this.#lifecycle(() => this.api.request('project.create', name ? { path, name } : { path }));
  }

  async open(path: string): Promise<void> {
    await this.#lifecycle(() => this.api.request('project.open', { path }));
  }

  /** Builds (or reopens) the embedded MNIST demo project and opens it. */
  async openDemo(params: Params<'demo.create'>): Promise<void> {
    await this.#lifecycle(() => this.api.request('demo.create', params));
  }

  async close(): Promise<void> {
    await this.api.request('project.close', {});
    this.#apply(++this.#asked, () => this.#setCurrent(null));
    this.lastReport = null;
    await this.loadRecent();
  }

  async loadRecent(): Promise<void> {
    this.recent = (await this.api.request('project.recent', {})).projects;
  }

  async refreshStatus(): Promise<void> {
    if (!this.current) return;
    const stamp = ++this.#asked;
    const status = await this.api.request('project.status', {});
    this.#apply(stamp, () => (this.status = status));
  }

  async refreshCurrent(): Promise<void> {
    const stamp = ++this.#asked;
    const current = await this.api.request('project.current', {});
    this.#apply(stamp, () => this.#setCurrent(current));
  }

  async importFolders(folders: string[]): Promise<ImportReport> {
    this.importing = true;
    try {
      const report = await this.api.request('images.import', { folders });
      this.lastReport = report;
      await this.refreshStatus();
      return report;
    } finally {
      this.importing = false;
    }
  }

  async saveSettings(patch: Partial<ProjectSettings>): Promise<ProjectSettings> {
    const settings = await this.api.request('project.settings', patch);
    if (this.current) this.current = { ...this.current, settings };
    return settings;
  }

  /** The native folder dialog (Electron only); null when cancelled. */
  async pickFolder(title: string): Promise<string | null> {
    return (await this.api.request('dialog.pickFolder', { title })).path;
  }

  /** A folder's entries on the machine running the engine (web mode's folder browser). */
  listFolder(path?: string): Promise<Result<'fs.list'>> {
    return this.api.request('fs.list', path ? { path } : {});
  }

  async #lifecycle(run: () => Promise<ProjectSummary>): Promise<void> {
    this.busy = true;
    try {
      const summary = await run();
      this.#apply(++this.#asked, () => this.#setCurrent(summary));
      this.lastReport = null;
      await this.loadRecent();
    } finally {
      this.busy = false;
    }
  }

  #apply(stamp: number, write: () => void): void {
    if (stamp < this.#shown) return; // something newer is already shown
    this.#shown = stamp;
    write();
  }

  #setCurrent(summary: ProjectSummary | null): void {
    this.current = summary;
    this.status = summary?.status ?? null;
  }
}
