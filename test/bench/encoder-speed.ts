// Benchmark (a script, not a test): one rotation-encoder training step on wasm vs cpu, and the
// step's achieved GFLOP/s against a wasm matmul measured in the same run.
//   npx tsx test/bench/encoder-speed.ts [--batch 32] [--cpu-batch 2] [--resolution 28]
// `run()` returns the numbers for test/bench/run.ts.
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../main/engine/backend/index';
import { createEncoder, disposeEncoderState, encodeFeatures, headLogits, stageChannels, type EncoderConfig } from '../../main/engine/models/encoder';
import type { BatchMoments } from '../../main/engine/models/layers-batchnorm';
import { defaultEncoderConfig, trainableVariables } from '../../main/engine/selfsup/rotation';
import { allRotations } from '../../main/engine/selfsup/augment';
import { createAdam, crossEntropy, optimizeStep } from '../../main/engine/selfsup/train-loop';

export interface EncoderSpeed {
  config: EncoderConfig;
  /** Images per step (each contributes 4 rotations). */
  batch: number;
  wasmStepMs: number;
  /** Same step on the cpu backend, at `cpuBatch` images (cpu is slow), scaled to `batch`. */
  cpuStepMs: number;
  cpuBatch: number;
  wasmOverCpuSpeedup: number;
  stepGflop: number;
  stepGflops: number;
  wasmMatmulGflops: number;
  /** stepGflops / wasmMatmulGflops */
  efficiency: number;
}

/** Multiply-adds ×2 of one training step's convolutions and matmuls: forward, input grad, filter grad. */
export function trainingStepFlops(c: EncoderConfig, samples: number): number {
  let flops = 0;
  let size = c.resolution;
  const conv = (k: number, ci: number, co: number, stride: number, needsInputGrad: boolean) => {
    size = Math.ceil(size / stride);
    const fwd = 2 * samples * size * size * k * k * ci * co;
    flops += fwd * (needsInputGrad ? 3 : 2);
  };
  const chans = stageChannels(c);
  conv(3, c.channels, chans[0]!, 1, false); // the image needs no gradient
  let cin = chans[0]!;
  chans.forEach((cout, s) => {
    for (let b = 0; b < c.depth; b++) {
      const stride = s > 0 && b === 0 ? 2 : 1;
      const inSize = size;
      conv(3, cin, cout, stride, true);
      conv(3, cout, cout, 1, true);
      if (cin !== cout) {
        const keep = size;
        size = inSize;
        conv(1, cin, cout, stride, true);
        size = keep;
      }
      cin = cout;
    }
  });
  flops += 3 * 2 * samples * (cin * c.featureDim + c.featureDim * 4);
  return flops;
}

function timeStep(config: EncoderConfig, batch: number, repeats: number): number {
  const state = createEncoder(config);
  const opt = createAdam(1e-3);
  const vars = trainableVariables(state, (n) => n.startsWith('head/classifier/'));
  const moments: BatchMoments[] = [];
  const x = tf.randomUniform([batch, config.resolution, config.resolution, config.channels], -1, 1, 'float32', 1) as tf.Tensor4D;
  const { images, labels } = allRotations(x);
  const step = () => optimizeStep(opt, vars, moments, () => crossEntropy(headLogits(state, 'rotation', encodeFeatures(state, images, moments)), labels));
  step(); // warm-up: kernel setup, XNNPACK operator creation
  const t0 = performance.now();
  for (let i = 0; i < repeats; i++) step();
  const ms = (performance.now() - t0) / repeats;
  tf.dispose([x, images, labels]);
  opt.dispose();
  disposeEncoderState(state);
  return ms;
}

function matmulGflops(): number {
  const n = 512;
  const a = tf.randomNormal([n, n], 0, 1, 'float32', 1);
  const b = tf.randomNormal([n, n], 0, 1, 'float32', 2);
  tf.tidy(() => tf.matMul(a, b).dataSync());
  let best = Infinity;
  for (let i = 0; i < 10; i++) {
    // fresh right-hand operand each time so cached weight packing does not flatter the number
    const bb = tf.add(b, i) as tf.Tensor2D;
    const t0 = performance.now();
    tf.tidy(() => tf.matMul(a, bb).dataSync());
    best = Math.min(best, performance.now() - t0);
    bb.dispose();
  }
  tf.dispose([a, b]);
  return (2 * n ** 3) / (best / 1000) / 1e9;
}

export async function run(opts: { batch?: number; cpuBatch?: number; resolution?: number } = {}): Promise<EncoderSpeed> {
  const config = defaultEncoderConfig(opts.resolution ?? 28, 1);
  const batch = opts.batch ?? 32;
  const cpuBatch = opts.cpuBatch ?? 2; // the cpu backend took minutes per step at 8 images
  await selectBackend({ prefer: 'wasm' });
  const wasmMatmul = matmulGflops();
  const wasmStepMs = timeStep(config, batch, 3);
  await selectBackend({ prefer: 'cpu' });
  const cpuStepMs = (timeStep(config, cpuBatch, 1) * batch) / cpuBatch;
  await selectBackend({ prefer: 'wasm' });
  const stepGflop = trainingStepFlops(config, 4 * batch) / 1e9;
  const stepGflops = stepGflop / (wasmStepMs / 1000);
  return {
    config, batch, wasmStepMs, cpuStepMs, cpuBatch,
    wasmOverCpuSpeedup: cpuStepMs / wasmStepMs,
    stepGflop, stepGflops, wasmMatmulGflops: wasmMatmul, efficiency: stepGflops / wasmMatmul,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? Number(process.argv[i + 1]) : undefined;
  };
  const r = await run({ batch: arg('batch'), cpuBatch: arg('cpu-batch'), resolution: arg('resolution') });
  console.log(JSON.stringify(r, null, 2));
}
