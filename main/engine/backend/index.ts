// Run-time choice of the tfjs backend: tensorflow (GPU, then CPU) → wasm → cpu (DESIGN.md §6).
// The native packages are optionalDependencies that often fail to install, so each is tried with a
// dynamic import; every attempt is recorded in `tried`, GPU trouble is diagnosed into `advice`.
import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import { dirname, sep } from 'node:path';
import type { BackendInfo } from '../../../shared/contract';
import { gpuAdvice, scanCuda } from './gpu-diagnose';
import { registerCpuKernelFixes } from './cpu-kernel-fixes';
import { loadNativeKernels } from './native-addon';
import { registerNativeKernels } from './native-kernels';
import { registerWasmTrainingKernels } from './wasm-kernels';

export type BackendPreference = 'auto' | 'tensorflow' | 'wasm' | 'cpu';
type Attempt = BackendInfo['tried'][number];
type Candidate = 'tensorflow-gpu' | 'tensorflow-cpu' | 'wasm' | 'cpu';

const PREFERENCES: readonly BackendPreference[] = ['auto', 'tensorflow', 'wasm', 'cpu'];
const ORDER: Record<BackendPreference, Candidate[]> = {
  auto: ['tensorflow-gpu', 'tensorflow-cpu', 'wasm', 'cpu'],
  tensorflow: ['tensorflow-gpu', 'tensorflow-cpu', 'wasm', 'cpu'],
  wasm: ['wasm', 'cpu'],
  cpu: ['cpu'],
};

// Process-wide by nature: tfjs itself has one active backend per process.
const chosen = new Map<BackendPreference, Promise<BackendInfo>>();
let current: BackendInfo | null = null;

/** The preference after the S3GAN_BACKEND override (which applies only to 'auto'). */
export function effectivePreference(prefer: BackendPreference = 'auto', env: NodeJS.ProcessEnv = process.env): { prefer: BackendPreference; advice: string[] } {
  const fromEnv = env.S3GAN_BACKEND?.trim().toLowerCase();
  if (prefer !== 'auto' || !fromEnv) return { prefer, advice: [] };
  if ((PREFERENCES as readonly string[]).includes(fromEnv)) return { prefer: fromEnv as BackendPreference, advice: [] };
  return { prefer, advice: [`S3GAN_BACKEND="${env.S3GAN_BACKEND}" is not one of ${PREFERENCES.join(', ')}; ignored.`] };
}

/**
 * Picks, initialises and activates a backend. Idempotent: cached per (effective) preference; a later
 * call re-activates the cached choice if another preference switched tfjs meanwhile.
 */
export async function selectBackend(opts: { prefer?: BackendPreference } = {}): Promise<BackendInfo> {
  const { prefer, advice } = effectivePreference(opts.prefer);
  let pending = chosen.get(prefer);
  if (!pending) {
    pending = choose(prefer, advice);
    chosen.set(prefer, pending);
    pending.catch(() => chosen.delete(prefer)); // a failure may be transient; let the next call retry
  }
  const info = await pending;
  if (tf.getBackend() !== info.backend) await tf.setBackend(info.backend);
  current = info;
  return info;
}

/** The backend the last selectBackend() activated, or null before any call. */
export function currentBackendInfo(): BackendInfo | null {
  return current;
}

async function choose(prefer: BackendPreference, advice: string[]): Promise<BackendInfo> {
  const tried: Attempt[] = [];
  for (const candidate of ORDER[prefer]) {
    if (candidate === 'tensorflow-cpu' && tried.some((t) => t.backend === 'tensorflow-gpu' && t.ok)) continue;
    const r = await attempt(candidate, advice);
    tried.push(r.attempt);
    if (r.info) return { ...r.info, tried, advice };
  }
  throw new Error(`No tfjs backend could be initialised: ${tried.map((t) => `${t.backend}: ${t.reason ?? 'failed'}`).join('; ')}`);
}

interface AttemptResult {
  attempt: Attempt;
  info?: Omit<BackendInfo, 'tried' | 'advice'>;
}

async function attempt(candidate: Candidate, advice: string[]): Promise<AttemptResult> {
  try {
    if (candidate === 'wasm') return await tryWasm();
    if (candidate === 'cpu') return await tryCpu();
    return await tryTensorflow(candidate === 'tensorflow-gpu' ? '@tensorflow/tfjs-node-gpu' : '@tensorflow/tfjs-node', candidate, advice);
  } catch (e) {
    return { attempt: { backend: candidate, ok: false, reason: errorText(e) } };
  }
}

function errorText(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0]!.slice(0, 500);
}

function isNotInstalled(e: unknown): boolean {
  const code = (e as { code?: string }).code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND' || /Cannot find (package|module)/.test(errorText(e));
}

async function tryTensorflow(pkg: string, candidate: Candidate, advice: string[]): Promise<AttemptResult> {
  const gpuPackage = candidate === 'tensorflow-gpu';
  let mod: { version?: Record<string, string> };
  try {
    mod = (await import(/* @vite-ignore */ pkg)) as typeof mod;
  } catch (e) {
    const notInstalled = isNotInstalled(e);
    if (gpuPackage) advice.push(...gpuAdvice({ notInstalled, loadError: errorText(e) + '\n' + String((e as Error).stack ?? ''), scan: scanCuda(), platform: process.platform }));
    return { attempt: { backend: candidate, ok: false, reason: notInstalled ? `${pkg} is not installed` : `${pkg} failed to load: ${errorText(e)}` } };
  }
  if (!(await tf.setBackend('tensorflow'))) return { attempt: { backend: candidate, ok: false, reason: 'tensorflow backend failed to initialise' } };
  await tf.ready();
  const native = tf.backend() as { isUsingGpuDevice?: boolean };
  const onGpu = gpuPackage && native.isUsingGpuDevice === true;
  const version = `tfjs ${tf.version_core}, ${pkg} ${mod.version?.['tfjs-node'] ?? tf.version_core}`;
  if (gpuPackage && !onGpu) {
    // libtensorflow loaded but found no usable CUDA: it runs on CPU. Keep it (tensorflow CPU is the
    // next candidate anyway) and say why the GPU was not used.
    const scan = scanCuda();
    advice.push(...gpuAdvice({ loadError: 'tfjs-node-gpu loaded but TensorFlow found no usable GPU device', scan, platform: process.platform }));
    return {
      attempt: { backend: 'tensorflow-gpu', ok: false, reason: 'loaded, but no usable GPU device (running TensorFlow on CPU)' },
      info: { backend: 'tensorflow', version, gpu: false },
    };
  }
  const scan = onGpu ? scanCuda() : null;
  const gpuName = scan?.gpus[0];
  const gpuMemoryMiB = scan?.gpuMemoryMiB?.[0];
  return {
    attempt: { backend: candidate, ok: true },
    info: { backend: 'tensorflow', version, gpu: onGpu, ...(gpuName ? { gpuName } : {}), ...(gpuMemoryMiB ? { gpuMemoryMiB } : {}) },
  };
}

/** Directory holding the .wasm binaries, as a prefix for setWasmPaths (Node reads them from disk). */
export function wasmBinaryDir(): string {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm')) + sep;
}

async function tryWasm(): Promise<AttemptResult> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  wasm.setWasmPaths(wasmBinaryDir());
  registerWasmTrainingKernels(); // only for wasm: the tensorflow backend has all kernels natively
  const native = nativeOnWasm();
  if (!(await tf.setBackend('wasm'))) return { attempt: { backend: 'wasm', ok: false, reason: 'wasm backend failed to initialise' } };
  await tf.ready();
  const simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT');
  const threads = tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT');
  return {
    attempt: { backend: 'wasm', ok: true },
    info: {
      backend: 'wasm',
      version: `tfjs ${tf.version_core}, tfjs-backend-wasm ${wasm.version_wasm}${simd ? ' simd' : ''}${threads ? ' threads' : ''}`,
      gpu: false,
      nativeKernels: native,
    },
  };
}

/** Loads the optional native kernels and puts them in place of wasm's (whose kernels stay as fallbacks); a failure here costs speed, never the backend. */
function nativeOnWasm(): { loaded: boolean; detail: string } {
  const { kernels, status } = loadNativeKernels();
  if (!kernels) return { loaded: false, detail: status.reason ?? 'not loaded' };
  try {
    registerNativeKernels(kernels);
    return { loaded: true, detail: status.info ?? '' };
  } catch (e) {
    return { loaded: false, detail: `loaded but not registered: ${errorText(e)}` };
  }
}

async function tryCpu(): Promise<AttemptResult> {
  registerCpuKernelFixes();
  if (!(await tf.setBackend('cpu'))) return { attempt: { backend: 'cpu', ok: false, reason: 'cpu backend failed to initialise' } };
  await tf.ready();
  return { attempt: { backend: 'cpu', ok: true }, info: { backend: 'cpu', version: `tfjs ${tf.version_core}`, gpu: false } };
}
