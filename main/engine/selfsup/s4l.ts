// Stage 2b (DESIGN.md §4): S⁴L-Rotation (Zhai et al. 2019). A k-way classifier head on the encoder
// trunk, trained with softmax CE on the hand-labeled images jointly with the rotation loss on all
// images (trunk shared), starting from the rotation encoder's weights when given. Each step's labeled
// batch is class-balanced (class drawn uniformly, then an image of it), so a class with 2 labels
// weighs as much as one with 20. Only `handLabels` are read — never `truth`.
import * as tf from '@tensorflow/tfjs';
import type { Dataset } from '../base/dataset';
import {
  addClassifierHead, cloneEncoderState, createEncoder, disposeEncoderState, embeddingDim, encodeEmbedding, encodeFeatures, headLogits,
  type EncoderConfig, type EncoderState,
} from '../models/encoder';
import type { BatchMoments } from '../models/layers-batchnorm';
import { allRotations, createRng, imageBatch, imagePixels, toResolution, type AugmentOptions } from './augment';
import type { BatchNormMode } from './parallel/protocol';
import type { EncoderRanks } from './parallel/ranks';
import { defaultAugment, epochBatches, rotationSteps, trainableVariables } from './rotation';
import { createAdam, crossEntropy, learningRateAt, optimizeStep, runSteps, type CurvePoint, type TrainCallbacks } from './train-loop';

export interface S4LOptions {
  config: EncoderConfig;
  epochs: number;
  /** Start from these weights (the rotation encoder); copied, the caller keeps ownership. */
  init?: EncoderState;
  /** Unlabeled images per step (each contributes 4 rotations). */
  batchSize?: number;
  /** Labeled images per step (class-balanced); default = batchSize. */
  labeledBatchSize?: number;
  lr?: number;
  /** Weight of the rotation loss next to the classification loss (S⁴L: 1). */
  rotationWeight?: number;
  augment?: AugmentOptions;
  /** Data-parallel ranks (2+) to train on; absent: this thread alone (the single-thread path). */
  workers?: EncoderRanks;
  /** With `workers`: synced batch norm (default; = one thread up to sum order) or per-shard statistics. */
  batchNorm?: BatchNormMode;
}

export interface S4LResult {
  /** n × k softmax probabilities, k = ds.classes.length. */
  probs: Float32Array;
  /** n × embeddingDim(config) unit-norm embedding (encodeEmbedding). */
  features: Float32Array;
  curve: CurvePoint[];
}

/** Class-balanced sampler over the hand-labeled images: class uniform among labeled classes, then image uniform. */
export function balancedSampler(handLabels: Int32Array, classes: number): (count: number, rng: () => number) => { indices: Int32Array; labels: Int32Array } {
  const byClass: number[][] = Array.from({ length: classes }, () => []);
  handLabels.forEach((c, i) => {
    if (c >= 0 && c < classes) byClass[c]!.push(i);
  });
  const present = byClass.map((imgs, c) => ({ imgs, c })).filter((e) => e.imgs.length > 0);
  if (!present.length) throw new Error('S⁴L needs at least one hand-labeled image');
  return (count, rng) => {
    const indices = new Int32Array(count);
    const labels = new Int32Array(count);
    for (let j = 0; j < count; j++) {
      const { imgs, c } = present[Math.floor(rng() * present.length)]!;
      indices[j] = imgs[Math.floor(rng() * imgs.length)]!;
      labels[j] = c;
    }
    return { indices, labels };
  };
}

export async function trainS4L(ds: Dataset, opts: S4LOptions, cb: TrainCallbacks = {}): Promise<S4LResult> {
  const k = ds.classes.length;
  if (k < 1) throw new Error('S⁴L needs at least one class');
  if (ds.channels !== opts.config.channels) throw new Error(`dataset has ${ds.channels} channels, encoder expects ${opts.config.channels}`);
  const sample = balancedSampler(ds.handLabels, k);
  const batchSize = Math.min(opts.batchSize ?? 32, ds.n);
  const labeledBatch = opts.labeledBatchSize ?? batchSize;
  const rotationWeight = opts.rotationWeight ?? 1;
  const baseLr = opts.lr ?? 1e-3;
  const augment = opts.augment ?? defaultAugment(opts.config);
  const total = rotationSteps(ds.n, opts.epochs, batchSize);
  const state = opts.init ? cloneEncoderState(opts.init) : createEncoder(opts.config);
  const opt = createAdam(baseLr);
  const moments: BatchMoments[] = [];
  const ranks = opts.workers;
  try {
    addClassifierHead(state, k);
    const vars = trainableVariables(state);
    const batchAt = epochBatches(ds.n, batchSize, state.config.seed + 17);
    if (ranks) await ranks.begin(state, { task: 's4l', lr: baseLr, rotationWeight, batchNorm: opts.batchNorm ?? 'synced' });
    const curve = await runSteps({ total, startStep: 0, signal: cb.signal, onStep: cb.onStep }, (step) => {
      const rng = createRng(state.config.seed * 7727 + step);
      const lr = learningRateAt(baseLr, step, total);
      const labeled = sample(labeledBatch, rng);
      if (ranks) {
        // the same random stream as below: labeled images' augmentation first, then the unlabeled batch's
        const lx = imagePixels(ds, labeled.indices, augment, rng);
        const idx = batchAt(step);
        const ux = imagePixels(ds, idx, augment, rng);
        return ranks.step({ lr, dims: [ds.height, ds.width, ds.channels], unlabeled: ux, unlabeledCount: idx.length, labeled: { pixels: lx, labels: labeled.labels } });
      }
      opt.setLearningRate(lr);
      const { images, labels, rotLabels, nLabeled } = tf.tidy(() => {
        const lx = toResolution(imageBatch(ds, labeled.indices, augment, rng), state.config.resolution);
        const ux = toResolution(imageBatch(ds, batchAt(step), augment, rng), state.config.resolution);
        const rot = allRotations(ux);
        // one forward pass over [labeled; rotated] so both losses see the same BatchNorm statistics
        return { images: tf.concat([lx, rot.images], 0), labels: tf.tensor1d(labeled.labels, 'int32'), rotLabels: rot.labels, nLabeled: lx.shape[0] };
      });
      try {
        return optimizeStep(opt, vars, moments, () => {
          const feats = encodeFeatures(state, images as tf.Tensor4D, moments);
          const cls = crossEntropy(headLogits(state, 'classifier', tf.slice(feats, [0, 0], [nLabeled, -1])), labels);
          const rot = crossEntropy(headLogits(state, 'rotation', tf.slice(feats, [nLabeled, 0], [-1, -1])), rotLabels);
          return { loss: tf.add(cls.loss, tf.mul(rot.loss, rotationWeight)) as tf.Scalar, accuracy: cls.accuracy };
        });
      } finally {
        tf.dispose([images, labels, rotLabels]);
      }
    });
    await ranks?.end();
    const { probs, features } = await predictAll(state, ds);
    return { probs, features, curve };
  } finally {
    await ranks?.end(); // after a failure (no-op when already ended)
    opt.dispose();
    for (const m of moments) tf.dispose([m.mean, m.variance]);
    disposeEncoderState(state);
  }
}

/** Eval-mode softmax over classes and the unit-norm embedding (encodeEmbedding, n × embeddingDim) of every image. */
export async function predictAll(state: EncoderState, ds: Dataset, batchSize = 256): Promise<{ probs: Float32Array; features: Float32Array }> {
  const dim = embeddingDim(state.config);
  const k = ds.classes.length;
  const probs = new Float32Array(ds.n * k);
  const features = new Float32Array(ds.n * dim);
  const noRandomness = createRng(0);
  for (let start = 0; start < ds.n; start += batchSize) {
    const idx = Array.from({ length: Math.min(batchSize, ds.n - start) }, (_, i) => start + i);
    const [p, f] = tf.tidy(() => {
      const { features: feats, embedding } = encodeEmbedding(state, toResolution(imageBatch(ds, idx, null, noRandomness), state.config.resolution));
      return [tf.softmax(headLogits(state, 'classifier', feats)), embedding];
    });
    probs.set(p!.dataSync(), start * k);
    features.set(f!.dataSync(), start * dim);
    tf.dispose([p!, f!]);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return { probs, features };
}
