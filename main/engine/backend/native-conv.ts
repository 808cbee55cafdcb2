// Native Conv2D / Conv2DBackpropInput / Conv2DBackpropFilter for the wasm backend: im2col + OpenBLAS
// sgemm in the addon, reading inputs and writing the output in place on the wasm heap (no copies).
// Layouts the addon does not take (NCHW, non-float, empty) go to the kernel it replaced.
import * as tf from '@tensorflow/tfjs';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { NativeKernels } from './native-addon';
import { withOutput, type NativeKernelMaker } from './native-heap';

type ConvInfo = tf.backend_util.Conv2DInfo;

/** The 15 ints addon.c reads (ConvDims in conv.h). */
export function convDims(c: ConvInfo): Int32Array {
  return Int32Array.from([
    c.batchSize, c.inHeight, c.inWidth, c.inChannels, c.outHeight, c.outWidth, c.outChannels,
    c.filterHeight, c.filterWidth, c.strideHeight, c.strideWidth, c.dilationHeight, c.dilationWidth,
    c.padInfo.top, c.padInfo.left,
  ]);
}

type ConvAttrs = {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dilations?: number | [number, number];
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape?: [number, number, number, number];
  inputShape?: [number, number, number, number];
};
type Shape4 = [number, number, number, number];

/** Conv2D, Conv2DBackpropInput, Conv2DBackpropFilter: which inputs they take and what they produce. */
const ROLES = {
  Conv2D: { a: 'x', b: 'filter', call: 'conv2d' },
  Conv2DBackpropInput: { a: 'dy', b: 'filter', call: 'conv2dBackpropInput' },
  Conv2DBackpropFilter: { a: 'x', b: 'dy', call: 'conv2dBackpropFilter' },
} as const;
type ConvKernelName = keyof typeof ROLES;

function convInfo(name: ConvKernelName, inputs: Record<string, TensorInfo>, attrs: ConvAttrs): { info: ConvInfo; outShape: number[] } {
  const xShape = (name === 'Conv2DBackpropInput' ? attrs.inputShape : inputs.x!.shape) as Shape4;
  const filterShape = (name === 'Conv2DBackpropFilter' ? attrs.filterShape : inputs.filter!.shape) as Shape4;
  const info = tf.backend_util.computeConv2DInfo(xShape, filterShape, attrs.strides, attrs.dilations ?? 1, attrs.pad, attrs.dimRoundingMode, false, 'channelsLast');
  const outShape = name === 'Conv2D' ? info.outShape : name === 'Conv2DBackpropInput' ? xShape : filterShape;
  return { info, outShape };
}

function nativeConv(name: ConvKernelName, kernels: NativeKernels, fallback: KernelFunc): KernelFunc {
  const role = ROLES[name];
  return (args) => {
    const attrs = args.attrs as unknown as ConvAttrs;
    const a = args.inputs[role.a] as TensorInfo;
    const b = args.inputs[role.b] as TensorInfo;
    if (attrs.dataFormat === 'NCHW' || a.dtype !== 'float32' || b.dtype !== 'float32') return fallback(args);
    const { info, outShape } = convInfo(name, args.inputs as Record<string, TensorInfo>, attrs);
    if (outShape.some((d) => d === 0) || a.shape.some((d) => d === 0)) return fallback(args);
    return withOutput(args.backend, outShape, (view, out) => kernels[role.call](view(a), view(b), out, convDims(info)));
  };
}

export const nativeConvKernels: NativeKernelMaker[] = (Object.keys(ROLES) as ConvKernelName[]).map((name) => ({
  name,
  make: (kernels, fallback) => nativeConv(name, kernels, fallback),
}));

