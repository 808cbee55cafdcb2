// The four stages of the method (features → clusters → infer → train) as the Pipeline panel shows
// them: not run / running (progress, ETA from job.progress) / done at T / stale; run and cancel them.
import type { AnnotationsResult, ClusterResult, FeaturesResult, InferResult, JobKind, JobProgress } from '../../../../shared/contract';
import { errorMessage, isCancelled } from '../errors';
import { cancelledWords, failedWords } from '../job-words';
import type { AppState } from './app.svelte';
import type { JobsState } from './jobs.svelte';
import type { Requests } from './requests';

export type StageName = 'features' | 'cluster' | 'infer';
export type StageKind = 'none' | 'running' | 'done' | 'stale';

export interface StageView {
  kind: StageKind;
  doneAt: string | null;
  progress: JobProgress | null;
}

type Annotations = AnnotationsResult;
type StageResults = { features?: FeaturesResult; cluster?: ClusterResult; infer?: InferResult };

const stageLabel: Record<StageName, string> = { features: 'Features', cluster: 'Clusters', infer: 'Inferred labels' };

/** Pure: the state of one stage from the stored annotations and the running jobs. */
export function stageView(stage: StageName, a: Annotations | null, running: boolean, progress: JobProgress | null): StageView {
  const s = a?.stages[stage] ?? null;
  if (running || progress) return { kind: 'running', doneAt: s?.doneAt ?? null, progress };
  if (!s) return { kind: 'none', doneAt: null, progress: null };
  return { kind: s.stale ? 'stale' : 'done', doneAt: s.doneAt, progress: null };
}

/**
 * Pure: why starting `stage` now may be a mistake (an input stage missing or stale), or null.
 * `train` needs clusters for the clustering presets and inferred labels for s2gan.
 */
export function dependencyWarning(stage: StageName | 'train', a: Annotations | null, needs: 'cluster' | 'infer' | null = null): string | null {
  const st = a?.stages;
  if (stage === 'cluster' || stage === 'infer') {
    if (!st?.features) return 'Features have not been computed yet: run Features first.';
    return null;
  }
  if (stage === 'train' && needs) {
    const dep = st?.[needs] ?? null;
    if (!dep) return `${stageLabel[needs]} have not been computed yet: run ${stageLabel[needs]} first.`;
    if (dep.stale) {
      return needs === 'infer'
        ? 'Inferred labels are stale: labels changed since the last inference. Re-infer first, or train on the older labels.'
        : 'Clusters are stale: features changed since the last clustering. Recluster first, or train on the older clusters.';
    }
  }
  return null;
}

export class PipelineState {
  annotations = $state.raw<Annotations | null>(null);
  /** Stages this window started and is awaiting (progress events may lag behind the request). */
  running = $state.raw<ReadonlySet<StageName>>(new Set());
  results = $state.raw<StageResults>({});
  featuresEpochs = $state(8);
  inferEpochs = $state(10);
  k = $state(0); // 0 = number of classes (the engine's default)
  loaded = $state(false);
  /** Why each stage's last run failed, in words, shown on its card until it runs again (k too large, …). */
  errors = $state.raw<Partial<Record<StageName, string>>>({});

  constructor(
    private readonly api: Requests,
    private readonly app: AppState,
    private readonly jobs: JobsState,
  ) {}

  itemsById = $derived(new Map((this.annotations?.items ?? []).map((i) => [i.id, i])));

  view(stage: StageName): StageView {
    return stageView(stage, this.annotations, this.running.has(stage), this.jobs.ofKind(stage as JobKind));
  }

  async refresh(): Promise<void> {
    this.annotations = await this.api.request('annotations.get', {});
    this.loaded = true;
  }

  /** Another project (or none): its stages and the values typed for them (k, epochs) no longer apply. */
  reset(): void {
    this.annotations = null;
    this.results = {};
    this.loaded = false;
    this.errors = {};
    this.k = 0;
    this.featuresEpochs = 8;
    this.inferEpochs = 10;
  }

  /** Runs a stage to its end; resolves false on failure or cancel (after saying why). */
  async run(stage: StageName): Promise<boolean> {
    if (this.running.has(stage)) return false;
    this.#setRunning(stage, true);
    this.#setError(stage, null);
    try {
      if (stage === 'features') this.results = { ...this.results, features: await this.api.request('features.run', { epochs: this.featuresEpochs }) };
      else if (stage === 'cluster') this.results = { ...this.results, cluster: await this.api.request('cluster.run', this.k > 0 ? { k: this.k } : {}) };
      else this.results = { ...this.results, infer: await this.api.request('infer.run', { epochs: this.inferEpochs }) };
      this.app.notify('info', `${stageLabel[stage]} done`);
      return true;
    } catch (err) {
      // Same words as job.finished's toast (AppState.notify does not stack the same text twice).
      if (isCancelled(err)) this.app.notify('info', cancelledWords(stage));
      else {
        this.app.notify('error', failedWords(stage, err));
        this.#setError(stage, errorMessage(err));
      }
      return false;
    } finally {
      this.#setRunning(stage, false);
      await this.refresh().catch(() => undefined);
      void this.app.loadInfo(); // the backend is known once a model stage ran
    }
  }

  async cancel(stage: StageName): Promise<void> {
    const job = this.jobs.ofKind(stage as JobKind);
    if (!job) return;
    try {
      await this.jobs.cancel(job.jobId);
    } catch (err) {
      this.app.notify('error', `Cancel failed: ${errorMessage(err)}`);
    }
  }

  #setError(stage: StageName, text: string | null): void {
    const next = { ...this.errors };
    if (text === null) delete next[stage];
    else next[stage] = text;
    this.errors = next;
  }

  #setRunning(stage: StageName, on: boolean): void {
    const next = new Set(this.running);
    if (on) next.add(stage);
    else next.delete(stage);
    this.running = next;
  }
}

export function formatDoneAt(iso: string | null, now = Date.now()): string {
  if (!iso) return '';
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return '';
  const s = Math.max(0, Math.round((now - t) / 1000));
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  const d = new Date(t);
  return s < 86_400 ? d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) : d.toLocaleDateString();
}
