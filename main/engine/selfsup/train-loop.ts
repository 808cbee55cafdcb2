// The step loop shared by rotation pretraining and S⁴L: cosine learning rate, Adam, cancellation
// between steps, a yield to the event loop after each step (so cancel messages and progress events
// get through), and the loss curve.
import * as tf from '@tensorflow/tfjs';
import type { BatchMoments } from '../models/layers-batchnorm';
import { applyBatchMoments } from '../models/layers-batchnorm';

export interface StepInfo {
  step: number;
  total: number;
  loss: number;
  accuracy: number;
}

export interface TrainCallbacks {
  onStep?(info: StepInfo): void;
  signal?: AbortSignal;
}

export type CurvePoint = { step: number; loss: number; accuracy: number };

export function abortError(message = 'training was cancelled'): Error {
  const e = new Error(message);
  e.name = 'AbortError';
  return e;
}

/** Linear warm-up, then cosine decay to 5% of the base rate. */
export function learningRateAt(base: number, step: number, total: number, warmup = Math.min(50, Math.floor(total / 10))): number {
  if (step < warmup) return (base * (step + 1)) / warmup;
  const t = (step - warmup) / Math.max(1, total - warmup);
  return base * (0.05 + 0.95 * 0.5 * (1 + Math.cos(Math.PI * Math.min(1, t))));
}

/**
 * Learning rate at `step` of a call that runs `total` steps; with `schedule` the call is epoch
 * `schedule.epoch` of `schedule.epochs` equal calls and the rate follows one warm-up + cosine over them all.
 */
export function scheduledLearningRate(base: number, step: number, total: number, schedule?: { epoch: number; epochs: number } | null): number {
  return schedule ? learningRateAt(base, schedule.epoch * total + step, schedule.epochs * total) : learningRateAt(base, step, total);
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Adam whose learning rate the loop sets per step (tfjs reads the field on every update). */
export function createAdam(lr: number): tf.AdamOptimizer & { setLearningRate(lr: number): void } {
  const opt = tf.train.adam(lr, 0.9, 0.999, 1e-7) as tf.AdamOptimizer & { setLearningRate(lr: number): void };
  opt.setLearningRate = (value: number) => {
    (opt as unknown as { learningRate: number }).learningRate = value;
  };
  return opt;
}

/**
 * One optimisation step: `lossFn` returns the scalar loss (and may return a tensor `accuracy` it
 * keeps). Gradients only for `vars`; BN moments recorded in `moments` are folded in afterwards.
 */
export function optimizeStep(
  opt: tf.Optimizer, vars: tf.Variable[], moments: BatchMoments[],
  lossFn: () => { loss: tf.Scalar; accuracy: tf.Scalar },
): { loss: number; accuracy: number } {
  let accuracy: tf.Scalar | null = null;
  const { value, grads } = tf.variableGrads(() => {
    const r = lossFn();
    accuracy = tf.keep(r.accuracy);
    return r.loss;
  }, vars);
  opt.applyGradients(grads);
  applyBatchMoments(moments);
  const result = { loss: value.dataSync()[0]!, accuracy: (accuracy as tf.Scalar | null)?.dataSync()[0] ?? NaN };
  tf.dispose([value, accuracy as tf.Scalar | null, ...Object.values(grads)].filter((t): t is tf.Tensor => t !== null));
  return result;
}

/** Runs steps startStep..total-1; throws an AbortError as soon as the signal fires between steps. */
export async function runSteps(
  opts: { total: number; startStep: number; signal?: AbortSignal; onStep?: (i: StepInfo) => void },
  step: (index: number) => { loss: number; accuracy: number } | Promise<{ loss: number; accuracy: number }>,
): Promise<CurvePoint[]> {
  const curve: CurvePoint[] = [];
  for (let i = opts.startStep; i < opts.total; i++) {
    if (opts.signal?.aborted) throw abortError();
    const r = await step(i); // data-parallel steps wait for the workers' replies
    if (!Number.isFinite(r.loss)) throw new Error(`training diverged at step ${i} (loss ${r.loss})`);
    curve.push({ step: i, loss: r.loss, accuracy: r.accuracy });
    opts.onStep?.({ step: i + 1, total: opts.total, loss: r.loss, accuracy: r.accuracy });
    await tick();
  }
  if (opts.signal?.aborted) throw abortError();
  return curve;
}

/** Softmax cross-entropy (mean) and accuracy of logits [N, K] against int labels [N]. */
export function crossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D): { loss: tf.Scalar; accuracy: tf.Scalar } {
  return tf.tidy(() => {
    const k = logits.shape[1];
    const oneHot = tf.oneHot(labels, k);
    const loss = tf.neg(tf.mean(tf.sum(tf.mul(oneHot, tf.logSoftmax(logits)), 1))) as tf.Scalar;
    const accuracy = tf.mean(tf.cast(tf.equal(tf.argMax(logits, 1), labels), 'float32')) as tf.Scalar;
    return { loss, accuracy };
  });
}
