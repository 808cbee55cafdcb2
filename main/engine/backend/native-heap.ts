// The slice of the wasm backend the native kernels use: allocate an output on the wasm heap and hand
// the addon views of inputs and output there, so nothing is copied.
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { NativeKernels } from './native-addon';

interface WasmHeapBackend {
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array;
  disposeData(dataId: object): boolean;
}

/** A native replacement for one wasm kernel, built around the kernel it replaces (its fallback). */
export interface NativeKernelMaker {
  name: string;
  make(kernels: NativeKernels, fallback: KernelFunc): KernelFunc;
}

/**
 * Allocates a float32 output, runs `fill` with a heap-view function and the output's view, returns
 * the output (released again if fill throws). Views are taken only after the allocation: a malloc
 * may grow wasm memory, which detaches every older view.
 */
export function withOutput(b: object, shape: number[], fill: (view: (t: TensorInfo) => Float32Array, out: Float32Array) => void): TensorInfo {
  const backend = b as unknown as WasmHeapBackend;
  const out = backend.makeOutput(shape, 'float32');
  try {
    fill((t) => backend.typedArrayFromHeap(t), backend.typedArrayFromHeap(out));
    return out;
  } catch (e) {
    backend.disposeData(out.dataId);
    throw e;
  }
}
