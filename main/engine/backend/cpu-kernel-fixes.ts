// tfjs-backend-cpu 4.22's ResizeNearestNeighborGrad reads dy with the *images'* batch stride, so every
// image after the first gets a wrong gradient (G's nearest ×2 upsampling; the cpu backend is our
// reference in tests). This is the same mapping as its forward kernel, scattered per dy pixel.
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';

interface CpuBackendLike {
  data: { get(dataId: object): { values: Float32Array } };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array): TensorInfo;
}

const resizeNearestNeighborGrad: KernelFunc = ({ inputs, backend, attrs }) => {
  const b = backend as unknown as CpuBackendLike;
  const { images, dy } = inputs as { images: TensorInfo; dy: TensorInfo };
  const { alignCorners } = attrs as unknown as { alignCorners: boolean };
  const [batch, h, w, depth] = images.shape as [number, number, number, number];
  const [, oh, ow] = dy.shape as [number, number, number, number];
  const dyv = b.data.get(dy.dataId).values;
  const scale = (n: number, on: number) => (alignCorners && on > 1 ? (n - 1) / (on - 1) : n / on);
  const [sh, sw] = [scale(h, oh), scale(w, ow)];
  const near = (v: number, n: number) => Math.min(n - 1, alignCorners ? Math.round(v) : Math.floor(v));
  const out = new Float32Array(batch * h * w * depth);
  for (let i = 0; i < batch; i++) {
    for (let y = 0; y < oh; y++) {
      const r = near(y * sh, h);
      for (let x = 0; x < ow; x++) {
        const c = near(x * sw, w);
        const src = ((i * oh + y) * ow + x) * depth;
        const dst = ((i * h + r) * w + c) * depth;
        for (let d = 0; d < depth; d++) out[dst + d]! += dyv[src + d]!;
      }
    }
  }
  return b.makeTensorInfo(images.shape, 'float32', out);
};

const fixes: KernelConfig[] = [{ kernelName: tf.ResizeNearestNeighborGrad, backendName: 'cpu', kernelFunc: resizeNearestNeighborGrad }];

/** Replaces the faulty cpu kernels (idempotent). */
export function registerCpuKernelFixes(): void {
  for (const k of fixes) {
    if (tf.getKernel(k.kernelName, k.backendName)?.kernelFunc === k.kernelFunc) continue;
    if (tf.getKernel(k.kernelName, k.backendName)) tf.unregisterKernel(k.kernelName, k.backendName);
    tf.registerKernel(k);
  }
}
