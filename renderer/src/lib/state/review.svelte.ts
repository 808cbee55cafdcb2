// Review view state: the inferred labels of still-unlabeled images, least confident first, with
// filters; accept (→ 'accepted-inference'), correct with a number key (→ 'hand'), or skip. The
// "label these next" tab is suggest.get's ranking.
import type { ImageItem, LabelSource, SuggestResult } from '../../../../shared/contract';
import { errorMessage } from '../errors';
import type { AppState } from './app.svelte';
import type { PipelineState } from './pipeline.svelte';
import type { Requests } from './requests';

export interface ReviewItem {
  id: string;
  predicted: string;
  confidence: number;
}

export interface ReviewFilter {
  classId: string | null;
  min: number;
  max: number;
}

interface AnnotationLike {
  id: string;
  inferred: string | null;
  confidence: number | null;
}

const conf = (x: number) => String(Math.round(x * 1000) / 1000);

/**
 * Pure: why the confidence range can hold no image, in words, or null. An inverted range used to show
 * an empty queue with no reason (issue 14).
 */
export function rangeProblem(f: Pick<ReviewFilter, 'min' | 'max'>): string | null {
  for (const [name, v] of [['minimum', f.min], ['maximum', f.max]] as const) {
    if (!Number.isFinite(v)) return `The range is empty: the ${name} confidence is not a number.`;
    if (v < 0 || v > 1) return `The range is empty: confidences run from 0 to 1, and the ${name} is ${conf(v)}.`;
  }
  if (f.min > f.max) return `The range is empty: minimum ${conf(f.min)} is above maximum ${conf(f.max)}.`;
  return null;
}

/** Pure: unlabeled images with an inferred label, filtered, ascending confidence (ties by id). */
export function reviewQueue(items: readonly AnnotationLike[], labelOf: (id: string) => string | null | undefined, f: ReviewFilter, skipped: ReadonlySet<string> = new Set()): ReviewItem[] {
  const out: ReviewItem[] = [];
  for (const a of items) {
    if (a.inferred === null || a.confidence === null) continue;
    const label = labelOf(a.id);
    if (label !== null && label !== undefined) continue; // labeled since (or hand-labeled): nothing to review
    if (label === undefined) continue; // not in the project any more (excluded or removed)
    if (f.classId !== null && a.inferred !== f.classId) continue;
    if (a.confidence < f.min || a.confidence > f.max) continue;
    if (skipped.has(a.id)) continue;
    out.push({ id: a.id, predicted: a.inferred, confidence: a.confidence });
  }
  return out.sort((a, b) => a.confidence - b.confidence || (a.id < b.id ? -1 : 1));
}

export interface SourcedWriter {
  set(ids: string[], classId: string | null, source: LabelSource): Promise<boolean>;
}

export type ReviewTab = 'review' | 'next';

export class ReviewState {
  tab = $state<ReviewTab>('review');
  filter = $state.raw<ReviewFilter>({ classId: null, min: 0, max: 1 });
  skipped = $state.raw<ReadonlySet<string>>(new Set());
  cursor = $state(0);
  suggestions = $state.raw<SuggestResult | null>(null);
  suggestionsError = $state<string | null>(null);
  loadingSuggestions = $state(false);

  constructor(
    private readonly api: Requests,
    private readonly pipeline: PipelineState,
    private readonly items: () => readonly ImageItem[],
    private readonly writer: SourcedWriter,
    private readonly app: AppState,
  ) {}

  labelsById = $derived.by(() => new Map(this.items().filter((i) => !i.excluded).map((i) => [i.id, i.label])));
  queue = $derived.by(() => reviewQueue(this.pipeline.annotations?.items ?? [], (id) => this.labelsById.get(id), this.filter, this.skipped));
  current = $derived(this.queue[Math.min(this.cursor, Math.max(0, this.queue.length - 1))] ?? null);
  /** Why the confidence filter admits nothing (shown instead of a silent empty queue), or null. */
  filterProblem = $derived(rangeProblem(this.filter));

  setFilter(patch: Partial<ReviewFilter>): void {
    this.filter = { ...this.filter, ...patch };
    this.cursor = 0;
  }

  focus(id: string): void {
    const i = this.queue.findIndex((q) => q.id === id);
    if (i >= 0) this.cursor = i;
  }

  move(step: number): void {
    this.cursor = Math.max(0, Math.min(this.queue.length - 1, this.cursor + step));
  }

  /** Accept the focused inference: it becomes the image's label (source 'accepted-inference'). */
  async accept(): Promise<boolean> {
    const item = this.current;
    if (!item) return false;
    return this.writer.set([item.id], item.predicted, 'accepted-inference');
  }

  /** Correct the focused image to another class (a hand label). */
  async correct(classId: string): Promise<boolean> {
    const item = this.current;
    if (!item) return false;
    return this.writer.set([item.id], classId, 'hand');
  }

  /** Skip: hide for this session and move on. */
  skip(): void {
    const item = this.current;
    if (!item) return;
    this.skipped = new Set([...this.skipped, item.id]);
  }

  /** Another project: its class filter, skips and suggestions name its images and classes. */
  reset(): void {
    this.filter = { classId: null, min: 0, max: 1 };
    this.skipped = new Set();
    this.cursor = 0;
    this.suggestions = null;
    this.suggestionsError = null;
  }

  resetSkipped(): void {
    this.skipped = new Set();
  }

  async loadSuggestions(n = 24): Promise<void> {
    this.loadingSuggestions = true;
    try {
      this.suggestions = await this.api.request('suggest.get', { n });
      this.suggestionsError = null;
    } catch (err) {
      this.suggestions = null;
      this.suggestionsError = errorMessage(err);
    } finally {
      this.loadingSuggestions = false;
    }
  }

  /** Label one suggested image by hand and drop it from the list. */
  async labelSuggestion(id: string, classId: string): Promise<void> {
    if (!(await this.writer.set([id], classId, 'hand'))) return;
    if (this.suggestions) this.suggestions = { ...this.suggestions, items: this.suggestions.items.filter((s) => s.id !== id) };
  }

  async reinfer(): Promise<void> {
    const ok = await this.pipeline.run('infer');
    if (ok) {
      this.resetSkipped();
      this.cursor = 0;
      if (this.tab === 'next') await this.loadSuggestions();
    } else this.app.notify('info', 'Inferred labels were not updated');
  }
}
