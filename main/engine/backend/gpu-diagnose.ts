// Why tfjs-node-gpu did not give us a GPU, and exactly what to install. The known pain
// (tensorflow/tfjs #8505, #8362, #8187): tfjs-node-gpu 4.x loads libtensorflow 2.9.1, built for
// CUDA 11.2 + cuDNN 8.1; on machines with newer CUDA it fails (or silently runs on CPU) with
// "Could not load dynamic library 'libcudart.so.11.0'". Parsing is pure (tested on fixture text);
// probing the machine is a separate, best-effort function.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Shared libraries libtensorflow 2.9.1 (tfjs-node-gpu 4.x) opens, with the CUDA/cuDNN release that ships each. */
export const REQUIRED_CUDA_LIBS: ReadonlyArray<{ lib: string; from: string }> = [
  { lib: 'libcudart.so.11.0', from: 'CUDA 11.2 runtime' },
  { lib: 'libcublas.so.11', from: 'CUDA 11.2 cuBLAS' },
  { lib: 'libcublasLt.so.11', from: 'CUDA 11.2 cuBLAS' },
  { lib: 'libcufft.so.10', from: 'CUDA 11.2 cuFFT' },
  { lib: 'libcurand.so.10', from: 'CUDA 11.2 cuRAND' },
  { lib: 'libcusolver.so.11', from: 'CUDA 11.2 cuSOLVER' },
  { lib: 'libcusparse.so.11', from: 'CUDA 11.2 cuSPARSE' },
  { lib: 'libcudnn.so.8', from: 'cuDNN 8.1' },
];

export interface CudaScan {
  /** Library sonames found (ldconfig cache, LD_LIBRARY_PATH, /usr/local/cuda*). */
  libraries: string[];
  /** CUDA toolkit versions found, e.g. ['12.4']. */
  toolkits: string[];
  /** GPU names from nvidia-smi; empty when no driver/GPU. */
  gpus: string[];
  /** Total memory of each GPU in MiB, in the order of `gpus` (absent when nvidia-smi did not say). */
  gpuMemoryMiB?: (number | null)[];
}

/** `nvidia-smi --query-gpu=name,memory.total --format=csv,noheader,nounits` → names and MiB. */
export function parseGpuQuery(text: string): { gpus: string[]; gpuMemoryMiB: (number | null)[] } {
  const rows = text.split('\n').map((l) => l.trim()).filter(Boolean).map((l) => {
    const comma = l.lastIndexOf(',');
    if (comma <= 0) return { name: l, mib: null };
    const mib = Number(l.slice(comma + 1).trim()); // "[N/A]" on some boards
    return { name: l.slice(0, comma).trim(), mib: Number.isFinite(mib) && mib > 0 ? mib : null };
  });
  return { gpus: rows.map((r) => r.name), gpuMemoryMiB: rows.map((r) => r.mib) };
}

const CUDA_LIB_RE = /\blib(cudart|cublas|cublasLt|cufft|curand|cusolver|cusparse|cudnn)\.so(?:\.\d+)*/g;

/** Sonames mentioned in text (a load error, TF's stderr, `ldconfig -p` output). */
export function findCudaLibNames(text: string): string[] {
  return [...new Set(text.match(CUDA_LIB_RE) ?? [])];
}

/** Libraries the loader said it could not open ("Could not load dynamic library 'x'", "x: cannot open shared object file"). */
export function parseMissingLibraries(loadError: string): string[] {
  const missing = new Set<string>();
  for (const m of loadError.matchAll(/Could not load dynamic library '([^']+)'/g)) missing.add(m[1]!);
  for (const m of loadError.matchAll(/(lib[\w.+-]+\.so[\w.]*): cannot open shared object file/g)) missing.add(m[1]!);
  return [...missing];
}

function majorOf(soname: string): string | null {
  const m = /\.so\.(\d+)/.exec(soname);
  return m ? m[1]! : null;
}

/**
 * Advice for a failed or CPU-only tfjs-node-gpu load. `loadError` is the exception text and/or the
 * library's stderr; `scan` describes what CUDA is installed. Every line says what to install or change.
 */
export function gpuAdvice(input: { loadError?: string; notInstalled?: boolean; scan: CudaScan; platform: NodeJS.Platform }): string[] {
  const { scan } = input;
  const advice: string[] = [];
  const gpuText = scan.gpus.length ? `NVIDIA GPU found (${scan.gpus.join(', ')})` : 'no NVIDIA GPU/driver found (nvidia-smi missing or failing)';
  if (input.notInstalled) {
    if (scan.gpus.length) {
      advice.push(`${gpuText} but @tensorflow/tfjs-node-gpu is not installed: run \`npm install @tensorflow/tfjs-node-gpu@4.22.0\` (it downloads libtensorflow 2.9.1 and needs CUDA 11.2 + cuDNN 8.1).`);
    }
    return advice;
  }
  if (input.platform !== 'linux' && input.platform !== 'win32') {
    advice.push(`@tensorflow/tfjs-node-gpu supports only Linux and Windows (this is ${input.platform}); use @tensorflow/tfjs-node or wasm.`);
    return advice;
  }
  if (!scan.gpus.length) advice.push(`${gpuText}: install the NVIDIA driver (nvidia-smi must list the GPU) before CUDA.`);
  const present = new Set(scan.libraries);
  const named = parseMissingLibraries(input.loadError ?? '');
  const missing = new Set<string>(named);
  for (const r of REQUIRED_CUDA_LIBS) if (!present.has(r.lib)) missing.add(r.lib);
  if (!missing.size) {
    if (input.loadError) advice.push(`All CUDA 11.2/cuDNN 8.1 libraries are present but tfjs-node-gpu still failed: ${firstLine(input.loadError)}`);
    return advice;
  }
  const otherCudart = scan.libraries.filter((l) => l.startsWith('libcudart.so.') && majorOf(l) !== '11');
  const otherCudnn = scan.libraries.filter((l) => l.startsWith('libcudnn.so.') && majorOf(l) !== '8');
  const found = [
    ...scan.toolkits.map((v) => `CUDA toolkit ${v}`),
    ...otherCudart, ...otherCudnn,
  ];
  const needCuda = [...missing].some((l) => !l.startsWith('libcudnn'));
  const needCudnn = [...missing].some((l) => l.startsWith('libcudnn'));
  advice.push(
    `tfjs-node-gpu 4.x (libtensorflow 2.9.1) needs CUDA 11.2 + cuDNN 8.1; missing: ${[...missing].sort().join(', ')}` +
      (found.length ? `; found instead: ${found.join(', ')} — newer CUDA/cuDNN majors are NOT picked up.` : '.'),
  );
  if (needCuda) {
    advice.push('Install the CUDA 11.2 runtime libraries side by side with any newer CUDA (e.g. NVIDIA apt repo: `apt-get install cuda-libraries-11-2`, or conda: `conda install -c conda-forge cudatoolkit=11.2`) and add its lib64 (e.g. /usr/local/cuda-11.2/lib64) to LD_LIBRARY_PATH.');
  }
  if (needCudnn) {
    advice.push('Install cuDNN 8.1 for CUDA 11.2 (libcudnn.so.8; e.g. `apt-get install libcudnn8=8.1.*-1+cuda11.2`, or conda: `conda install -c conda-forge cudnn=8.1`) and make sure its folder is on LD_LIBRARY_PATH.');
  }
  advice.push('Then check with `s3gan doctor`; until then training runs on the next available backend.');
  return advice;
}

function firstLine(s: string): string {
  return s.split('\n').find((l) => l.trim())?.trim().slice(0, 300) ?? '';
}

function tryExec(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return ''; // tool absent or failing: the scan is best-effort and reports what it could see
  }
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** Best-effort look at the machine: ldconfig cache, LD_LIBRARY_PATH, /usr/local/cuda*, nvidia-smi. */
export function scanCuda(): CudaScan {
  const libs = new Set<string>(findCudaLibNames(tryExec('ldconfig', ['-p']) || tryExec('/sbin/ldconfig', ['-p'])));
  const dirs = (process.env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean);
  const toolkits = new Set<string>();
  for (const name of listDir('/usr/local').filter((d) => d.startsWith('cuda'))) {
    const root = join('/usr/local', name);
    dirs.push(join(root, 'lib64'));
    for (const f of ['version.json', 'version.txt']) {
      const p = join(root, f);
      if (!existsSync(p)) continue;
      const text = readFileSync(p, 'utf8');
      const v = /"cuda"\s*:\s*\{[^}]*"version"\s*:\s*"(\d+\.\d+)/.exec(text)?.[1] ?? /CUDA Version (\d+\.\d+)/.exec(text)?.[1];
      if (v) toolkits.add(v);
    }
  }
  for (const d of dirs) for (const f of listDir(d)) for (const l of findCudaLibNames(f)) libs.add(l);
  const { gpus, gpuMemoryMiB } = parseGpuQuery(tryExec('nvidia-smi', ['--query-gpu=name,memory.total', '--format=csv,noheader,nounits']));
  return { libraries: [...libs].sort(), toolkits: [...toolkits].sort(), gpus, gpuMemoryMiB };
}
