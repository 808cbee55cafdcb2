// The paper's methods as presets: which labels y_real come from and which D heads train.
// (DESIGN.md §4: single / random / clustering / clustering-ss / s2gan / s2gan-ss / s2gan-co / s3gan / supervised.)
import type { Method } from '../../../../shared/contract';
import type { GanHeads } from '../../models/gan-config';

export type LabelSourceKind =
  | 'single' // one class for every image
  | 'random' // a fixed uniformly random class per image
  | 'clusters' // k-means cluster ids (clusters/result.json)
  | 'inferred' // S⁴L inferred labels, hand labels overriding (infer/result.json)
  | 'co-training' // hand labels where given, D's classifier head predicts the rest
  | 'hand-only'; // only hand-labeled images train (the paper's "BigGAN-k%")

export interface Preset {
  labels: LabelSourceKind;
  heads: GanHeads;
  summary: string;
}

const proj = { projection: true };

export const PRESETS: Record<Method, Preset> = {
  single: { labels: 'single', heads: { ...proj, rotation: false, classifier: false }, summary: 'unconditional: one label for all images' },
  random: { labels: 'random', heads: { ...proj, rotation: false, classifier: false }, summary: 'uniformly random labels (baseline)' },
  clustering: { labels: 'clusters', heads: { ...proj, rotation: false, classifier: false }, summary: 'k-means cluster ids as labels' },
  'clustering-ss': { labels: 'clusters', heads: { ...proj, rotation: true, classifier: false }, summary: 'cluster ids + rotation self-supervision in D' },
  s2gan: { labels: 'inferred', heads: { ...proj, rotation: false, classifier: false }, summary: 'S⁴L inferred labels' },
  // Beyond the brief's list: the paper's best variant uses *pre-trained* S⁴L labels (which beat co-training)
  // together with rotation self-supervision in D; `s3gan` below is the co-training form the brief names.
  's2gan-ss': { labels: 'inferred', heads: { ...proj, rotation: true, classifier: false }, summary: 'S⁴L inferred labels + rotation self-supervision' },
  's2gan-co': { labels: 'co-training', heads: { ...proj, rotation: false, classifier: true }, summary: 'co-training: D classifier head on hand labels labels the rest' },
  s3gan: { labels: 'co-training', heads: { ...proj, rotation: true, classifier: true }, summary: 'co-training head + rotation self-supervision' },
  supervised: { labels: 'hand-only', heads: { ...proj, rotation: false, classifier: false }, summary: 'hand-labeled images only (BigGAN-k%)' },
};
