// Native per-channel kernels for the wasm backend, for the shapes a conv net trains with: reductions
// over every axis but the last (Sum / Mean: bias gradients, batch-norm moments), a [C] operand
// broadcast over an NHWC tensor (Add: conv biases), and FusedBatchNorm with per-channel parameters.
// tfjs-wasm transposes before such reductions and broadcasts with a general slow loop; profiled on
// the MNIST S³GAN step these were ~15% of it. Any other shape goes to the kernel replaced.
import * as tf from '@tensorflow/tfjs';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { NativeKernels } from './native-addon';
import { withOutput, type NativeKernelMaker } from './native-heap';

const last = (t: TensorInfo): number => t.shape[t.shape.length - 1] ?? 0;

/** t is a float vector of C values along the last axis (shape [C] or [1, …, 1, C]). */
function perChannel(t: TensorInfo | undefined, c: number): boolean {
  return t !== undefined && t.dtype === 'float32' && t.shape.length > 0 && last(t) === c && tf.util.sizeFromShape(t.shape) === c;
}

function channelReduce(kernels: NativeKernels, fallback: KernelFunc, mean: boolean): KernelFunc {
  return (args) => {
    const x = args.inputs.x as TensorInfo;
    const { axis, keepDims } = args.attrs as { axis: number | number[]; keepDims: boolean };
    const rank = x.shape.length;
    const size = tf.util.sizeFromShape(x.shape);
    if (x.dtype !== 'float32' || rank < 2 || size === 0) return fallback(args);
    const axes = tf.util.parseAxisParam(axis, x.shape).sort((a, b) => a - b);
    if (axes.length !== rank - 1 || axes.some((a, i) => a !== i)) return fallback(args);
    const c = last(x);
    const shape = keepDims ? [...(Array(rank - 1).fill(1) as number[]), c] : [c];
    return withOutput(args.backend, shape, (view, out) => kernels.channelSum(view(x), out, mean ? c / size : 1));
  };
}

function channelAdd(kernels: NativeKernels, fallback: KernelFunc): KernelFunc {
  return (args) => {
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    const [full, vector] = perChannel(b, last(a)) && b.shape.length <= a.shape.length ? [a, b] : [b, a];
    if (full.dtype !== 'float32' || !perChannel(vector, last(full)) || vector.shape.length > full.shape.length || tf.util.sizeFromShape(full.shape) === 0) {
      return fallback(args);
    }
    return withOutput(args.backend, full.shape, (view, out) => kernels.channelAffine(view(full), null, view(vector), out));
  };
}

function batchNorm(kernels: NativeKernels, fallback: KernelFunc): KernelFunc {
  return (args) => {
    const { x, mean, variance, offset, scale } = args.inputs as Record<string, TensorInfo | undefined>;
    const c = x ? last(x) : 0;
    const optional = (t: TensorInfo | undefined) => t === undefined || t === null || perChannel(t, c);
    if (!x || x.dtype !== 'float32' || tf.util.sizeFromShape(x.shape) === 0 || !perChannel(mean, c) || !perChannel(variance, c) || !optional(offset) || !optional(scale)) {
      return fallback(args);
    }
    const { varianceEpsilon } = args.attrs as { varianceEpsilon: number };
    return withOutput(args.backend, x.shape, (view, out) =>
      kernels.batchNorm(view(x), view(mean!), view(variance!), offset ? view(offset) : null, scale ? view(scale) : null, varianceEpsilon, out));
  };
}

export const nativeChannelKernels: NativeKernelMaker[] = [
  { name: tf.Sum, make: (k, f) => channelReduce(k, f, false) },
  { name: tf.Mean, make: (k, f) => channelReduce(k, f, true) },
  { name: tf.Add, make: channelAdd },
  { name: tf.FusedBatchNorm, make: batchNorm },
];
