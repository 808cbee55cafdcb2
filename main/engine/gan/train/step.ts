// One discriminator update and one generator update, exactly as DESIGN.md §4 stage 3: hinge loss on
// un-rotated images, projection D(x, y) = ψ(D̃) + <embed(y), D̃>, rotation CE (real → L_D × 1.0,
// fake → L_G × 0.2), co-training CE on the labeled real sub-batch, and the head's hard argmax as y for
// unlabeled real images (argmax/one-hot carry no gradient: the stop-gradient of the paper).
import * as tf from '@tensorflow/tfjs';
import { generate } from '../../models/generator';
import { classifierLogits, discriminatorFeatures, realFakeLogits, rotationLogits } from '../../models/discriminator';
import type { BnMode } from '../../models/cbn';
import type { GanConfig } from '../../models/gan-config';
import { oneHotRows, refreshSpectralNorms, type Net } from '../../models/ops';
import type { Adam } from './adam';
import type { FakeBatch, RealBatch } from './batches';
import { diffAugment, type AugmentParams } from './diffaugment';
import { updateEma } from './ema';
import { hingeD, hingeG, softmaxCrossEntropy } from './losses';
import { rotatedCount, rotationBatch } from './rotation';
import { trainDefaults, type TrainSettings } from '../../../../shared/contract';

export interface GanModels {
  cfg: GanConfig;
  g: Net;
  d: Net;
  gEma: Net;
  optG: Adam;
  optD: Adam;
  /** G's batch-norm mode in training steps; default batch statistics (data-parallel tests freeze it). */
  gBn?: BnMode;
}

/** The loss weights and rotated share of a run (TrainConfig fields; the paper: 1.0, 0.2, 1.0, 0.25). */
export type StepWeights = Pick<TrainSettings, 'rotationWeightD' | 'rotationWeightG' | 'classifierWeight' | 'rotatedFraction'>;

/**
 * Turns this process's gradients into the ones Adam applies. Data-parallel training passes the mean
 * over all ranks (allreduce.ts); one process applies its own. Tensors it returns are the step's to free.
 */
export type GradientHook = (net: 'g' | 'd', weights: Record<string, tf.Variable>, grads: Record<string, tf.Tensor>) => Record<string, tf.Tensor>;

export interface StepOptions {
  weights: StepWeights;
  averageGradients?: GradientHook;
}

export function stepWeights(s: StepWeights): StepWeights {
  return { rotationWeightD: s.rotationWeightD, rotationWeightG: s.rotationWeightG, classifierWeight: s.classifierWeight, rotatedFraction: s.rotatedFraction };
}

/** The default run's step (tests and benches): every value from trainDefaults, none restated here. */
export const DEFAULT_STEP: StepOptions = { weights: stepWeights(trainDefaults({ backend: null, gpu: false, projectResolution: 32 })) };

function applyUpdate(o: StepOptions, net: 'g' | 'd', opt: Adam, weights: Record<string, tf.Variable>, grads: Record<string, tf.Tensor>): void {
  const applied = o.averageGradients ? o.averageGradients(net, weights, grads) : grads;
  opt.apply(weights, applied);
  if (applied !== grads) tf.dispose(Object.values(applied));
}

export type Losses = Record<string, number>;

function images(cfg: GanConfig, data: Float32Array, batch: number): tf.Tensor4D {
  return tf.tensor4d(data, [batch, cfg.resolution, cfg.resolution, cfg.channels]);
}

/** Unknown labels (−1) become zero rows; realLabels fills them with predictions. */
const oneHot = oneHotRows;

/** Gradients by our weight names (tfjs keys them by its global variable names). */
function namedGrads(net: Net, f: () => tf.Scalar): { value: tf.Scalar; grads: Record<string, tf.Tensor> } {
  const vars = Object.entries(net.weights);
  const { value, grads } = tf.variableGrads(f, vars.map(([, v]) => v));
  const out: Record<string, tf.Tensor> = {};
  for (const [name, v] of vars) if (grads[v.name]) out[name] = grads[v.name]!;
  return { value, grads: out };
}

/** Reads (and releases) loss components kept out of the gradient closure's scope. */
function read(parts: Record<string, tf.Scalar>): Losses {
  const out: Losses = {};
  for (const [k, v] of Object.entries(parts)) {
    out[k] = v.dataSync()[0]!;
    v.dispose();
  }
  return out;
}

export interface DStepInput {
  real: RealBatch;
  fake: FakeBatch;
  augment?: { real: AugmentParams; fake: AugmentParams };
}

export function discriminatorStep(m: GanModels, o: StepOptions, input: DStepInput): Losses {
  const { cfg, d } = m;
  const w = o.weights;
  const B = input.real.labels.length;
  return tf.tidy(() => {
    const fakeImages = generate(cfg, m.g, tf.tensor2d(input.fake.z, [B, cfg.zDim]), oneHot(input.fake.labels, cfg.numClasses), m.gBn);
    refreshSpectralNorms(d);
    const parts: Record<string, tf.Scalar> = {};
    const { value, grads } = namedGrads(d, () => {
      let real = images(cfg, input.real.images, B);
      let fake = fakeImages;
      if (input.augment) {
        real = diffAugment(real, input.augment.real);
        fake = diffAugment(fake, input.augment.fake);
      }
      // Only real rotations enter L_D (fake ones train G, with weight 0.2, in the G step). compare_gan
      // also sends the rotated fakes through D here, for nothing: D has no batch norm, so leaving them
      // out changes no loss or gradient and saves a quarter of D's work in every D step.
      const nRot = cfg.heads.rotation ? rotatedCount(B, w.rotatedFraction) : 0;
      const rotReal = nRot ? rotationBatch(real, nRot) : null;
      const all = tf.concat([real, fake, ...(rotReal ? [rotReal.images] : [])], 0);
      const h = discriminatorFeatures(cfg, d, all);
      const hReal = tf.slice(h, [0, 0], [B, -1]);
      const hFake = tf.slice(h, [B, 0], [B, -1]);
      const yReal = realLabels(m, hReal, input.real.labels);
      const hinge = hingeD(realFakeLogits(d, hReal, yReal), realFakeLogits(d, hFake, oneHot(input.fake.labels, cfg.numClasses)));
      parts.d_real = tf.keep(hinge.real);
      parts.d_fake = tf.keep(hinge.fake);
      let loss = tf.add(hinge.real, hinge.fake);
      if (cfg.heads.classifier && input.real.labeled > 0) {
        const L = input.real.labeled;
        const ce = softmaxCrossEntropy(classifierLogits(d, tf.slice(hReal, [0, 0], [L, -1])), input.real.labels.slice(0, L));
        parts.d_class = tf.keep(ce);
        loss = tf.add(loss, tf.mul(ce, w.classifierWeight));
      }
      if (rotReal) {
        const hRot = tf.slice(h, [2 * B, 0], [4 * nRot, -1]);
        const ce = softmaxCrossEntropy(rotationLogits(d, hRot), rotReal.labels);
        parts.d_rot = tf.keep(ce);
        loss = tf.add(loss, tf.mul(ce, w.rotationWeightD));
      }
      return loss as tf.Scalar;
    });
    applyUpdate(o, 'd', m.optD, d.weights, grads);
    return { d_loss: value.dataSync()[0]!, ...read(parts) };
  });
}

/** y for real images: the given label, or (co-training) the classifier head's hard prediction. */
function realLabels(m: GanModels, hReal: tf.Tensor2D, labels: Int32Array): tf.Tensor2D {
  if (!m.cfg.heads.classifier || labels.every((l) => l >= 0)) return oneHot(labels, m.cfg.numClasses);
  // Reading the argmax back to JS is the stop-gradient: the prediction re-enters as a constant.
  const predicted = tf.argMax(classifierLogits(m.d, hReal), 1).dataSync();
  return oneHot(Int32Array.from(labels, (l, i) => (l >= 0 ? l : predicted[i]!)), m.cfg.numClasses);
}

export interface GStepInput {
  fake: FakeBatch;
  augment?: AugmentParams;
  step: number; // 1-based index of this G update, for the EMA schedule
  ema: { decay: number; start: number };
}

export function generatorStep(m: GanModels, o: StepOptions, input: GStepInput): Losses {
  const { cfg, d, g } = m;
  const w = o.weights;
  const B = input.fake.labels.length;
  const losses = tf.tidy(() => {
    refreshSpectralNorms(g);
    const parts: Record<string, tf.Scalar> = {};
    const z = tf.tensor2d(input.fake.z, [B, cfg.zDim]);
    const y = oneHot(input.fake.labels, cfg.numClasses);
    const { value, grads } = namedGrads(g, () => {
      let fake = generate(cfg, g, z, y, m.gBn);
      if (input.augment) fake = diffAugment(fake, input.augment);
      const nRot = cfg.heads.rotation ? rotatedCount(B, w.rotatedFraction) : 0;
      const rot = nRot ? rotationBatch(fake, nRot) : null;
      const h = discriminatorFeatures(cfg, d, rot ? tf.concat([fake, rot.images], 0) : fake);
      const adv = hingeG(realFakeLogits(d, tf.slice(h, [0, 0], [B, -1]), y));
      parts.g_adv = tf.keep(adv);
      let loss = adv;
      if (rot) {
        const ce = softmaxCrossEntropy(rotationLogits(d, tf.slice(h, [B, 0], [4 * nRot, -1])), rot.labels);
        parts.g_rot = tf.keep(ce);
        loss = tf.add(loss, tf.mul(ce, w.rotationWeightG));
      }
      return loss;
    });
    applyUpdate(o, 'g', m.optG, g.weights, grads);
    return { g_loss: value.dataSync()[0]!, ...read(parts) };
  });
  updateEma(m.gEma, g, { decay: input.ema.decay, step: input.step, start: input.ema.start });
  return losses;
}
