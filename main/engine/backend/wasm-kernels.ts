// Kernels the tfjs 4.22 wasm backend lacks (Conv2DBackpropFilter: the filter gradient of every conv
// layer) or has only as a slow loop (Conv2DBackpropInput), re-expressed through wasm's fast XNNPACK
// Conv2D. The other kernels our encoder and the BigGAN-style G/D use in training (AvgPoolGrad,
// ResizeNearestNeighborGrad, ResizeBilinearGrad, ...) exist on wasm — `missingTrainingKernels()` checks.
//
// The filter gradient is computed AS a convolution, so it runs on XNNPACK's fast conv instead of a
// slow im2col (DESIGN.md §6 measured 2.1 s vs 8.2 s per GAN step):
//   dW[kh,kw,ci,co] = Σ_{b,i,j} xpad[b, i·s+kh, j·s+kw, ci] · dy[b,i,j,co]
// Read xpad^T = [Ci, Hp, Wp, B] as a batch of Ci images with B channels and dy^T = [Ho, Wo, B, Co] as a
// filter: a 'valid' conv with dilation s gives [Ci, ≥KH, ≥KW, Co]; slice and transpose back.
// The body calls the wasm backend's own kernel functions on TensorInfos (no engine tensors), so every
// intermediate is released with backend.disposeData and nothing is left on the engine's books.
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import { registerCpuKernelFixes } from './cpu-kernel-fixes';
import { wasmPoolKernelOverrides } from './wasm-pool-kernels';

const BACKEND = 'wasm';

/** The slice of BackendWasm this file uses (the class itself is not exported as a type we can import cheaply). */
interface WasmBackendLike {
  disposeData(dataId: object): boolean;
}

type Conv2DBackpropFilterAttrs = {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
};

function wasmKernel(name: string): KernelFunc {
  const k = tf.getKernel(name, BACKEND);
  if (!k) throw new Error(`wasm backend has no ${name} kernel`);
  return k.kernelFunc;
}

/** Runs one wasm kernel on TensorInfos; the caller owns (and must dispose) the result. */
function run(name: string, backend: WasmBackendLike, inputs: Record<string, TensorInfo>, attrs: NamedAttrMap): TensorInfo {
  return wasmKernel(name)({ inputs, backend: backend as unknown as tf.KernelBackend, attrs }) as TensorInfo;
}

const conv2DBackpropFilter: KernelFunc = ({ inputs, backend: b, attrs }) => {
  const backend = b as unknown as WasmBackendLike;
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as Conv2DBackpropFilterAttrs;
  if (dataFormat === 'NCHW') throw new Error('wasm Conv2DBackpropFilter supports NHWC only');
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number], filterShape, strides, 1, pad, dimRoundingMode, false, 'channelsLast',
  );
  const { filterHeight: kh, filterWidth: kw, inChannels: ci, outChannels: co, strideHeight: sh, strideWidth: sw } = info;
  const { top, bottom, left, right } = info.padInfo;
  const temps: TensorInfo[] = [];
  const keep = (t: TensorInfo): TensorInfo => (temps.push(t), t);
  try {
    const padded = top || bottom || left || right
      ? keep(run('PadV2', backend, { x }, { paddings: [[0, 0], [top, bottom], [left, right], [0, 0]], constantValue: 0 }))
      : x;
    const xT = keep(run('Transpose', backend, { x: padded }, { perm: [3, 1, 2, 0] })); // [Ci, Hp, Wp, B]
    const dyT = keep(run('Transpose', backend, { x: dy }, { perm: [1, 2, 0, 3] })); // [Ho, Wo, B, Co]
    const full = keep(run('Conv2D', backend, { x: xT, filter: dyT }, {
      strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: [sh, sw], dimRoundingMode: undefined as unknown as string,
    })); // [Ci, Hp-(Ho-1)s, Wp-(Wo-1)s, Co]; rows beyond KH only appear when padding left spare input
    const cropped = full.shape[1] === kh && full.shape[2] === kw
      ? full
      : keep(run('Slice', backend, { x: full }, { begin: [0, 0, 0, 0], size: [ci, kh, kw, co] }));
    return run('Transpose', backend, { x: cropped }, { perm: [1, 2, 0, 3] }); // [KH, KW, Ci, Co]
  } finally {
    for (const t of temps) backend.disposeData(t.dataId);
  }
};

type Conv2DBackpropInputAttrs = Omit<Conv2DBackpropFilterAttrs, 'filterShape'> & { inputShape: [number, number, number, number] };

/** Pads (positive) or crops (negative) axes 1 and 2 of an NHWC TensorInfo. */
function padOrCrop(backend: WasmBackendLike, x: TensorInfo, keep: (t: TensorInfo) => TensorInfo, h: [number, number], w: [number, number]): TensorInfo {
  let out = x;
  const pos = (v: number) => Math.max(0, v);
  if (h.some((v) => v > 0) || w.some((v) => v > 0)) {
    out = keep(run('PadV2', backend, { x: out }, { paddings: [[0, 0], h.map(pos), w.map(pos), [0, 0]], constantValue: 0 }));
  }
  if (h.some((v) => v < 0) || w.some((v) => v < 0)) {
    const [b, hh, ww, c] = out.shape as [number, number, number, number];
    const begin = [0, -Math.min(0, h[0]), -Math.min(0, w[0]), 0];
    const size = [b, hh + Math.min(0, h[0]) + Math.min(0, h[1]), ww + Math.min(0, w[0]) + Math.min(0, w[1]), c];
    out = keep(run('Slice', backend, { x: out }, { begin, size }));
  }
  return out;
}

// tfjs-wasm's own Conv2DBackpropInput is a plain loop (~0.6 GFLOP/s measured, 10× slower than its
// conv). The input gradient is itself a convolution: dilate dy by the stride (zeros in between),
// pad by K-1-padBefore, and convolve ('valid', stride 1) with the filter flipped in space and with
// in/out channels swapped:  dx[j] = Σ_k dyDilatedPadded[j + k] · w[K-1-k].
const conv2DBackpropInput: KernelFunc = ({ inputs, backend: b, attrs }) => {
  const backend = b as unknown as WasmBackendLike;
  const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as Conv2DBackpropInputAttrs;
  if (dataFormat === 'NCHW') throw new Error('wasm Conv2DBackpropInput supports NHWC only');
  const info = tf.backend_util.computeConv2DInfo(
    inputShape, filter.shape as [number, number, number, number], strides, 1, pad, dimRoundingMode, false, 'channelsLast',
  );
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, outHeight: ho, outWidth: wo } = info;
  const [batch, h, w] = inputShape;
  const co = info.outChannels;
  const temps: TensorInfo[] = [];
  const keep = (t: TensorInfo): TensorInfo => (temps.push(t), t);
  try {
    let d = dy;
    if (sh > 1 || sw > 1) {
      // [B,Ho,1,Wo,1,Co] padded to [B,Ho,sh,Wo,sw,Co] = dy with sh-1 / sw-1 zeros after each row / column
      const r = keep(run('Reshape', backend, { x: dy }, { shape: [batch, ho, 1, wo, 1, co] }));
      const p = keep(run('PadV2', backend, { x: r }, { paddings: [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]], constantValue: 0 }));
      d = keep(run('Reshape', backend, { x: p }, { shape: [batch, ho * sh, wo * sw, co] }));
    }
    const top = kh - 1 - info.padInfo.top;
    const left = kw - 1 - info.padInfo.left;
    const padded = padOrCrop(backend, d, keep, [top, h + kh - 1 - top - ho * sh], [left, w + kw - 1 - left - wo * sw]);
    const flipped = keep(run('Reverse', backend, { x: filter }, { dims: [0, 1] }));
    const swapped = keep(run('Transpose', backend, { x: flipped }, { perm: [0, 1, 3, 2] })); // [KH, KW, Co, Ci]
    return run('Conv2D', backend, { x: padded, filter: swapped }, {
      strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: [1, 1], dimRoundingMode: undefined as unknown as string,
    });
  } finally {
    for (const t of temps) backend.disposeData(t.dataId);
  }
};

/** Kernels we add where wasm has none. */
export const wasmTrainingKernels: KernelConfig[] = [
  { kernelName: tf.Conv2DBackpropFilter, backendName: BACKEND, kernelFunc: conv2DBackpropFilter },
];

/** Kernels we put in place of slow wasm originals. */
export const wasmKernelOverrides: KernelConfig[] = [
  { kernelName: tf.Conv2DBackpropInput, backendName: BACKEND, kernelFunc: conv2DBackpropInput },
];

/**
 * Registers the kernels above for 'wasm' (once; registering twice would throw). Call before or after
 * the backend initialises — tfjs looks kernels up per call. Never called when tensorflow loads.
 */
export function registerWasmTrainingKernels(): string[] {
  registerCpuKernelFixes(); // the cpu reference backend's faulty kernels (cpu-kernel-fixes.ts)
  const added: string[] = [];
  for (const k of wasmTrainingKernels) {
    if (tf.getKernel(k.kernelName, k.backendName)) continue;
    tf.registerKernel(k);
    added.push(k.kernelName);
  }
  for (const k of [...wasmKernelOverrides, ...wasmPoolKernelOverrides()]) {
    if (tf.getKernel(k.kernelName, k.backendName)?.kernelFunc === k.kernelFunc) continue;
    if (tf.getKernel(k.kernelName, k.backendName)) tf.unregisterKernel(k.kernelName, k.backendName);
    tf.registerKernel(k);
    added.push(k.kernelName);
  }
  return added;
}

/** Kernels that the gradients of our models call; all must exist on the active backend to train. */
export const TRAINING_KERNELS = [
  'Conv2D', 'Conv2DBackpropFilter', 'Conv2DBackpropInput', 'AvgPool', 'AvgPoolGrad',
  'ResizeNearestNeighbor', 'ResizeNearestNeighborGrad', 'ResizeBilinear', 'ResizeBilinearGrad',
  'FusedBatchNorm', 'BatchMatMul', 'Transpose', 'Reverse', 'Relu', 'LeakyRelu', 'Sum', 'Mean',
  'Softmax', 'Max', 'MirrorPad', 'PadV2', 'Slice', 'GatherV2', 'OneHot', 'Sqrt', 'Rsqrt',
] as const;

export function missingTrainingKernels(backendName: string): string[] {
  return TRAINING_KERNELS.filter((k) => !tf.getKernel(k, backendName));
}
