// ResNet discriminator with spectral norm on every weight: down-blocks to 4×4 (the last block keeps its
// size), ReLU, sum pooling → D̃(x). Heads on D̃: real/fake ψ, projection embedding, rotation, classifier.
import * as tf from '@tensorflow/tfjs';
import type { Prng } from '../base/prng';
import { discriminatorChannels, type GanConfig } from './gan-config';
import { addConv, addLinear, avgPool2, conv, emptyNet, has, linear, param, type Net } from './ops';

export const NUM_ROTATIONS = 4;

export function createDiscriminator(cfg: GanConfig, rng: Prng): Net {
  const net = emptyNet();
  const { in: cin, out: cout } = discriminatorChannels(cfg);
  cin.forEach((ci, i) => {
    const co = cout[i]!;
    const b = `block${i}`;
    addConv(net, rng, `${b}.conv1`, 3, ci, co, true);
    addConv(net, rng, `${b}.conv2`, 3, co, co, true);
    if (ci !== co) addConv(net, rng, `${b}.shortcut`, 1, ci, co, true);
  });
  const feat = cout[cout.length - 1]!;
  addLinear(net, rng, 'psi', feat, 1, { sn: true, bias: true });
  if (cfg.heads.projection) addLinear(net, rng, 'embed', cfg.numClasses, feat, { sn: true, bias: false });
  if (cfg.heads.rotation) addLinear(net, rng, 'rotation', feat, NUM_ROTATIONS, { sn: true, bias: true });
  if (cfg.heads.classifier) addLinear(net, rng, 'classifier', feat, cfg.numClasses, { sn: true, bias: true });
  return net;
}

/** D̃(x): images [B, R, R, C] in [-1, 1] → features [B, feat] (sum-pooled). */
export function discriminatorFeatures(cfg: GanConfig, net: Net, x: tf.Tensor4D): tf.Tensor2D {
  return tf.tidy(() => {
    const blocks = discriminatorChannels(cfg).in.length;
    let h = x;
    for (let i = 0; i < blocks; i++) h = downBlock(net, `block${i}`, h, { first: i === 0, down: i < blocks - 1 });
    return tf.sum(tf.relu(h), [1, 2]) as tf.Tensor2D;
  });
}

function downBlock(net: Net, b: string, x: tf.Tensor4D, o: { first: boolean; down: boolean }): tf.Tensor4D {
  // The first block skips the pre-activation: a ReLU on raw pixels would drop half their range.
  let h = conv(net, `${b}.conv1`, o.first ? x : tf.relu(x));
  h = conv(net, `${b}.conv2`, tf.relu(h));
  let shortcut = has(net, `${b}.shortcut.w`) ? conv(net, `${b}.shortcut`, x) : x;
  if (o.down) {
    h = avgPool2(h);
    shortcut = avgPool2(shortcut);
  }
  return tf.add(h, shortcut);
}

/** ψ(D̃) + <embed(y), D̃> → [B]; y one-hot [B, numClasses] (ignored without a projection head). */
export function realFakeLogits(net: Net, h: tf.Tensor2D, y: tf.Tensor2D | null): tf.Tensor1D {
  return tf.tidy(() => {
    let out = linear(net, 'psi', h).reshape([-1]) as tf.Tensor1D;
    if (y && has(net, 'embed.w')) {
      const e = tf.matMul(y, param(net, 'embed.w') as tf.Tensor2D);
      out = tf.add(out, tf.sum(tf.mul(e, h), 1));
    }
    return out;
  });
}

export function rotationLogits(net: Net, h: tf.Tensor2D): tf.Tensor2D {
  return linear(net, 'rotation', h);
}

export function classifierLogits(net: Net, h: tf.Tensor2D): tf.Tensor2D {
  return linear(net, 'classifier', h);
}
