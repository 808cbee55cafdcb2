// The image list as the Label view sees it: every item (acknowledged state only), the current
// filter/sort, zoom, focus and multi-selection. Pending labels live in LabelsState.
import type { EventPayload, ImageItem, LabelSource, Result } from '../../../../shared/contract';
import { filterAndSort, type AnnotationLookup, type GalleryFilter, type GallerySort } from '../gallery/filters';
import { emptySelection, pruneSelection, type Selection } from '../gallery/selection';
import type { Requests } from './requests';

export interface GalleryCounts {
  total: number;
  labeled: number;
  unlabeled: number;
  excluded: number;
  missing: number;
  perClass: ReadonlyMap<string, number>;
}

export function countItems(items: readonly ImageItem[]): GalleryCounts {
  const perClass = new Map<string, number>();
  let labeled = 0;
  let unlabeled = 0;
  let excluded = 0;
  let missing = 0;
  for (const item of items) {
    if (item.label !== null) {
      labeled++;
      perClass.set(item.label, (perClass.get(item.label) ?? 0) + 1);
    } else if (!item.excluded) unlabeled++;
    if (item.excluded) excluded++;
    if (item.status === 'missing') missing++;
  }
  return { total: items.length, labeled, unlabeled, excluded, missing, perClass };
}

export type LabelPatch = NonNullable<EventPayload<'labels.changed'>['changes']>[number];

export const ZOOM_MIN = 64;
export const ZOOM_MAX = 256;

export class GalleryState {
  items = $state.raw<ImageItem[]>([]);
  filter = $state.raw<GalleryFilter>({ kind: 'all' });
  sort = $state<GallerySort>('order');
  zoom = $state(120);
  autoAdvance = $state(true);
  selection = $state.raw<Selection>(emptySelection);
  loaded = $state(false);
  /** The newest label revision applied from 'labels.changed' or a write's answer (-1: none yet). */
  revision = -1;

  /** Stage annotations (cluster, inferred label, confidence) once ml-stores provides them. */
  #annotations = $state.raw<() => AnnotationLookup | null>(() => null);

  view = $derived(filterAndSort(this.items, this.filter, this.sort, this.#annotations() ?? undefined));
  order = $derived(this.view.map((i) => i.id));
  indexById = $derived(new Map(this.order.map((id, i) => [id, i])));
  counts = $derived(countItems(this.items));

  constructor(private readonly api: Requests) {}

  /** Cluster / inferred-label filters and the confidence sort read annotations from here. */
  useAnnotations(source: () => AnnotationLookup | null): void {
    this.#annotations = source;
  }

  async refresh(): Promise<void> {
    const { items } = await this.api.request('images.list', {});
    this.#replaceItems(items);
    this.loaded = true;
  }

  /** The full image (source file, ≤ 1024 px) for the preview; the thumbnail stands in until then. */
  preview(id: string): Promise<Result<'images.preview'>> {
    return this.api.request('images.preview', { id });
  }

  /** Another project (or none): its images, selection and filter go; sort and zoom are the user's taste. */
  reset(): void {
    this.items = [];
    this.selection = emptySelection;
    this.loaded = false;
    this.revision = -1;
    this.filter = { kind: 'all' };
  }

  setFilter(filter: GalleryFilter): void {
    this.filter = filter;
    this.#keepSelectionVisible(null);
  }

  /** Another project (or none): its cluster and inferred-label filters no longer apply. */
  clearStageFilter(): void {
    if (this.filter.kind === 'cluster' || this.filter.kind === 'inferred') this.setFilter({ kind: 'all' });
  }

  setSort(sort: GallerySort): void {
    this.sort = sort;
  }

  select(sel: Selection): void {
    this.selection = sel;
  }

  /**
   * Apply acknowledged label changes locally (the engine has persisted them). `revision` (the write's
   * answer): when its 'labels.changed' (or a newer one) already arrived, that state is shown already.
   * Only events advance `revision`: another tab's change just before this one may still be on its way.
   */
  patchLabels(ids: readonly string[], classId: string | null, source: LabelSource | null, revision?: number): void {
    if (revision !== undefined && revision <= this.revision) return;
    const set = new Set(ids);
    this.#replaceItems(this.items.map((it) => (set.has(it.id) ? { ...it, label: classId, labelSource: classId === null ? null : source } : it)));
  }

  /**
   * The engine's state of some images after label revision `revision` (a 'labels.changed' from any tab).
   * Older than what is shown: ignored (the newer state already includes it). False when ignored.
   */
  applyChanges(revision: number, changes: readonly LabelPatch[]): boolean {
    if (revision <= this.revision) return false;
    this.revision = revision;
    const byId = new Map(changes.map((c) => [c.id, c]));
    this.#replaceItems(this.items.map((it) => {
      const c = byId.get(it.id);
      return c ? { ...it, label: c.label, labelSource: c.labelSource, excluded: c.excluded } : it;
    }));
    return true;
  }

  patchExcluded(ids: readonly string[], excluded: boolean): void {
    const set = new Set(ids);
    this.#replaceItems(this.items.map((it) => (set.has(it.id) ? { ...it, excluded } : it)));
  }

  /**
   * Replace the items, keeping focus at the same place when the focused image leaves the view.
   * Keyboard-first: some image always has focus once the list is there, so the first number key labels.
   */
  #replaceItems(items: ImageItem[]): void {
    const before = this.selection.focus ? (this.indexById.get(this.selection.focus) ?? null) : null;
    this.items = items;
    this.#keepSelectionVisible(before);
  }

  #keepSelectionVisible(previousFocusIndex: number | null): void {
    const visible = new Set(this.order);
    let sel = pruneSelection(this.selection, visible);
    if (sel.focus === null && this.order.length > 0) {
      const id = this.order[Math.min(previousFocusIndex ?? 0, this.order.length - 1)]!;
      sel = { ...sel, focus: id, anchor: sel.anchor ?? id };
    }
    if (sel !== this.selection) this.selection = sel;
  }
}
