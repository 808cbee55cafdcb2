// Stage 1 (DESIGN.md §4): rotation self-supervision (Gidaris et al. 2018). The encoder learns to tell
// which of {0, 90, 180, 270}° was applied to each image; its L2-normalised penultimate features joined with
// the L2-normalised 2×2-pooled last-stage map (encodeEmbedding) are the embedding that clustering uses.
// Labels are never read here.
import * as tf from '@tensorflow/tfjs';
import type { Dataset } from '../base/dataset';
import {
  addClassifierHead, cloneEncoderState, createEncoder, disposeEncoderState, embeddingDim, encodeEmbedding, encodeFeatures, headLogits,
  type EncoderConfig, type EncoderState,
} from '../models/encoder';
import type { BatchMoments } from '../models/layers-batchnorm';
import { allRotations, createRng, imageBatch, imagePixels, shuffled, toResolution, type AugmentOptions } from './augment';
import type { BatchNormMode } from './parallel/protocol';
import type { EncoderRanks } from './parallel/ranks';
import { createAdam, crossEntropy, optimizeStep, runSteps, scheduledLearningRate, type CurvePoint, type TrainCallbacks } from './train-loop';

export type { EncoderConfig, EncoderState } from '../models/encoder';
export { embeddingDim } from '../models/encoder';
export type { TrainCallbacks } from './train-loop';

/** Defaults sized for the wasm backend on a laptop CPU (see test/bench/encoder-speed.ts). */
export function defaultEncoderConfig(resolution: number, channels: 1 | 3): EncoderConfig {
  return { resolution, channels, width: 16, depth: 1, featureDim: 128, seed: 1 };
}

/** Random shift of ~1/10 of the side; flips only for colour images (digits and text are not mirror-symmetric). */
export function defaultAugment(config: EncoderConfig): AugmentOptions {
  return { shift: Math.max(1, Math.round(config.resolution / 10)), flip: config.channels === 3 };
}

export interface RotationTrainOptions {
  config: EncoderConfig;
  epochs: number;
  /** Images per step; each contributes all 4 rotations. */
  batchSize?: number;
  lr?: number;
  /** Continue from these weights (copied; the caller keeps ownership of `init`). */
  init?: EncoderState;
  /** Step to resume at (0..total); the learning-rate schedule continues from there. */
  startStep?: number;
  augment?: AugmentOptions;
  /**
   * This call is epoch `epoch` of a run of `epochs` one-epoch calls (the features stage checkpoints
   * after each): the learning rate follows one warm-up + cosine over the whole run instead of a cycle
   * per call.
   */
  schedule?: { epoch: number; epochs: number };
  /** Data-parallel ranks (2+) to train on; absent: this thread alone (the single-thread path). */
  workers?: EncoderRanks;
  /** With `workers`: synced batch norm (default; = one thread up to sum order) or per-shard statistics. */
  batchNorm?: BatchNormMode;
}

export function rotationSteps(n: number, epochs: number, batchSize: number): number {
  return Math.max(1, Math.ceil(n / batchSize)) * epochs;
}

/** Index of the image that step `s`'s batch slot `j` uses: a fresh seeded permutation per epoch. */
export function epochBatches(n: number, batchSize: number, seed: number) {
  const perEpoch = Math.max(1, Math.ceil(n / batchSize));
  let cachedEpoch = -1;
  let order: Int32Array = new Int32Array(0);
  return (step: number): Int32Array => {
    const epoch = Math.floor(step / perEpoch);
    if (epoch !== cachedEpoch) {
      order = shuffled(n, createRng(seed * 7919 + epoch));
      cachedEpoch = epoch;
    }
    const start = (step % perEpoch) * batchSize;
    const batch = order.slice(start, Math.min(n, start + batchSize));
    return batch.length ? batch : order.slice(0, Math.min(n, batchSize));
  };
}

/**
 * Seed of the batch order and augmentation stream. A caller that trains epoch by epoch (one call per
 * epoch, each starting at step 0 from the previous weights) would otherwise replay the same batches
 * and augmentations every epoch; mixing in a fingerprint of the starting weights keeps the stream
 * fresh yet deterministic. A resume (startStep > 0) keeps the config seed so the schedule continues.
 */
function randomStreamSeed(state: EncoderState, fromInit: boolean): number {
  if (!fromInit) return state.config.seed;
  const stem = state.trainable.get('stem/conv')!.dataSync();
  let h = 2166136261 ^ state.config.seed;
  for (let i = 0; i < stem.length; i++) h = Math.imul(h ^ Math.round(stem[i]! * 1e6), 16777619);
  return h >>> 0;
}

export function trainableVariables(state: EncoderState, exclude: (name: string) => boolean = () => false): tf.Variable[] {
  return [...state.trainable].filter(([n]) => !exclude(n)).map(([, v]) => v);
}

export async function trainRotationEncoder(
  ds: Dataset,
  opts: RotationTrainOptions,
  cb: TrainCallbacks = {},
): Promise<{ state: EncoderState; curve: CurvePoint[] }> {
  if (ds.n < 1) throw new Error('no images to train on');
  if (ds.channels !== opts.config.channels) throw new Error(`dataset has ${ds.channels} channels, encoder expects ${opts.config.channels}`);
  const batchSize = Math.min(opts.batchSize ?? 32, ds.n);
  const baseLr = opts.lr ?? 2e-3;
  const total = rotationSteps(ds.n, opts.epochs, batchSize);
  const startStep = Math.min(opts.startStep ?? 0, total);
  const augment = opts.augment ?? defaultAugment(opts.config);
  const schedule = opts.schedule && opts.schedule.epochs > 0 ? opts.schedule : null;
  const state = opts.init ? cloneEncoderState(opts.init) : createEncoder(opts.config);
  const vars = trainableVariables(state, (n) => n.startsWith('head/classifier/'));
  const opt = createAdam(baseLr);
  const streamSeed = randomStreamSeed(state, opts.init !== undefined && startStep === 0);
  const batchAt = epochBatches(ds.n, batchSize, streamSeed);
  const moments: BatchMoments[] = [];
  const ranks = opts.workers;
  try {
    if (ranks) await ranks.begin(state, { task: 'rotation', lr: baseLr, rotationWeight: 1, batchNorm: opts.batchNorm ?? 'synced' });
    const curve = await runSteps({ total, startStep, signal: cb.signal, onStep: cb.onStep }, (step) => {
      const rng = createRng(streamSeed * 104729 + step);
      const lr = scheduledLearningRate(baseLr, step, total, schedule);
      if (ranks) {
        const idx = batchAt(step);
        return ranks.step({ lr, dims: [ds.height, ds.width, ds.channels], unlabeled: imagePixels(ds, idx, augment, rng), unlabeledCount: idx.length });
      }
      opt.setLearningRate(lr);
      const raw = imageBatch(ds, batchAt(step), augment, rng);
      const x = toResolution(raw, state.config.resolution);
      const { images, labels } = allRotations(x);
      tf.dispose([raw, x]);
      try {
        return optimizeStep(opt, vars, moments, () => {
          const logits = headLogits(state, 'rotation', encodeFeatures(state, images, moments));
          return crossEntropy(logits, labels);
        });
      } finally {
        tf.dispose([images, labels]);
      }
    });
    return { state, curve };
  } catch (e) {
    disposeEncoderState(state);
    throw e;
  } finally {
    await ranks?.end();
    opt.dispose();
    for (const m of moments) tf.dispose([m.mean, m.variance]);
  }
}

/** Unit-norm embedding of every image (eval mode, no augmentation): n × embeddingDim(config) (encodeEmbedding). */
export async function embedImages(state: EncoderState, ds: Dataset, batchSize = 256): Promise<Float32Array> {
  const dim = embeddingDim(state.config);
  const out = new Float32Array(ds.n * dim);
  const noise = createRng(0);
  for (let start = 0; start < ds.n; start += batchSize) {
    const idx = Array.from({ length: Math.min(batchSize, ds.n - start) }, (_, i) => start + i);
    const feats = tf.tidy(() => {
      const x = toResolution(imageBatch(ds, idx, null, noise), state.config.resolution);
      const { features, embedding } = encodeEmbedding(state, x);
      features.dispose();
      return embedding;
    });
    out.set(feats.dataSync(), start * dim);
    feats.dispose();
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return out;
}

export interface SerializedEncoder {
  config: EncoderConfig;
  weights: { name: string; shape: number[]; data: Float32Array }[];
}

/** Plain data (config + named float arrays, trunk, heads and BN statistics) for saving to disk. */
export function serializeEncoder(state: EncoderState): SerializedEncoder {
  const weights = [...state.trainable, ...state.stats].map(([name, v]) => ({ name, shape: [...v.shape], data: v.dataSync() as Float32Array }));
  return { config: { ...state.config }, weights: weights.map((w) => ({ ...w, data: Float32Array.from(w.data) })) };
}

export function deserializeEncoder(s: SerializedEncoder): EncoderState {
  const state = createEncoder(s.config);
  try {
    const byName = new Map(s.weights.map((w) => [w.name, w]));
    // the classifier head exists only after S⁴L; recreate it with the saved number of classes
    loadInto(state, byName, byName.get('head/classifier/b')?.shape[0]);
    return state;
  } catch (e) {
    disposeEncoderState(state);
    throw e;
  }
}

function loadInto(state: EncoderState, byName: Map<string, SerializedEncoder['weights'][number]>, classifierClasses?: number): void {
  if (classifierClasses) addClassifierHead(state, classifierClasses);
  const expected = [...state.trainable, ...state.stats];
  for (const [name, v] of expected) {
    const w = byName.get(name);
    if (!w) throw new Error(`saved encoder lacks weight ${name}`);
    if (w.shape.join('x') !== v.shape.join('x')) throw new Error(`weight ${name}: saved shape ${w.shape} ≠ ${v.shape}`);
    tf.tidy(() => v.assign(tf.tensor(w.data, w.shape)));
  }
  if (byName.size !== expected.length) {
    const known = new Set(expected.map(([n]) => n));
    throw new Error(`saved encoder has unknown weights: ${[...byName.keys()].filter((n) => !known.has(n)).join(', ')}`);
  }
}

export function disposeEncoder(state: EncoderState): void {
  disposeEncoderState(state);
}
