// The engine's "currently open project": open/create/close, the recent list, and the folder watcher
// that lives exactly as long as the project is open.
import { resolve } from 'node:path';
import { ContractError, type ProjectSummary } from '../../../shared/contract';
import type { Emit } from '../base/job-context';
import { ProjectWatcher } from './watch';
import { Project } from './project';
import type { RecentProjects } from './recent';
import { projectStatus } from './status';

export interface SessionOptions {
  emit: Emit;
  recent: RecentProjects;
  /** Watch imported folders while open (app/web); the one-shot CLI does not. */
  watch: boolean;
}

export class ProjectSession {
  private project: Project | null = null;
  private watcher: ProjectWatcher | null = null;
  private switching: Promise<unknown> = Promise.resolve();

  constructor(private readonly opts: SessionOptions) {}

  /** The open project, or ContractError('NO_PROJECT'). */
  current(): Project {
    if (!this.project) throw new ContractError('NO_PROJECT', 'No project is open. Open or create one first.');
    return this.project;
  }

  maybeCurrent(): Project | null {
    return this.project;
  }

  open(path: string): Promise<Project> {
    return this.switchTo(path, () => Project.open(path));
  }

  create(path: string, name?: string): Promise<Project> {
    return this.switchTo(path, () => Project.create(path, name === undefined ? {} : { name }));
  }

  close(): Promise<void> {
    return this.serial(async () => {
      const had = this.project !== null;
      await this.closeCurrent();
      if (had) this.opts.emit('project.changed', { path: null });
    });
  }

  summary(project = this.current()): ProjectSummary {
    return { path: project.dir, name: project.name, classes: project.classes(), settings: project.settings(), status: projectStatus(project) };
  }

  /** Starts watching folders added by an import (no-op when watching is off). */
  watchFolders(folders: string[]): void {
    this.watcher?.add(folders);
  }

  private switchTo(path: string, openFn: () => Promise<Project>): Promise<Project> {
    return this.serial(async () => {
      const abs = resolve(path);
      if (this.project?.dir === abs) return this.project;
      // Open the new project before closing the current one: if it fails, the current stays open.
      const project = await openFn();
      await this.closeCurrent();
      this.project = project;
      await this.opts.recent.remember(project.dir, project.name);
      if (this.opts.watch) {
        this.watcher = new ProjectWatcher(project, { onChange: (c) => this.opts.emit('images.changed', c) });
        await this.watcher.start();
      }
      this.opts.emit('project.changed', { path: project.dir });
      return project;
    });
  }

  private async closeCurrent(): Promise<void> {
    const watcher = this.watcher;
    const project = this.project;
    this.watcher = null;
    this.project = null;
    await watcher?.stop();
    await project?.close();
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.switching.then(fn);
    this.switching = run.catch(() => undefined);
    return run;
  }
}
