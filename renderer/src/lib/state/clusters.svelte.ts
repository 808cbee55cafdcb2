// Clusters view state: one card per k-means cluster (typical members nearest the centroid, outliers,
// majority label and purity), a selection (strip clicks or lasso on the map), and labeling whole
// clusters or the selection with source 'cluster' (one labels.set = one undo group).
import type { ClassDef, ImageItem } from '../../../../shared/contract';
import type { PipelineState } from './pipeline.svelte';

export interface Member {
  id: string;
  distance: number;
}

export interface ClusterCard {
  index: number;
  size: number;
  /** Members sorted by distance to the centroid, nearest first. */
  members: Member[];
  typical: string[];
  outliers: string[];
  labeled: number;
  majority: string | null;
  majorityCount: number;
  /** Share of the labeled members that carry the majority label (null: none labeled). */
  purity: number | null;
}

export type ColorBy = 'cluster' | 'label' | 'inferred';

/**
 * A cluster as words: the contract's 0-based index + 1, as on the cluster cards ("Cluster 1" is index 0).
 * Every place that names a cluster (cards, gallery filter, map tooltip, image dialog, suggestions) uses this.
 */
export function clusterName(index: number | null | undefined): string {
  return index === null || index === undefined ? 'no cluster' : `Cluster ${index + 1}`;
}

interface AnnotationLike {
  id: string;
  cluster: number | null;
  distance?: number | null;
}

/** Pure: cards from annotations and current labels (label lookup by id). */
export function buildCards(items: readonly AnnotationLike[], labelOf: (id: string) => string | null, strip = 8, tail = 4): ClusterCard[] {
  const byCluster = new Map<number, Member[]>();
  for (const a of items) {
    if (a.cluster === null) continue;
    const list = byCluster.get(a.cluster) ?? [];
    list.push({ id: a.id, distance: a.distance ?? 0 });
    byCluster.set(a.cluster, list);
  }
  return [...byCluster.entries()]
    .sort(([a], [b]) => a - b)
    .map(([index, members]) => {
      members.sort((a, b) => a.distance - b.distance);
      const counts = new Map<string, number>();
      let labeled = 0;
      for (const m of members) {
        const l = labelOf(m.id);
        if (l === null) continue;
        labeled++;
        counts.set(l, (counts.get(l) ?? 0) + 1);
      }
      let majority: string | null = null;
      let majorityCount = 0;
      for (const [l, c] of counts) if (c > majorityCount) [majority, majorityCount] = [l, c];
      const typical = members.slice(0, strip).map((m) => m.id);
      const outliers = members.length > strip ? members.slice(Math.max(strip, members.length - tail)).reverse().map((m) => m.id) : [];
      return { index, size: members.length, members, typical, outliers, labeled, majority, majorityCount, purity: labeled ? majorityCount / labeled : null };
    });
}

export interface LabelWriter {
  set(ids: string[], classId: string | null): Promise<boolean>;
}

export class ClustersState {
  colorBy = $state<ColorBy>('cluster');
  selected = $state.raw<ReadonlySet<string>>(new Set());
  /** The image opened from the map or a strip (dialog), or null. */
  opened = $state<string | null>(null);

  constructor(
    private readonly pipeline: PipelineState,
    /** The project's images with their current labels (the gallery's list). */
    private readonly items: () => readonly ImageItem[],
    private readonly writer: LabelWriter,
  ) {}

  // $derived.by: evaluated lazily, after the constructor has set the dependencies.
  labelsById = $derived.by(() => new Map(this.items().map((i) => [i.id, i.label])));
  cards = $derived.by(() => buildCards(this.pipeline.annotations?.items ?? [], (id) => this.labelsById.get(id) ?? null));

  /** Another project: a selection of its images (or the opened one) would name unknown ids. */
  reset(): void {
    this.selected = new Set();
    this.opened = null;
  }

  toggle(id: string): void {
    const next = new Set(this.selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    this.selected = next;
  }

  select(ids: Iterable<string>, add = false): void {
    this.selected = new Set([...(add ? this.selected : []), ...ids]);
  }

  clearSelection(): void {
    this.selected = new Set();
  }

  async labelCluster(card: ClusterCard, cls: ClassDef): Promise<boolean> {
    return this.writer.set(card.members.map((m) => m.id), cls.id);
  }

  async labelSelection(cls: ClassDef | null): Promise<boolean> {
    if (this.selected.size === 0) return false;
    const ok = await this.writer.set([...this.selected], cls?.id ?? null);
    if (ok) this.clearSelection();
    return ok;
  }
}
