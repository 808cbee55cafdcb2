// Faster wasm gradients of the two resampling ops our G/D use, for the shape they use: 2×2 average
// pooling with stride 2 (D's downsampling) and nearest ×2 upsampling (G's). tfjs-wasm 4.22 computes
// both gradients with scalar C loops; profiled on a 32 px S³GAN step they were ~15% of the step.
// For non-overlapping pools (filter == stride, 'valid', sizes divisible) the gradients are themselves
// resamplings, which wasm runs fast:
//   AvgPoolGrad:               dx = nearestUpsample(dy · 1/(kh·kw))        (each input in one window)
//   ResizeNearestNeighborGrad: dimages = avgPool(dy, f, f) · (fh·fw)      (integer factor, no corners)
// Any other configuration falls back to the original wasm kernel. Same TensorInfo-level style as
// wasm-kernels.ts: every temporary is released with disposeData, nothing lands on the engine's books.
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';

const BACKEND = 'wasm';

interface WasmBackendLike {
  disposeData(dataId: object): boolean;
  makeOutput(shape: number[], dtype: tf.DataType, memoryOffset?: number, values?: Float32Array): TensorInfo;
}

function run(name: string, backend: WasmBackendLike, inputs: Record<string, TensorInfo>, attrs: NamedAttrMap): TensorInfo {
  const k = tf.getKernel(name, BACKEND);
  if (!k) throw new Error(`wasm backend has no ${name} kernel`);
  return k.kernelFunc({ inputs, backend: backend as unknown as tf.KernelBackend, attrs }) as TensorInfo;
}

/** x · s for a float TensorInfo (a scalar operand; the caller owns the result). */
function scale(backend: WasmBackendLike, x: TensorInfo, s: number): TensorInfo {
  const scalar = backend.makeOutput([], 'float32', undefined, new Float32Array([s]));
  try {
    return run('Multiply', backend, { a: x, b: scalar }, {});
  } finally {
    backend.disposeData(scalar.dataId);
  }
}

const pair = (v: number | [number, number]): [number, number] => (typeof v === 'number' ? [v, v] : v);

/** The original kernels, captured when the overrides are first made (wasm must be imported by then). */
const originals = new Map<string, KernelConfig>();

/** The wasm kernel an override replaced (the fallback; also used by the A/B benches). */
export function original(name: string): KernelFunc {
  const k = originals.get(name);
  if (!k) throw new Error(`no original wasm ${name} kernel was captured`);
  return k.kernelFunc;
}

const avgPoolGrad: KernelFunc = (args) => {
  const backend = args.backend as unknown as WasmBackendLike;
  const { dy, input } = args.inputs as { dy: TensorInfo; input: TensorInfo };
  const { filterSize, strides, pad, dimRoundingMode } = args.attrs as unknown as {
    filterSize: number | [number, number]; strides: number | [number, number]; pad: unknown; dimRoundingMode?: string;
  };
  const [fh, fw] = pair(filterSize);
  const [sh, sw] = pair(strides);
  const [, h, w] = input.shape as [number, number, number, number];
  const simple = (pad === 'valid' || pad === 0) && !dimRoundingMode && fh === sh && fw === sw && h % fh === 0 && w % fw === 0 && input.shape.length === 4;
  if (!simple) return original(tf.AvgPoolGrad)(args);
  const scaled = scale(backend, dy, 1 / (fh * fw));
  try {
    return run('ResizeNearestNeighbor', backend, { images: scaled }, { size: [h, w], alignCorners: false, halfPixelCenters: false });
  } finally {
    backend.disposeData(scaled.dataId);
  }
};

const resizeNearestNeighborGrad: KernelFunc = (args) => {
  const backend = args.backend as unknown as WasmBackendLike;
  const { images, dy } = args.inputs as { images: TensorInfo; dy: TensorInfo };
  const { alignCorners } = args.attrs as unknown as { alignCorners: boolean };
  const [, h, w] = images.shape as [number, number, number, number];
  const [, oh, ow] = dy.shape as [number, number, number, number];
  const simple = !alignCorners && images.dtype === 'float32' && images.shape.length === 4 && oh % h === 0 && ow % w === 0;
  if (!simple) return original(tf.ResizeNearestNeighborGrad)(args);
  const [fh, fw] = [oh / h, ow / w];
  if (fh === 1 && fw === 1) return run('Identity', backend, { x: dy }, {});
  const pooled = run('AvgPool', backend, { x: dy }, { filterSize: [fh, fw], strides: [fh, fw], pad: 'valid', dimRoundingMode: undefined as unknown as string });
  try {
    return scale(backend, pooled, fh * fw);
  } finally {
    backend.disposeData(pooled.dataId);
  }
};

let configs: KernelConfig[] | null = null;

/** Overrides for registerWasmTrainingKernels (made once, so re-registration is idempotent). */
export function wasmPoolKernelOverrides(): KernelConfig[] {
  if (configs) return configs;
  for (const name of [tf.AvgPoolGrad, tf.ResizeNearestNeighborGrad]) {
    const k = tf.getKernel(name, BACKEND);
    if (!k) return []; // wasm not imported yet: nothing to override (registration runs again later)
    originals.set(name, k);
  }
  // The originals' setupFunc (binding their C functions at backend init) must still run: keep it.
  const withSetup = (name: string, kernelFunc: KernelFunc): KernelConfig => {
    const setupFunc = originals.get(name)!.setupFunc;
    return { kernelName: name, backendName: BACKEND, kernelFunc, ...(setupFunc ? { setupFunc } : {}) };
  };
  configs = [withSetup(tf.AvgPoolGrad, avgPoolGrad), withSetup(tf.ResizeNearestNeighborGrad, resizeNearestNeighborGrad)];
  return configs;
}
