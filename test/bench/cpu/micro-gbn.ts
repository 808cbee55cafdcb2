// A/B of G's batch-norm normalisation, forward + backward, at the shapes of the mnist S³GAN config's G
// (batch 32, 32 channels, 8/16/32 px): autodiff through tf.moments vs the hand-written gradient
// (layers-batchnorm.ts normalizeBatch).   npx tsx test/bench/cpu/micro-gbn.ts
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../../main/engine/backend';
import { normalizeBatch } from '../../../main/engine/models/layers-batchnorm';
import { compare, printComparison } from './micro';

const EPS = 1e-4;

function viaMoments(x: tf.Tensor4D): tf.Tensor {
  const { mean, variance } = tf.moments(x, [0, 1, 2]);
  return tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, EPS)));
}

async function main(): Promise<void> {
  const info = await selectBackend({ prefer: 'wasm' });
  console.log(`backend ${info.backend}`);
  for (const size of [8, 16, 32]) {
    const x = tf.randomNormal([32, size, size, 32]) as tf.Tensor4D;
    const dy = tf.randomNormal([32, size, size, 32]);
    const backward = (norm: (t: tf.Tensor4D) => tf.Tensor) => () => tf.grad((t: tf.Tensor) => tf.sum(tf.mul(norm(t as tf.Tensor4D), dy)))(x);
    printComparison(`G BN forward+backward [32, ${size}, ${size}, 32]`, compare({
      'tf.moments + autodiff': backward(viaMoments),
      'normalizeBatch (hand grad)': backward((t) => normalizeBatch(t, EPS)),
    }, 15));
    tf.dispose([x, dy]);
  }
}

void main();
