// An open project folder: manifest, lock, image index, label log, truth and training cache together.
// Implements the OpenProject view feature modules get through the EngineContext.
import { existsSync, mkdirSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { ContractError, type ClassDef, type ImportReport, type LabelSource, type ProjectSettings } from '../../../shared/contract';
import type { OpenProject } from '../base/engine-context';
import { ensureTrainingCache } from '../data/cache';
import type { Dataset } from '../base/dataset';
import { importFolders, type ImportTarget } from './import';
import { buildDataset } from '../data/load-dataset';
import type { JobContext } from '../base/job-context';
import { ImageIndex } from './image-index';
import { classStepHooks } from './classes';
import { LabelStore, type ChangeResult, type Label } from './label-store';
import { acquireProjectLock, type ProjectLock } from './lock';
import { manifestPath, newManifest, readManifest, writeManifest, type Manifest } from './manifest';
import { TruthStore } from './truth-store';

/** Labels a person gave (image by image, a selection, a CSV): bulk writes skip them unless told to overwrite. */
const PERSON_SOURCES: ReadonlySet<LabelSource> = new Set(['hand', 'bulk', 'import']);
const byPerson = (l: Label) => PERSON_SOURCES.has(l.source);

function lockOrExplain(dir: string): ProjectLock {
  try {
    return acquireProjectLock(dir);
  } catch (e) {
    if (e instanceof ContractError) throw e;
    throw new ContractError('IO', `Cannot lock ${dir} for writing: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

export class Project implements OpenProject, ImportTarget {
  private manifestValue: Manifest;
  private manifestChain: Promise<unknown> = Promise.resolve();
  private cacheChain: Promise<unknown> = Promise.resolve();
  private indexChain: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(
    readonly dir: string,
    manifest: Manifest,
    readonly index: ImageIndex,
    readonly labels: LabelStore,
    readonly truth: TruthStore,
    private readonly lock: ProjectLock | null,
  ) {
    this.manifestValue = manifest;
  }

  /** Creates the project folder (may already exist, must not already be a project) and opens it. */
  static async create(dir: string, opts: { name?: string } = {}): Promise<Project> {
    const abs = resolve(dir);
    if (existsSync(manifestPath(abs))) throw new ContractError('CONFLICT', `${abs} already contains a project`);
    try {
      mkdirSync(abs, { recursive: true });
      await writeManifest(abs, newManifest(opts.name ?? basename(abs)));
    } catch (e) {
      throw new ContractError('IO', `Cannot create a project in ${abs}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    return Project.open(abs);
  }

  /**
   * Opens an existing project. Takes the lock unless `readOnly` (status reports may read a project
   * another process holds; they never write).
   */
  static async open(dir: string, opts: { readOnly?: boolean } = {}): Promise<Project> {
    const abs = resolve(dir);
    const manifest = readManifest(abs);
    const lock = opts.readOnly ? null : lockOrExplain(abs);
    try {
      const index = await ImageIndex.open(abs, opts);
      return new Project(abs, manifest, index, new LabelStore(abs, opts), new TruthStore(abs, opts), lock);
    } catch (e) {
      lock?.release();
      throw e;
    }
  }

  get manifest(): Readonly<Manifest> {
    return this.manifestValue;
  }

  get name(): string {
    return this.manifestValue.name;
  }

  get readOnly(): boolean {
    return this.lock === null;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  settings(): ProjectSettings {
    return { ...this.manifestValue.settings };
  }

  classes(): ClassDef[] {
    return this.manifestValue.classes.map((c) => ({ ...c }));
  }

  classById(id: string): ClassDef | undefined {
    return this.manifestValue.classes.find((c) => c.id === id);
  }

  labelRevision(): number {
    return this.manifestValue.classRevision + this.labels.lastSeq;
  }

  /** Applies `change` to a copy of the manifest and writes it atomically; changes run one at a time. */
  mutateManifest<T>(change: (m: Manifest) => T): Promise<T> {
    const run = this.manifestChain.then(async () => {
      this.assertWritable();
      const next = structuredClone(this.manifestValue);
      const result = change(next);
      await writeManifest(this.dir, next);
      this.manifestValue = next;
      return result;
    });
    this.manifestChain = run.catch(() => undefined);
    return run;
  }

  updateSettings(patch: Partial<ProjectSettings>): Promise<ProjectSettings> {
    return this.mutateManifest((m) => {
      m.settings = { ...m.settings, ...patch };
      return { ...m.settings };
    });
  }

  async addFolders(folders: string[]): Promise<void> {
    const fresh = folders.filter((f) => !this.manifestValue.folders.includes(f));
    if (fresh.length > 0) await this.mutateManifest((m) => void m.folders.push(...fresh));
  }

  importFolders(folders: string[], job?: JobContext, opts: { maxPixels?: number } = {}): Promise<ImportReport> {
    this.assertWritable();
    return this.withIndex(() => importFolders(this, folders, job, opts));
  }

  /**
   * Runs index changes (an import, a watcher event) one at a time, so the same new file seen by both
   * is imported once and counted once.
   */
  withIndex<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.indexChain.then(fn);
    this.indexChain = run.catch(() => undefined);
    return run;
  }

  private assertKnownImages(ids: string[]): void {
    const unknown = ids.filter((id) => !this.index.has(id));
    if (unknown.length > 0) {
      throw new ContractError('NOT_FOUND', `Unknown image id${unknown.length > 1 ? 's' : ''}: ${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? ` and ${unknown.length - 5} more` : ''}`);
    }
  }

  private assertKnownClass(classId: string | null): void {
    if (classId !== null && !this.classById(classId)) throw new ContractError('NOT_FOUND', `Unknown class id: ${classId}`);
  }

  assertWritable(): void {
    if (this.closed) throw new ContractError('NO_PROJECT', 'The project was closed');
    if (!this.lock) throw new ContractError('CONFLICT', `${this.dir} was opened read-only`);
  }

  /** Persisted (fsync'd) before it resolves; one call is one undo step. Engine-internal: overwrites whatever is there. */
  async setLabels(ids: string[], classId: string | null, source: LabelSource): Promise<{ applied: number; group: string | null }> {
    const r = await this.changeLabels(ids, classId, source, { overwrite: true });
    return { applied: r.applied, group: r.group };
  }

  /**
   * labels.set: unless `overwrite`, images already labeled by a person with another class are skipped
   * (result.skipped). One image labeled by hand is that person's decision and always applies.
   */
  changeLabels(ids: string[], classId: string | null, source: LabelSource, opts: { overwrite?: boolean } = {}): Promise<ChangeResult> {
    this.assertWritable();
    this.assertKnownImages(ids);
    this.assertKnownClass(classId);
    const single = ids.length === 1 && source === 'hand';
    const protect = !opts.overwrite && classId !== null && !single;
    // A label whose class was deleted is no label at all (labelOf ignores it): never protect it.
    return this.labels.setLabels(ids, classId, source, protect ? (l) => byPerson(l) && this.classById(l.classId) !== undefined : undefined);
  }

  /** Sets per-image classes as one undo step (CSV import). Ids and classes must exist. */
  changeManyLabels(assignments: Array<[string, string | null]>, source: LabelSource): Promise<ChangeResult> {
    this.assertWritable();
    this.assertKnownImages(assignments.map(([id]) => id));
    for (const [, c] of assignments) this.assertKnownClass(c);
    return this.labels.setMany(assignments, source);
  }

  exclude(ids: string[], excluded: boolean): Promise<ChangeResult> {
    this.assertWritable();
    this.assertKnownImages(ids);
    return this.labels.setExcluded(ids, excluded);
  }

  /** Undoing a class merge/delete brings the class back first; redoing one removes it after. */
  undo(): Promise<ChangeResult> {
    this.assertWritable();
    return this.labels.undo(classStepHooks(this));
  }

  redo(): Promise<ChangeResult> {
    this.assertWritable();
    return this.labels.redo(classStepHooks(this));
  }

  /** The current non-truth label of an image, ignoring labels whose class was deleted. */
  labelOf(id: string): { classId: string; source: LabelSource } | undefined {
    const l = this.labels.get(id);
    return l && this.classById(l.classId) ? l : undefined;
  }

  /** Evaluation-only ground truth (image id → class id). Never counted as labeled. */
  truthLabels(): Map<string, string> {
    const out = this.truth.snapshot();
    for (const [id, c] of out) if (!this.classById(c)) out.delete(id);
    return out;
  }

  async setTruth(assignments: Array<[string, string | null]>): Promise<number> {
    this.assertWritable();
    this.assertKnownImages(assignments.map(([id]) => id));
    return this.truth.setMany(assignments);
  }

  /** 1 when every image is gray (or forced by settings), else 3. */
  datasetChannels(): 1 | 3 {
    const forced = this.manifestValue.settings.channels;
    if (forced !== 'auto') return forced === '1' ? 1 : 3;
    return this.index.list().every((img) => img.isGray) ? 1 : 3;
  }

  loadDataset(opts: { resolution?: number; includeTruth?: boolean; onProgress?: (done: number, total: number) => void } = {}): Promise<Dataset> {
    const run = this.cacheChain.then(async () => {
      const resolution = opts.resolution ?? this.manifestValue.settings.resolution;
      const images = this.index.list();
      const cache = await ensureTrainingCache(this.dir, images, resolution, this.datasetChannels(), opts.onProgress);
      const include = new Set(images.filter((i) => i.status === 'ok' && !this.labels.isExcluded(i.id)).map((i) => i.id));
      const truth = opts.includeTruth ? this.truthLabels() : null;
      return buildDataset({
        cache, include, classes: this.classes(),
        labelOf: (id) => this.labelOf(id)?.classId,
        ...(truth ? { truthOf: (id: string) => truth.get(id) } : {}),
      });
    });
    this.cacheChain = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([this.manifestChain, this.cacheChain, this.indexChain]);
    try {
      await Promise.all([this.index.close(), this.labels.close(), this.truth.close()]);
    } finally {
      this.lock?.release();
    }
  }
}
