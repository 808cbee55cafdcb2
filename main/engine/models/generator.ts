// BigGAN-style ResNet generator as a pure function of GanConfig: z (+ class) → 4×4 seed → up-blocks
// with class-conditional BN → BN, ReLU, 3×3 conv, tanh. Output in [-1, 1], NHWC.
import * as tf from '@tensorflow/tfjs';
import type { Prng } from '../base/prng';
import { addConditionalBn, addPlainBn, BATCH_STATS, conditionalBn, plainBn, type BnMode } from './cbn';
import { generatorChannels, zChunks, type GanConfig } from './gan-config';
import { addConv, addLinear, conv, emptyNet, linear, upsample2, type Net } from './ops';

const SEED = 4;

export function createGenerator(cfg: GanConfig, rng: Prng): Net {
  const net = emptyNet();
  const { in: cin, out: cout } = generatorChannels(cfg);
  const chunks = zChunks(cfg);
  const sn = cfg.gSpectralNorm;
  // Shared class embedding (compare_gan embed_y): one linear map of the one-hot label.
  addLinear(net, rng, 'embed_y', cfg.numClasses, cfg.embedYDim, { sn: false, bias: false });
  addLinear(net, rng, 'fc', seedInputs(cfg), SEED * SEED * cin[0]!, { sn, bias: true });
  const condDim = cfg.embedYDim + (cfg.hierarchicalZ ? chunks[1]! : 0);
  cin.forEach((ci, i) => {
    const co = cout[i]!;
    const b = `block${i}`;
    addConditionalBn(net, rng, `${b}.bn1`, condDim, ci);
    addConv(net, rng, `${b}.conv1`, 3, ci, co, sn);
    addConditionalBn(net, rng, `${b}.bn2`, condDim, co);
    addConv(net, rng, `${b}.conv2`, 3, co, co, sn);
    addConv(net, rng, `${b}.shortcut`, 1, ci, co, sn);
  });
  addPlainBn(net, 'final_bn', cout[cout.length - 1]!);
  addConv(net, rng, 'final_conv', 3, cout[cout.length - 1]!, cfg.channels, sn);
  return net;
}

/** Width of the seed layer's input: z's first chunk, plus the class embedding when conditioned. */
export function seedInputs(cfg: GanConfig): number {
  return zChunks(cfg)[0]! + (cfg.conditionSeed ? cfg.embedYDim : 0);
}

/** z [B, zDim], y one-hot [B, numClasses] → images [B, R, R, channels] in [-1, 1]. */
export function generate(cfg: GanConfig, net: Net, z: tf.Tensor2D, y: tf.Tensor2D, bn: BnMode = BATCH_STATS): tf.Tensor4D {
  return tf.tidy(() => {
    const { in: cin } = generatorChannels(cfg);
    const chunks = zChunks(cfg);
    const zs = (chunks.length > 1 ? tf.split(z, chunks, 1) : [z]) as tf.Tensor2D[];
    const yEmb = linear(net, 'embed_y', y);
    const seedIn = cfg.conditionSeed ? tf.concat([zs[0]!, yEmb], 1) : zs[0]!;
    let h = linear(net, 'fc', seedIn).reshape([-1, SEED, SEED, cin[0]!]) as tf.Tensor4D;
    for (let i = 0; i < cin.length; i++) {
      const cond = cfg.hierarchicalZ ? tf.concat([zs[i + 1]!, yEmb], 1) : yEmb;
      h = upBlock(net, `block${i}`, h, cond, bn);
    }
    h = tf.relu(plainBn(net, 'final_bn', h, bn));
    return tf.tanh(conv(net, 'final_conv', h));
  });
}

function upBlock(net: Net, b: string, x: tf.Tensor4D, cond: tf.Tensor2D, bn: BnMode): tf.Tensor4D {
  let h = tf.relu(conditionalBn(net, `${b}.bn1`, x, cond, bn));
  h = conv(net, `${b}.conv1`, upsample2(h));
  h = tf.relu(conditionalBn(net, `${b}.bn2`, h, cond, bn));
  h = conv(net, `${b}.conv2`, h);
  // A 1×1 conv commutes with nearest upsampling: convolve first, on 4× fewer pixels.
  const shortcut = upsample2(conv(net, `${b}.shortcut`, x));
  return tf.add(h, shortcut);
}
