// One data-parallel rank's share of an encoder training step (rotation pretraining or S⁴L), the same
// code on rank 0 and on every worker: forward/backward on this rank's shard, then one all-reduce of the
// gradients and the same Adam update on every rank. Batch norm is synced by default: each layer's
// statistics (and their gradient terms) are all-reduced as the pass reaches it, so the ranks together
// compute the single thread's step up to the order of sums. 'per-shard' normalises each rank's rows on
// their own and folds the full batch's moments (rebuilt from the shards' means and mean squares) into
// the running statistics. Either way every rank keeps identical weights and statistics.
import * as tf from '@tensorflow/tfjs';
import type { AllReduce } from '../../parallel/allreduce';
import { tensorsChecksum } from '../../parallel/checksum';
import { encodeFeatures, headLogits, type EncoderState } from '../../models/encoder';
import { applyBatchMoments, type BatchMoments, type BatchNormVars, type BatchSync } from '../../models/layers-batchnorm';
import { allRotations, toResolution } from '../augment';
import { createAdam, crossEntropy } from '../train-loop';
import type { SessionOptions, ShardInput } from './protocol';

export interface RankSession {
  state: EncoderState;
  options: SessionOptions;
  opt: ReturnType<typeof createAdam>;
  vars: tf.Variable[];
  /** Every batch-norm layer, in the encoder's order (the all-reduce layout of the moments). */
  bn: BatchNormVars[];
  reduce: AllReduce;
}

export function openSession(state: EncoderState, options: SessionOptions, reduce: AllReduce): RankSession {
  // rotation pretraining leaves a classifier head alone, as the single-thread loop does
  const vars = [...state.trainable].filter(([n]) => options.task === 's4l' || !n.startsWith('head/classifier/')).map(([, v]) => v);
  const bn = [...state.stats.keys()].filter((n) => n.endsWith('/moving_mean')).map((n): BatchNormVars => {
    const layer = n.slice(0, -'/moving_mean'.length);
    return {
      gamma: state.trainable.get(`${layer}/gamma`)!, beta: state.trainable.get(`${layer}/beta`)!,
      movingMean: state.stats.get(n)!, movingVariance: state.stats.get(`${layer}/moving_variance`)!,
    };
  });
  return { state, options, opt: createAdam(options.lr), vars, bn, reduce };
}

/** Floats one all-reduce round needs for this encoder: every trainable value and two per BN channel. */
export function reduceCapacity(state: EncoderState): number {
  const size = (v: tf.Variable) => v.size;
  return [...state.trainable.values()].reduce((a, v) => a + size(v), 0)
    + 2 * [...state.stats].filter(([n]) => n.endsWith('/moving_mean')).reduce((a, [, v]) => a + size(v), 0);
}

/** Disposes the session's optimizer (and the encoder when this rank owns it: the workers). */
export function closeSession(s: RankSession, disposeState: boolean): void {
  s.opt.dispose();
  if (disposeState) {
    for (const v of [...s.state.trainable.values(), ...s.state.stats.values()]) v.dispose();
    s.state.trainable.clear();
    s.state.stats.clear();
  }
}

/** Bit-exact hash of the encoder's weights and statistics (ranks in lockstep ⇔ equal). */
export function encoderChecksum(state: EncoderState): string {
  return tensorsChecksum([...state.trainable.values(), ...state.stats.values()]);
}

/** Per-layer means over every rank's rows: each rank weighs its own by its share of the rows. */
function batchSync(s: RankSession, x: ShardInput): BatchSync {
  return (local) => {
    const names = local.map((_, i) => `b${i}`);
    const values = Object.fromEntries(local.map((t, i) => [`b${i}`, t]));
    const avg = s.reduce.average(names, values, Object.fromEntries(local.map((t, i) => [`b${i}`, [...t.shape]])), Object.fromEntries(names.map((n) => [n, x.scale.rows])));
    return names.map((n) => avg[n] as tf.Tensor1D);
  };
}

/** This shard's loss (scaled: the mean over ranks is the full batch's) and accuracy, recording BN moments. */
function shardLoss(s: RankSession, x: ShardInput, moments: BatchMoments[]): { loss: tf.Scalar; accuracy: tf.Scalar } {
  const { state, options } = s;
  const res = state.config.resolution;
  const [h, w, c] = x.dims;
  const nLabeled = x.labeled ? x.labeled.labels.length : 0;
  const parts: tf.Tensor4D[] = [];
  let rotLabels: tf.Tensor1D | null = null;
  if (nLabeled > 0) parts.push(toResolution(tf.tensor4d(x.labeled!.pixels, [nLabeled, h, w, c]), res));
  if (x.unlabeledCount > 0) {
    const rot = allRotations(toResolution(tf.tensor4d(x.unlabeled, [x.unlabeledCount, h, w, c]), res));
    parts.push(rot.images);
    rotLabels = rot.labels;
  }
  // one forward pass over [labeled; rotated] so both losses see the same batch-norm statistics
  const feats = encodeFeatures(state, parts.length === 1 ? parts[0]! : tf.concat(parts, 0), moments, undefined, options.batchNorm === 'synced' ? batchSync(s, x) : undefined);
  const scaled = (t: tf.Scalar, k: number) => (k === 1 ? t : tf.mul(t, k) as tf.Scalar);
  if (options.task === 'rotation') {
    const r = crossEntropy(headLogits(state, 'rotation', feats), rotLabels!);
    return { loss: scaled(r.loss, x.scale.rotation), accuracy: scaled(r.accuracy, x.scale.rotation) };
  }
  const terms: tf.Scalar[] = [];
  let accuracy: tf.Scalar = tf.scalar(0);
  if (nLabeled > 0) {
    const cls = crossEntropy(headLogits(state, 'classifier', tf.slice(feats, [0, 0], [nLabeled, -1])), tf.tensor1d(x.labeled!.labels, 'int32'));
    terms.push(scaled(cls.loss, x.scale.classifier));
    accuracy = scaled(cls.accuracy, x.scale.classifier);
  }
  if (rotLabels) {
    const rot = crossEntropy(headLogits(state, 'rotation', tf.slice(feats, [nLabeled, 0], [-1, -1])), rotLabels);
    terms.push(tf.mul(rot.loss, options.rotationWeight * x.scale.rotation) as tf.Scalar);
  }
  return { loss: terms.length === 1 ? terms[0]! : tf.add(terms[0]!, terms[1]!) as tf.Scalar, accuracy };
}

/** One step of this rank: its shard's gradients and moments averaged over all ranks, then Adam. */
export function shardStep(s: RankSession, x: ShardInput): { loss: number; accuracy: number } {
  s.opt.setLearningRate(x.lr);
  const recorded: BatchMoments[] = [];
  const perShard = s.options.batchNorm === 'per-shard';
  let value: tf.Scalar | null = null;
  let accuracy: tf.Scalar | null = null;
  let grads: tf.NamedTensorMap = {};
  let avg: Record<string, tf.Tensor> = {};
  const squares: tf.Tensor[] = [];
  try {
    ({ value, grads } = tf.variableGrads(() => {
      const r = shardLoss(s, x, recorded);
      accuracy = tf.keep(r.accuracy);
      return r.loss;
    }, s.vars));
    const names: string[] = [];
    const values: Record<string, tf.Tensor> = {};
    const shapes: Record<string, number[]> = {};
    const scales: Record<string, number> = {};
    // A stand-in shard (no rows of its own: shardOf) adds nothing: synced batch norm hands it the batch's
    // gradient means, which would otherwise flow into its (zero-loss) gradients.
    const standIn = x.scale.rows === 0;
    s.vars.forEach((v, i) => {
      names.push(`g${i}`);
      shapes[`g${i}`] = [...v.shape];
      if (grads[v.name]) values[`g${i}`] = grads[v.name]!;
      if (standIn) scales[`g${i}`] = 0;
    });
    if (perShard) {
      const byLayer = new Map(recorded.map((m) => [m.vars.movingMean, m]));
      s.bn.forEach((layer, j) => {
        for (const k of [`m${j}`, `q${j}`]) {
          names.push(k);
          shapes[k] = [...layer.movingMean.shape];
          scales[k] = x.scale.rows;
        }
        const m = byLayer.get(layer.movingMean)!;
        values[`m${j}`] = m.mean;
        const q = tf.tidy(() => tf.add(m.variance, tf.square(m.mean))); // E[x²] of the shard
        squares.push(q);
        values[`q${j}`] = q;
      });
    }
    avg = s.reduce.average(names, values, shapes, scales);
    s.opt.applyGradients(s.vars.map((v, i) => ({ name: v.name, tensor: avg[`g${i}`]! })));
    if (!perShard) applyBatchMoments(recorded.splice(0)); // synced: already the full batch's moments, equal on every rank
    else {
      const full: BatchMoments[] = s.bn.map((layer, j) => {
        const mean = avg[`m${j}`] as tf.Tensor1D;
        const variance = tf.tidy(() => tf.relu(tf.sub(avg[`q${j}`]!, tf.square(mean)))) as tf.Tensor1D;
        return { vars: layer, mean: tf.clone(mean), variance };
      });
      applyBatchMoments(full); // disposes full's tensors
    }
    return { loss: (value as tf.Scalar).dataSync()[0]!, accuracy: (accuracy as tf.Scalar | null)?.dataSync()[0] ?? 0 };
  } catch (e) {
    disposeAbandonedTape();
    throw e;
  } finally {
    tf.dispose([...Object.values(avg), ...Object.values(grads), ...squares, ...recorded.flatMap((m) => [m.mean, m.variance])]);
    tf.dispose([value, accuracy].filter((t): t is tf.Scalar => t !== null));
  }
}

/**
 * A rank that fails inside the pass (another rank died: the all-reduce aborts mid forward or backward)
 * leaves tfjs's gradient tape behind with the tensors its nodes saved for the backward pass; tfjs frees
 * them only when the pass completes. Free them as it would.
 */
function disposeAbandonedTape(): void {
  const state = tf.engine().state as unknown as { gradientDepth: number; activeTape: { saved?: tf.Tensor[] }[] | null };
  if (state.gradientDepth !== 0 || !state.activeTape) return;
  for (const node of state.activeTape) for (const t of node.saved ?? []) t.dispose();
  state.activeTape = null;
}
