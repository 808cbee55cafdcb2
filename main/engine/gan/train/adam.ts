// Adam with its state in plain variables we own (moments per weight and the step count), so the
// optimiser checkpoints and restores exactly. β1 = 0, β2 = 0.999 as in BigGAN / compare_gan.
import * as tf from '@tensorflow/tfjs';

export interface AdamConfig {
  lr: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}

export class Adam {
  readonly m: Record<string, tf.Variable> = {};
  readonly v: Record<string, tf.Variable> = {};
  t = 0;

  constructor(readonly config: AdamConfig, weights: Record<string, tf.Variable>) {
    for (const [name, w] of Object.entries(weights)) {
      this.m[name] = tf.tidy(() => tf.variable(tf.zerosLike(w), false));
      this.v[name] = tf.tidy(() => tf.variable(tf.zerosLike(w), false));
    }
  }

  /** One update of `weights` from `grads` (same keys); disposes nothing it does not own. */
  apply(weights: Record<string, tf.Variable>, grads: Record<string, tf.Tensor>): void {
    this.t += 1;
    const { lr, beta1, beta2, epsilon } = this.config;
    const alpha = (lr * Math.sqrt(1 - beta2 ** this.t)) / (1 - beta1 ** this.t);
    tf.tidy(() => {
      for (const [name, g] of Object.entries(grads)) {
        const w = weights[name]!;
        const m = this.m[name]!;
        const v = this.v[name]!;
        const m1 = tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1));
        const v1 = tf.add(tf.mul(v, beta2), tf.mul(tf.square(g), 1 - beta2));
        m.assign(m1);
        v.assign(v1);
        w.assign(tf.sub(w, tf.div(tf.mul(m1, alpha), tf.add(tf.sqrt(v1), epsilon))));
      }
    });
  }

  dispose(): void {
    for (const t of [...Object.values(this.m), ...Object.values(this.v)]) t.dispose();
  }
}

export function adamConfig(lr: number): AdamConfig {
  return { lr, beta1: 0, beta2: 0.999, epsilon: 1e-8 };
}
