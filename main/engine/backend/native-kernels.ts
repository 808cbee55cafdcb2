// Registers the native kernels (native-conv.ts, native-channel.ts) in place of the wasm backend's,
// keeping each replaced kernel as the fallback for inputs the native one does not take. Only for
// wasm: the tensorflow backend's kernels are native already, and nothing here is registered for it.
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig } from '@tensorflow/tfjs';
import type { NativeKernels } from './native-addon';
import { nativeChannelKernels } from './native-channel';
import { nativeConvKernels } from './native-conv';

const MAKERS = [...nativeConvKernels, ...nativeChannelKernels];

/** The native kernel registered for each name and the kernel it replaced. */
const registered = new Map<string, { config: KernelConfig; replaced: KernelConfig }>();

/**
 * Puts the native kernels in place of wasm's (call after registerWasmTrainingKernels, whose kernels
 * become the fallbacks for inputs the addon does not take). Idempotent. Returns the kernel names.
 */
export function registerNativeKernels(kernels: NativeKernels): string[] {
  for (const { name, make } of MAKERS) {
    const current = tf.getKernel(name, 'wasm');
    if (current && registered.get(name)?.config.kernelFunc === current.kernelFunc) continue;
    if (!current) throw new Error(`wasm has no ${name} kernel to fall back on`);
    // Keep the replaced kernel's setupFunc: it binds wasm's C function at backend init, and the
    // replaced kernel still runs as the fallback.
    const config: KernelConfig = {
      kernelName: name, backendName: 'wasm', kernelFunc: make(kernels, current.kernelFunc),
      ...(current.setupFunc ? { setupFunc: current.setupFunc } : {}),
    };
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel(config);
    registered.set(name, { config, replaced: current });
  }
  return MAKERS.map((m) => m.name);
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
