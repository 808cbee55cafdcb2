// Watches the imported folders while a project is open: new files are imported, deleted ones marked
// missing, moved ones re-linked by content hash. Changes are applied one at a time and reported as
// one 'images.changed' summary per burst. On start, a resync catches what changed while closed.
import { existsSync } from 'node:fs';
import { basename, resolve, sep } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import type { Project } from './project';
import { importFile } from './import';
import { isIgnoredName, scanFolder } from '../data/scan';

export interface ImagesChange {
  added: number;
  missing: number;
  relinked: number;
}

export interface WatchOptions {
  onChange(change: ImagesChange): void;
  /** How long a file's size must stay unchanged before it is imported (a copy in progress). */
  stabilityMs?: number;
  /** Scan folders on start for files added/removed while the project was closed. */
  resyncOnStart?: boolean;
  /** Called when a change fails unexpectedly (watching goes on). */
  onError?(error: unknown): void;
}

type Task = { kind: 'add' | 'unlink'; path: string } | { kind: 'resync'; folders?: string[] };

export class ProjectWatcher {
  private watcher: FSWatcher | null = null;
  private readonly queue: Task[] = [];
  private running: Promise<void> | null = null;
  private pending: ImagesChange = { added: 0, missing: 0, relinked: 0 };
  private stopped = false;

  constructor(private readonly project: Project, private readonly opts: WatchOptions) {}

  async start(): Promise<void> {
    const roots = this.project.manifest.folders.filter((f) => existsSync(f));
    const projectDir = this.project.dir;
    this.watcher = watch(roots, {
      ignoreInitial: true,
      awaitWriteFinish: { stabilityThreshold: this.opts.stabilityMs ?? 500, pollInterval: 50 },
      // Hidden/temp files, and the project's own folder if it sits inside an imported one.
      ignored: (path: string) => path === projectDir || path.startsWith(projectDir + sep) || isIgnoredName(basename(path)),
    });
    this.watcher.on('add', (p) => this.enqueue({ kind: 'add', path: resolve(p) }));
    this.watcher.on('change', (p) => this.enqueue({ kind: 'add', path: resolve(p) }));
    this.watcher.on('unlink', (p) => this.enqueue({ kind: 'unlink', path: resolve(p) }));
    this.watcher.on('error', (e) => this.opts.onError?.(e));
    // chokidar never emits 'ready' for an empty root list (a new project): don't wait for it then.
    if (roots.length > 0) await new Promise<void>((res) => this.watcher!.once('ready', () => res()));
    if (this.opts.resyncOnStart ?? true) this.enqueue({ kind: 'resync' });
  }

  /**
   * Watches more folders (after an import). chokidar sets the new watches up asynchronously and
   * ignores files that appear meanwhile, so once they are live a resync picks those up.
   */
  add(folders: string[]): void {
    if (!this.watcher || this.stopped) return;
    const watched = new Set(Object.keys(this.watcher.getWatched()));
    const fresh = folders.map((f) => resolve(f)).filter((f) => !watched.has(f));
    if (fresh.length === 0) return;
    this.watcher.add(fresh);
    void this.whenWatching(fresh).then(() => this.enqueue({ kind: 'resync', folders: fresh }));
  }

  private async whenWatching(folders: string[], timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.watcher && !this.stopped && Date.now() < deadline) {
      const watched = this.watcher.getWatched();
      if (folders.every((f) => f in watched)) return;
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** Resolves once every queued change has been applied (tests, shutdown). */
  async whenIdle(): Promise<void> {
    while (this.running) await this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.queue.length = 0;
    await this.watcher?.close();
    this.watcher = null;
    await this.whenIdle();
  }

  private enqueue(task: Task): void {
    if (this.stopped) return;
    this.queue.push(task);
    this.running ??= this.drain().finally(() => {
      this.running = null;
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0 && !this.stopped && !this.project.isClosed) {
      const task = this.queue.shift()!;
      try {
        await this.project.withIndex(() => this.apply(task));
      } catch (e) {
        this.opts.onError?.(e);
      }
    }
    await this.project.index.flush().catch((e: unknown) => this.opts.onError?.(e));
    const change = this.pending;
    this.pending = { added: 0, missing: 0, relinked: 0 };
    if (!this.stopped && change.added + change.missing + change.relinked > 0) this.opts.onChange(change);
  }

  private folderOf(path: string): string | null {
    let best: string | null = null;
    for (const f of this.project.manifest.folders) {
      if ((path.startsWith(f + sep) || path === f) && (!best || f.length > best.length)) best = f;
    }
    return best;
  }

  private async apply(task: Task): Promise<void> {
    if (task.kind === 'resync') return this.resync(task.folders);
    if (task.kind === 'unlink') return this.markMissing(task.path);
    const folder = this.folderOf(task.path);
    if (!folder) return;
    const outcome = await importFile(this.project, task.path, folder, { sync: false });
    if (outcome.kind === 'imported') this.pending.added += 1;
    else if (outcome.kind === 'relinked') this.pending.relinked += 1;
  }

  private async markMissing(path: string): Promise<void> {
    const id = this.project.index.idForSource(path);
    const img = id ? this.project.index.get(id) : undefined;
    if (!img || img.status === 'missing' || existsSync(path)) return;
    await this.project.index.update(img.id, { status: 'missing' }, { sync: false });
    this.pending.missing += 1;
  }

  /** Missing sources marked missing; files not yet in the index imported (or re-linked). */
  private async resync(folders = this.project.manifest.folders): Promise<void> {
    const inScope = (path: string) => folders.some((f) => path.startsWith(f + sep));
    for (const img of this.project.index.list()) {
      if (this.stopped) return;
      if (img.status === 'ok' && inScope(img.source) && !existsSync(img.source)) await this.markMissing(img.source);
    }
    for (const folder of folders) {
      for (const file of await scanFolder(folder, { skipDirs: [this.project.dir] })) {
        if (this.stopped) return;
        if (this.project.index.idForSource(file) === undefined) await this.apply({ kind: 'add', path: file });
      }
    }
  }
}
