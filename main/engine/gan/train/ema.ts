// Exponential moving average of G's weights (BigGAN): samples and metrics use the EMA generator.
// Before `start` the average just tracks G, so early averages are not dragged toward random init.
import * as tf from '@tensorflow/tfjs';
import type { Net } from '../../models/ops';

/** A copy of `net`'s weights sharing its spectral-norm vectors (those are state of G, not weights). */
export function cloneForEma(net: Net): Net {
  const weights: Record<string, tf.Variable> = {};
  for (const [name, w] of Object.entries(net.weights)) weights[name] = tf.tidy(() => tf.variable(w.clone(), false));
  return { weights, sn: net.sn };
}

export function updateEma(ema: Net, net: Net, opts: { decay: number; step: number; start: number }): void {
  const decay = opts.step < opts.start ? 0 : opts.decay;
  tf.tidy(() => {
    for (const [name, w] of Object.entries(net.weights)) {
      const e = ema.weights[name]!;
      e.assign(decay === 0 ? w : tf.add(tf.mul(e, decay), tf.mul(w, 1 - decay)));
    }
  });
}

/** Disposes the EMA copy's own weights (not the shared SN vectors). */
export function disposeEma(ema: Net): void {
  for (const w of Object.values(ema.weights)) w.dispose();
}
