// Label writes with an honest pending state: a label is shown dashed until `labels.set` resolves
// (the engine answers only after the label log is fsync'd); on error it reverts and says why.
import type { ImageItem, LabelSource } from '../../../../shared/contract';
import { errorMessage } from '../errors';
import { nextUnlabeledIndex } from '../gallery/filters';
import type { AppState } from './app.svelte';
import type { GalleryState } from './gallery.svelte';
import { keptWords, overwriteAction, writeOutcome } from './kept-labels';
import type { Requests } from './requests';

interface Pending {
  classId: string | null;
  seq: number;
}

export class LabelsState {
  pending = $state.raw<ReadonlyMap<string, Pending>>(new Map());
  inFlight = $state(0);
  /** Whether the project has a step to undo / redo, as the last 'labels.changed' said (null: not known yet). */
  canUndo = $state<boolean | null>(null);
  canRedo = $state<boolean | null>(null);
  #seq = 0;
  /** Writes go out one at a time so the engine's log order (and undo order) is the keystroke order. */
  #queue: Promise<unknown> = Promise.resolve();
  /** Ids whose change this window made recently: their 'labels.changed' echo needs no refetch. */
  #own = new Map<string, number>();

  constructor(
    private readonly api: Requests,
    private readonly gallery: GalleryState,
    private readonly app: AppState,
  ) {}

  /** The label to draw: a pending one wins over the acknowledged one. */
  effectiveLabel(item: ImageItem): string | null {
    const p = this.pending.get(item.id);
    return p ? p.classId : item.label;
  }

  isPending(id: string): boolean {
    return this.pending.has(id);
  }

  /**
   * Label (or clear with null) `ids`; one request = one undo group. Several ids are a bulk label: images
   * a person labeled with another class are kept (unless `overwrite`), and a toast offers to overwrite them.
   */
  async set(ids: readonly string[], classId: string | null, opts: { advance?: boolean; overwrite?: boolean; source?: LabelSource } = {}): Promise<boolean> {
    if (ids.length === 0) return false;
    const seq = ++this.#seq;
    const source: LabelSource = opts.source ?? (ids.length > 1 ? 'bulk' : 'hand');
    this.#markPending(ids, classId, seq);
    if (opts.advance && ids.length === 1 && classId !== null) this.#advanceFrom(ids[0]!);
    try {
      const r = await this.#enqueue(() => this.api.request('labels.set', { ids: [...ids], classId, source, ...(opts.overwrite ? { overwrite: true } : {}) }));
      const o = writeOutcome(ids, r);
      this.gallery.patchLabels(o.written, classId, source, r.revision);
      if (!o.exact) await this.gallery.refresh();
      if (o.kept > 0) this.app.notify('info', keptWords(o.kept), { action: overwriteAction(o, (again) => this.set(again, classId, { overwrite: true, source })) });
      return true;
    } catch (err) {
      this.app.notify('error', `Label not saved: ${errorMessage(err)}`);
      return false;
    } finally {
      this.#clearPending(ids, seq);
    }
  }

  async exclude(ids: readonly string[], excluded: boolean): Promise<void> {
    if (ids.length === 0) return;
    this.#remember(ids);
    try {
      await this.#enqueue(() => this.api.request('images.exclude', { ids: [...ids], excluded }));
      this.gallery.patchExcluded(ids, excluded);
    } catch (err) {
      this.app.notify('error', `Exclude not saved: ${errorMessage(err)}`);
    }
  }

  async undo(): Promise<void> {
    await this.#history('labels.undo', 'Nothing to undo', 'Undone');
  }

  async redo(): Promise<void> {
    await this.#history('labels.redo', 'Nothing to redo', 'Redone');
  }

  /** Undo/redo availability after a change made in any tab (absent from older engines' events). */
  history(canUndo: boolean | undefined, canRedo: boolean | undefined): void {
    if (canUndo !== undefined) this.canUndo = canUndo;
    if (canRedo !== undefined) this.canRedo = canRedo;
  }

  /** Another project: its undo history is not this one's. */
  reset(): void {
    this.canUndo = null;
    this.canRedo = null;
  }

  /** True when a 'labels.changed' event only echoes changes this window already applied. */
  isOwnEcho(ids: readonly string[]): boolean {
    const now = Date.now();
    return ids.length > 0 && ids.every((id) => this.pending.has(id) || (this.#own.get(id) ?? 0) > now);
  }

  async #history(name: 'labels.undo' | 'labels.redo', none: string, done: string): Promise<void> {
    try {
      const r = await this.#enqueue(() => this.api.request(name, {}));
      if (r.applied === 0) this.app.notify('info', none);
      else this.app.notify('info', `${done}: ${r.applied} image${r.applied === 1 ? '' : 's'}`);
      await this.gallery.refresh();
    } catch (err) {
      this.app.notify('error', `${done === 'Undone' ? 'Undo' : 'Redo'} failed: ${errorMessage(err)}`);
    }
  }

  #enqueue<T>(run: () => Promise<T>): Promise<T> {
    const result = this.#queue.then(run);
    this.#queue = result.catch(() => undefined); // one failure must not block later writes
    return result;
  }

  #advanceFrom(id: string): void {
    const g = this.gallery;
    const from = g.indexById.get(id);
    if (from === undefined) return;
    const next = nextUnlabeledIndex(g.view, from, (item) => this.effectiveLabel(item) !== null);
    if (next === null) return;
    const nextId = g.order[next]!;
    g.select({ focus: nextId, anchor: nextId, selected: new Set() });
  }

  #markPending(ids: readonly string[], classId: string | null, seq: number): void {
    const next = new Map(this.pending);
    for (const id of ids) next.set(id, { classId, seq });
    this.pending = next;
    this.inFlight++;
    this.#remember(ids);
  }

  #clearPending(ids: readonly string[], seq: number): void {
    const next = new Map(this.pending);
    // A later keystroke on the same image owns its pending entry; leave that one alone.
    for (const id of ids) if (next.get(id)?.seq === seq) next.delete(id);
    this.pending = next;
    this.inFlight--;
    this.#remember(ids);
  }

  #remember(ids: readonly string[]): void {
    const until = Date.now() + 3000;
    for (const id of ids) this.#own.set(id, until);
    if (this.#own.size > 50_000) this.#own.clear(); // bounded: worst case is one extra refetch
  }
}
