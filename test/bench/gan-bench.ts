// GAN training-step benchmark (a script, not a test): img/s and achieved GFLOP/s of one S³GAN step
// (config FLOPs counted in main/engine/gan/flops.ts) against a wasm matmul measured in the same run,
// the speed-up of the optional native kernels over wasm's own (when the addon is built), and the
// wasm/cpu speed ratio of one step. The model is what `s3gan train` builds (D as wide as G).
//   npx tsx test/bench/gan-bench.ts        (or: npm run bench gan-bench)
// Env: GAN_BENCH_RES (32), GAN_BENCH_CH (8), GAN_BENCH_BATCH (32), GAN_BENCH_CPU_BATCH (4).
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../main/engine/backend';
import { loadNativeKernels } from '../../main/engine/backend/native-addon';
import { registerNativeKernels, unregisterNativeKernels } from '../../main/engine/backend/native-kernels';
import { BatchSampler, type TrainingData } from '../../main/engine/gan/train/batches';
import { trainingStepFlops } from '../../main/engine/gan/train/flops';
import { createModels, disposeModels } from '../../main/engine/gan/train/models';
import { discriminatorStep, generatorStep, DEFAULT_STEP } from '../../main/engine/gan/train/step';
import { defaultDCh, makeGanConfig, type GanConfig } from '../../main/engine/models/gan-config';
import type { BenchReport } from './run';

const RES = Number(process.env.GAN_BENCH_RES ?? 32);
const CH = Number(process.env.GAN_BENCH_CH ?? 8);
const BATCH = Number(process.env.GAN_BENCH_BATCH ?? 32);
const CPU_BATCH = Number(process.env.GAN_BENCH_CPU_BATCH ?? 4);
const D_STEPS = 2;

function data(n: number, size: number): TrainingData {
  const pixels = Uint8Array.from({ length: n * size * size }, (_, i) => (i * 31) % 256);
  const labels = Int32Array.from({ length: n }, (_, i) => (i % 4 === 0 ? i % 10 : -1));
  return { pixels, n, size, channels: 1, labels, labeledPool: Int32Array.from(labels.keys()).filter((i) => labels[i]! >= 0), numClasses: 10 };
}

/** Median seconds of `reps` S³GAN steps (2 D + 1 G) after one warm-up step. */
function stepSeconds(cfg: GanConfig, batch: number, reps: number): number {
  const m = createModels(cfg, { seed: 1, lrG: 2e-4, lrD: 4e-4 });
  const sampler = new BatchSampler(data(256, cfg.resolution), 1);
  const step = (i: number) => {
    for (let k = 0; k < D_STEPS; k++) discriminatorStep(m, DEFAULT_STEP, { real: sampler.real(batch, batch / 4), fake: sampler.fake(batch, cfg.zDim) });
    generatorStep(m, DEFAULT_STEP, { fake: sampler.fake(batch, cfg.zDim), step: i, ema: { decay: 0.999, start: 0 } });
  };
  step(0);
  const times: number[] = [];
  for (let i = 1; i <= reps; i++) {
    const t = performance.now();
    step(i);
    times.push((performance.now() - t) / 1000);
  }
  disposeModels(m);
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

/** Best of several 512² matmuls (a fresh operand each time): the wasm peak this run can reach. */
function matmulGflops(): number {
  const n = 512;
  const a = tf.randomNormal([n, n], 0, 1, 'float32', 1);
  const b = tf.randomNormal([n, n], 0, 1, 'float32', 2);
  // dataSync outside tidy: tidy scans a returned typed array element by element (~0.7 s per 262k floats).
  const syncMatMul = (x: tf.Tensor, y: tf.Tensor): void => {
    const c = tf.matMul(x as tf.Tensor2D, y as tf.Tensor2D);
    c.dataSync();
    c.dispose();
  };
  syncMatMul(a, b);
  let best = Infinity;
  for (let i = 0; i < 8; i++) {
    const bb = tf.add(b, i);
    const t = performance.now();
    syncMatMul(a, bb);
    best = Math.min(best, performance.now() - t);
    bb.dispose();
  }
  tf.dispose([a, b]);
  return (2 * n ** 3) / (best / 1000) / 1e9;
}

export async function run(): Promise<BenchReport> {
  const info = await selectBackend({ prefer: 'wasm' }); // wasm, with the native kernels when built
  const cfg = makeGanConfig({ resolution: RES, ch: CH, dCh: defaultDCh(RES, CH), channels: 1, numClasses: 10, heads: { projection: true, rotation: true, classifier: true } });
  const wasmMatmul = matmulGflops();
  const wasmStep = stepSeconds(cfg, BATCH, 3);
  const wasmSmall = stepSeconds(cfg, CPU_BATCH, 3);
  const native = loadNativeKernels().kernels;
  let wasmOnlyStep: number | null = null;
  if (native) {
    unregisterNativeKernels();
    wasmOnlyStep = stepSeconds(cfg, BATCH, 3);
    registerNativeKernels(native);
  }
  const flops = trainingStepFlops(cfg, BATCH, D_STEPS);
  await tf.setBackend('cpu');
  const cpuSmall = stepSeconds(cfg, CPU_BATCH, 1);
  await tf.setBackend('wasm');
  const gflops = flops / wasmStep / 1e9;
  const metrics = {
    config: `${RES}px ch ${CH} D ch ${cfg.dCh} batch ${BATCH}, ${D_STEPS} D steps, s3gan heads`,
    native_kernels: info.nativeKernels?.loaded ? info.nativeKernels.detail : `not used: ${info.nativeKernels?.detail ?? 'n/a'}`,
    wasm_step_s: wasmStep,
    wasm_img_per_s: BATCH / wasmStep,
    wasm_only_step_s: wasmOnlyStep,
    native_speedup: wasmOnlyStep === null ? null : wasmOnlyStep / wasmStep,
    step_gflop: flops / 1e9,
    step_gflops: gflops,
    wasm_matmul_gflops: wasmMatmul,
    efficiency_vs_matmul: gflops / wasmMatmul,
    cpu_batch: CPU_BATCH,
    cpu_step_s: cpuSmall,
    wasm_step_s_at_cpu_batch: wasmSmall,
    wasm_over_cpu: cpuSmall / wasmSmall,
  };
  return { title: 'S³GAN training step (wasm vs cpu)', metrics };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  run().then((r) => console.log(JSON.stringify(r, null, 1)), (e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
