// GFLOP/s of the native conv kernels on the conv shapes that dominate a training step (from
// profile-step.ts), straight on the addon with plain Float32Arrays — for docs/perf-notes.md:
//   npx tsx test/bench/cpu/native-micro.ts [repeats=20]
import { loadNativeKernels } from '../../../main/engine/backend/native-addon';
import { convDims } from '../../../main/engine/backend/native-conv';
import * as tf from '@tensorflow/tfjs';
import { median } from './ours';

const SHAPES: { x: [number, number, number, number]; k: number; co: number; stride: number }[] = [
  { x: [32, 32, 32, 32], k: 3, co: 32, stride: 1 },
  { x: [96, 32, 32, 16], k: 3, co: 16, stride: 1 },
  { x: [96, 16, 16, 16], k: 3, co: 16, stride: 1 },
  { x: [32, 16, 16, 32], k: 3, co: 32, stride: 1 },
  { x: [32, 32, 32, 32], k: 3, co: 1, stride: 1 },
  { x: [96, 32, 32, 1], k: 3, co: 16, stride: 1 },
  { x: [32, 32, 32, 32], k: 3, co: 3, stride: 1 },
  { x: [96, 32, 32, 3], k: 3, co: 32, stride: 1 },
  { x: [32, 32, 32, 128], k: 3, co: 128, stride: 1 },
  { x: [32, 32, 32, 128], k: 1, co: 128, stride: 1 },
];

function main(): void {
  const { kernels, status } = loadNativeKernels();
  if (!kernels) throw new Error(`native kernels not loaded: ${status.reason}`);
  const repeats = Number(process.argv[2] ?? 20);
  if (process.env.CHUNK) kernels.setChunkFloats(Number(process.env.CHUNK));
  console.log(status.info, process.env.CHUNK ? `chunk ${process.env.CHUNK} floats` : '');
  console.log('| x | filter | forward GFLOP/s | input grad | filter grad |\n|---|---|---|---|---|');
  for (const s of SHAPES) {
    const [b, h, w, ci] = s.x;
    const info = tf.backend_util.computeConv2DInfo(s.x, [s.k, s.k, ci, s.co], s.stride, 1, 'same');
    const dims = convDims(info);
    const x = Float32Array.from({ length: b * h * w * ci }, (_, i) => Math.sin(i));
    const f = Float32Array.from({ length: s.k * s.k * ci * s.co }, (_, i) => Math.cos(i));
    const y = new Float32Array(b * info.outHeight * info.outWidth * s.co).fill(0.5);
    const dx = new Float32Array(x.length);
    const df = new Float32Array(f.length);
    const flops = 2 * b * info.outHeight * info.outWidth * s.k * s.k * ci * s.co;
    const rate = (run: () => void) => {
      run();
      const t: number[] = [];
      for (let r = 0; r < repeats; r++) {
        const t0 = performance.now();
        run();
        t.push(performance.now() - t0);
      }
      return (flops / median(t) / 1e6).toFixed(1);
    };
    const fwd = rate(() => kernels.conv2d(x, f, y, dims));
    const bin = rate(() => kernels.conv2dBackpropInput(y, f, dx, dims));
    const bfi = rate(() => kernels.conv2dBackpropFilter(x, y, df, dims));
    console.log(`| ${s.x.join('×')} | ${s.k}×${s.k}×${ci}×${s.co} s${s.stride} | ${fwd} | ${bin} | ${bfi} |`);
  }
}

main();
