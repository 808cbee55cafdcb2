// Finding and loading the optional native kernel addon (./native: N-API, so one build serves Node and
// Electron; im2col + OpenBLAS convolutions and per-channel loops). Optional by construction:
// `npm install` tries to build it and shrugs if it cannot (no compiler, no libopenblas-dev); then
// `loadNativeKernels()` says why, and everything stays on the wasm kernels.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What the addon exports (main/engine/backend/native/src/addon.c). */
export interface NativeKernels {
  conv2d(x: Float32Array, filter: Float32Array, out: Float32Array, dims: Int32Array): void;
  conv2dBackpropInput(dy: Float32Array, filter: Float32Array, dx: Float32Array, dims: Int32Array): void;
  conv2dBackpropFilter(x: Float32Array, dy: Float32Array, dfilter: Float32Array, dims: Int32Array): void;
  /** out[k] = scale · Σ over rows of x[row][k] (x viewed as [rows][C], C = out.length). */
  channelSum(x: Float32Array, out: Float32Array, scale: number): void;
  /** out = x · scale + shift per channel (scale null: a bias add). */
  channelAffine(x: Float32Array, scale: Float32Array | null, shift: Float32Array, out: Float32Array): void;
  /** tfjs batchNorm with per-channel mean, variance, offset, scale. */
  batchNorm(x: Float32Array, mean: Float32Array, variance: Float32Array, offset: Float32Array | null, scale: Float32Array | null, epsilon: number, out: Float32Array): void;
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

/**
 * Where the addon may be: an explicit S3GAN_NATIVE_KERNELS path; else, walking up from this module
 * (main/engine/backend under tsx, out/main/chunks once bundled), ./native/build/Release or the repo's
 * main/engine/backend/native/build/Release; then the packaged app's resources/native.
 */
export function nativeCandidates(env: NodeJS.ProcessEnv = process.env, here = dirname(fileURLToPath(import.meta.url))): string[] {
  if (env.S3GAN_NATIVE_KERNELS) return [resolve(env.S3GAN_NATIVE_KERNELS)];
  const built = join('native', 'build', 'Release', FILE);
  const list: string[] = [];
  for (let dir = resolve(here), depth = 0; depth < 5; depth++) {
    list.push(join(dir, built), join(dir, 'main', 'engine', 'backend', built));
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  const resources = (process as { resourcesPath?: string }).resourcesPath;
  if (resources) list.push(join(resources, 'native', FILE));
  return [...new Set(list)];
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

