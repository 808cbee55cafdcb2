// "Label these next": rank unlabeled images by how much a hand label there should help —
// classifier uncertainty (small top-1/top-2 margin) and coverage of clusters that have few hand labels,
// with a small bonus for images near their cluster centre (typical, not outliers). Picks are greedy:
// every pick counts as a label of its cluster, so the queue spreads over clusters instead of piling up.
import type { SuggestResult } from '../../../shared/contract';
import type { ClustersFile } from './cluster-stage';
import type { InferFile } from './infer-stage';

export interface SuggestInputs {
  /** Current candidate images (not excluded) in dataset order. */
  ids: string[];
  /** Current hand-labeled flag per id. */
  labeled: boolean[];
  clusters: Pick<ClustersFile, 'ids' | 'assignments' | 'distances' | 'k'> | null;
  infer: Pick<InferFile, 'ids' | 'predicted' | 'confidence' | 'margin' | 'handLabeled'> | null;
}

type Suggestion = SuggestResult['items'][number];

const WEIGHTS = { uncertainty: 0.6, coverage: 0.4, typicality: 0.1 };

interface Candidate {
  id: string;
  cluster: number | null;
  uncertainty: number | null;
  typicality: number;
  predicted: string | null;
  confidence: number | null;
  /** The part of the score that does not change while picking. */
  base: number;
}

export function rankSuggestions(inputs: SuggestInputs, n: number): Suggestion[] {
  const { clusters, infer } = inputs;
  const clusterRow = clusters ? new Map(clusters.ids.map((id, i) => [id, i])) : null;
  const inferRow = infer ? new Map(infer.ids.map((id, i) => [id, i])) : null;
  const maxDistance = clusters ? maxDistancePerCluster(clusters) : [];
  const labelsInCluster = new Array<number>(clusters?.k ?? 0).fill(0);
  const candidates: Candidate[] = [];
  inputs.ids.forEach((id, i) => {
    const cr = clusterRow?.get(id);
    const cluster = cr !== undefined ? clusters!.assignments[cr]! : null;
    if (inputs.labeled[i]) {
      if (cluster !== null) labelsInCluster[cluster]! += 1;
      return;
    }
    const ir = inferRow?.get(id);
    // A stale infer result may hold a hand label that was since removed: no classifier opinion then.
    const fromClassifier = ir !== undefined && !infer!.handLabeled[ir];
    const uncertainty = fromClassifier ? 1 - infer!.margin[ir]! : null;
    const typicality = cr !== undefined && maxDistance[cluster!]! > 0 ? 1 - clusters!.distances[cr]! / maxDistance[cluster!]! : 0;
    const base = (uncertainty !== null ? WEIGHTS.uncertainty * uncertainty : 0) + WEIGHTS.typicality * typicality;
    candidates.push({
      id, cluster, uncertainty, typicality, base,
      predicted: fromClassifier ? infer!.predicted[ir]! : null,
      confidence: fromClassifier ? infer!.confidence[ir]! : null,
    });
  });
  return greedyPick(candidates, labelsInCluster, n);
}

/** Per cluster (plus one bucket for "no cluster"), candidates by base score; each step takes the best head. */
function greedyPick(candidates: Candidate[], labelsInCluster: number[], n: number): Suggestion[] {
  const buckets = new Map<number, Candidate[]>();
  for (const c of candidates) {
    const key = c.cluster ?? -1;
    const list = buckets.get(key) ?? [];
    list.push(c);
    buckets.set(key, list);
  }
  for (const list of buckets.values()) list.sort((a, b) => b.base - a.base || (a.id < b.id ? -1 : 1));
  const heads = new Map([...buckets.keys()].map((k) => [k, 0]));
  const coverage = (cluster: number) => (cluster < 0 ? 0 : WEIGHTS.coverage / (1 + labelsInCluster[cluster]!));
  const out: Suggestion[] = [];
  while (out.length < n) {
    let bestKey: number | null = null;
    let bestScore = -Infinity;
    for (const [key, list] of buckets) {
      const c = list[heads.get(key)!];
      if (!c) continue;
      const score = c.base + coverage(key);
      if (score > bestScore) {
        bestScore = score;
        bestKey = key;
      }
    }
    if (bestKey === null) break;
    const pick = buckets.get(bestKey)![heads.get(bestKey)!]!;
    heads.set(bestKey, heads.get(bestKey)! + 1);
    out.push({
      id: pick.id, score: Math.round(bestScore * 1e4) / 1e4, reason: reasonFor(pick, bestKey < 0 ? null : labelsInCluster[bestKey]!),
      predicted: pick.predicted, confidence: pick.confidence, cluster: pick.cluster,
    });
    if (bestKey >= 0) labelsInCluster[bestKey]! += 1;
  }
  return out;
}

/** Clusters are 0-based in data (Suggestion.cluster, Annotation.cluster) and 1-based in words, as on the cluster cards. */
export function clusterName(index: number): string {
  return `cluster ${index + 1}`;
}

function reasonFor(c: Candidate, clusterLabels: number | null): string {
  const uncertain = c.uncertainty !== null && c.uncertainty > 0.5;
  const parts: string[] = [];
  if (clusterLabels === 0) parts.push(`${clusterName(c.cluster!)} has no hand labels yet`);
  if (uncertain) parts.push(`classifier unsure (confidence ${c.confidence!.toFixed(2)}, margin ${(1 - c.uncertainty!).toFixed(2)})`);
  if (parts.length === 0 && clusterLabels !== null) parts.push(`${clusterName(c.cluster!)} has only ${clusterLabels} hand label${clusterLabels === 1 ? '' : 's'}`);
  if (parts.length === 0) parts.push(c.uncertainty !== null ? `least confident left (confidence ${c.confidence!.toFixed(2)})` : 'not labeled yet');
  return parts.join('; ');
}

function maxDistancePerCluster(clusters: Pick<ClustersFile, 'assignments' | 'distances' | 'k'>): number[] {
  const out = new Array<number>(clusters.k).fill(0);
  clusters.assignments.forEach((c, i) => {
    out[c] = Math.max(out[c]!, clusters.distances[i] ?? 0);
  });
  return out;
}
