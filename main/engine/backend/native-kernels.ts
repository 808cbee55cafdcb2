// Optional native convolution kernels for the wasm backend (issue 7, item 4). The addon in ./native
// (N-API, so one build serves Node and Electron) runs im2col + OpenBLAS sgemm; its functions read the
// inputs and write the output straight in the wasm heap, so registering them as the wasm backend's
// Conv2D / Conv2DBackpropInput / Conv2DBackpropFilter swaps the hot kernels and nothing else.
// Optional by construction: `npm install` tries to build it and shrugs if it cannot (no compiler, no
// libopenblas-dev); then `loadNativeKernels()` says why, and everything stays on the wasm kernels.
// Never used with the tensorflow backend (its own kernels are native already).
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What the addon exports (main/engine/backend/native/src/addon.c). */
export interface NativeKernels {
  conv2d(x: Float32Array, filter: Float32Array, out: Float32Array, dims: Int32Array): void;
  conv2dBackpropInput(dy: Float32Array, filter: Float32Array, dx: Float32Array, dims: Int32Array): void;
  conv2dBackpropFilter(x: Float32Array, dy: Float32Array, dfilter: Float32Array, dims: Int32Array): void;
  setThreads(n: number): void;
  /** Cap on one im2col block, in floats (a tuning knob; tests make it tiny to cover chunking). */
  setChunkFloats(n: number): void;
  info(): string;
}

export interface NativeStatus {
  loaded: boolean;
  /** The file loaded, or the places looked in. */
  path?: string;
  /** BLAS build and thread count, when loaded. */
  info?: string;
  /** Why it is not used, when not loaded. */
  reason?: string;
}

const FILE = 's3gan_kernels.node';

/** Where the addon may be: an explicit path, next to the sources (tsx), next to the repo (bundled out/main), the packaged app's resources. */
export function nativeCandidates(env: NodeJS.ProcessEnv = process.env, here = dirname(fileURLToPath(import.meta.url))): string[] {
  if (env.S3GAN_NATIVE_KERNELS) return [resolve(env.S3GAN_NATIVE_KERNELS)];
  const built = join('native', 'build', 'Release', FILE);
  const list = [resolve(here, built), resolve(here, '..', '..', 'main', 'engine', 'backend', built)];
  const resources = (process as { resourcesPath?: string }).resourcesPath;
  if (resources) list.push(join(resources, 'native', FILE));
  return list;
}

export interface NativeLoad {
  kernels?: NativeKernels;
  status: NativeStatus;
}

/**
 * Finds and loads the addon. S3GAN_NATIVE=0 turns it off; S3GAN_BLAS_THREADS sets OpenBLAS's
 * (process-wide) thread count, default 1 — the data-parallel trainer already puts a worker on each core.
 */
export function openNativeKernels(env: NodeJS.ProcessEnv = process.env): NativeLoad {
  if (env.S3GAN_NATIVE === '0') return { status: { loaded: false, reason: 'turned off by S3GAN_NATIVE=0' } };
  const candidates = nativeCandidates(env);
  const path = candidates.find((p) => existsSync(p));
  if (!path) {
    return { status: { loaded: false, path: candidates.join(', '), reason: 'not built (needs a C compiler and libopenblas-dev, then `npm run build:native`)' } };
  }
  try {
    const kernels = createRequire(import.meta.url)(path) as NativeKernels;
    if (typeof kernels.conv2d !== 'function' || typeof kernels.setThreads !== 'function') throw new Error(`${path} is not the s3gan kernels addon`);
    const threads = Number(env.S3GAN_BLAS_THREADS ?? 1);
    kernels.setThreads(Number.isInteger(threads) && threads >= 1 ? threads : 1);
    return { kernels, status: { loaded: true, path, info: kernels.info() } };
  } catch (e) {
    return { status: { loaded: false, path, reason: `failed to load: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}` } };
  }
}

let cached: NativeLoad | null = null;

/** openNativeKernels() once per thread (worker_threads each get their own module instance). */
export function loadNativeKernels(): NativeLoad {
  return (cached ??= openNativeKernels());
}

/** The wasm backend's heap accessors this file uses. */
interface WasmHeapBackend {
  makeOutput(shape: number[], dtype: tf.DataType): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array;
  disposeData(dataId: object): boolean;
}

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
    const backend = args.backend as unknown as WasmHeapBackend;
    const out = backend.makeOutput(outShape, 'float32');
    try {
      // Views only after makeOutput: a malloc may grow wasm memory, which detaches older views.
      kernels[role.call](backend.typedArrayFromHeap(a), backend.typedArrayFromHeap(b), backend.typedArrayFromHeap(out), convDims(info));
      return out;
    } catch (e) {
      backend.disposeData(out.dataId);
      throw e;
    }
  };
}

/** The native kernel registered for each name and the kernel it replaced. */
const registered = new Map<string, { config: KernelConfig; replaced: KernelConfig }>();

/**
 * Puts the native kernels in place of wasm's (call after registerWasmTrainingKernels, whose kernels
 * become the fallbacks for layouts the addon does not take). Idempotent. Returns what it registered.
 */
export function registerNativeKernels(kernels: NativeKernels): string[] {
  const names = Object.keys(ROLES) as ConvKernelName[];
  for (const name of names) {
    const current = tf.getKernel(name, 'wasm');
    if (current && registered.get(name)?.config.kernelFunc === current.kernelFunc) continue;
    if (!current) throw new Error(`wasm has no ${name} kernel to fall back on`);
    // Keep the replaced kernel's setupFunc: it binds wasm's C function at backend init, and the
    // replaced kernel still runs as the fallback.
    const config: KernelConfig = {
      kernelName: name, backendName: 'wasm', kernelFunc: nativeConv(name, kernels, current.kernelFunc),
      ...(current.setupFunc ? { setupFunc: current.setupFunc } : {}),
    };
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel(config);
    registered.set(name, { config, replaced: current });
  }
  return names;
}

/** The kernels whose wasm registration is currently the native one. */
export function activeNativeKernels(): string[] {
  return [...registered].filter(([name, { config }]) => tf.getKernel(name, 'wasm')?.kernelFunc === config.kernelFunc).map(([name]) => name);
}

/** Puts back the kernels registerNativeKernels replaced (tests and A/B benches). */
export function unregisterNativeKernels(): void {
  for (const [name, { config, replaced }] of registered) {
    if (tf.getKernel(name, 'wasm')?.kernelFunc !== config.kernelFunc) continue;
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel(replaced);
  }
  registered.clear();
}
