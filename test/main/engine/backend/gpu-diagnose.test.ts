import { describe, expect, it } from 'vitest';
import { findCudaLibNames, gpuAdvice, parseGpuQuery, parseMissingLibraries } from '../../../../main/engine/backend/gpu-diagnose';

// Shape of the stderr reported in tensorflow/tfjs #8505 / #8362 (tfjs-node-gpu 4.x on CUDA 12).
const TF_STDERR = `2024-02-01 10:00:00.000000: W tensorflow/stream_executor/platform/default/dso_loader.cc:64] Could not load dynamic library 'libcudart.so.11.0'; dlerror: libcudart.so.11.0: cannot open shared object file: No such file or directory
2024-02-01 10:00:00.000001: W tensorflow/stream_executor/platform/default/dso_loader.cc:64] Could not load dynamic library 'libcudnn.so.8'; dlerror: libcudnn.so.8: cannot open shared object file: No such file or directory
2024-02-01 10:00:00.000002: W tensorflow/core/common_runtime/gpu/gpu_device.cc:1850] Cannot dlopen some GPU libraries.`;

const LDCONFIG_CUDA12 = `	libcudart.so.12 (libc6,x86-64) => /usr/local/cuda-12.4/lib64/libcudart.so.12
	libcublas.so.12 (libc6,x86-64) => /usr/local/cuda-12.4/lib64/libcublas.so.12
	libcudnn.so.9 (libc6,x86-64) => /usr/lib/x86_64-linux-gnu/libcudnn.so.9
	libc.so.6 (libc6,x86-64) => /lib/x86_64-linux-gnu/libc.so.6`;

describe('GPU load diagnosis', () => {
  it('extracts the libraries the loader could not open', () => {
    expect(parseMissingLibraries(TF_STDERR).sort()).toEqual(['libcudart.so.11.0', 'libcudnn.so.8']);
    expect(parseMissingLibraries('Error: libcudart.so.11.0: cannot open shared object file: No such file or directory')).toEqual(['libcudart.so.11.0']);
    expect(parseMissingLibraries('some unrelated failure')).toEqual([]);
  });

  it('finds CUDA sonames in ldconfig output and ignores other libraries', () => {
    expect(findCudaLibNames(LDCONFIG_CUDA12).sort()).toEqual(['libcublas.so.12', 'libcudart.so.12', 'libcudnn.so.9']);
  });

  it('on a CUDA 12 machine says CUDA 11.2 + cuDNN 8.1 are needed, names what was found and how to install', () => {
    const advice = gpuAdvice({
      loadError: TF_STDERR,
      scan: { libraries: findCudaLibNames(LDCONFIG_CUDA12), toolkits: ['12.4'], gpus: ['NVIDIA GeForce RTX 4090'] },
      platform: 'linux',
    });
    const text = advice.join('\n');
    expect(text).toContain('CUDA 11.2 + cuDNN 8.1');
    expect(text).toContain('libcudart.so.11.0');
    expect(text).toContain('libcudnn.so.8');
    expect(text).toContain('CUDA toolkit 12.4');
    expect(text).toContain('libcudart.so.12');
    expect(text).toMatch(/cuda-libraries-11-2|cudatoolkit=11.2/);
    expect(text).toMatch(/cudnn=8\.1|libcudnn8=8\.1/);
    expect(text).toContain('LD_LIBRARY_PATH');
    expect(text).not.toContain('install the NVIDIA driver');
  });

  it('asks only for cuDNN when the CUDA 11.2 libraries are all present', () => {
    const libs = ['libcudart.so.11.0', 'libcublas.so.11', 'libcublasLt.so.11', 'libcufft.so.10', 'libcurand.so.10', 'libcusolver.so.11', 'libcusparse.so.11'];
    const advice = gpuAdvice({ loadError: "Could not load dynamic library 'libcudnn.so.8'", scan: { libraries: libs, toolkits: ['11.2'], gpus: ['Tesla T4'] }, platform: 'linux' }).join('\n');
    expect(advice).toContain('libcudnn.so.8');
    expect(advice).not.toContain('cuda-libraries-11-2');
    expect(advice).toMatch(/cuDNN 8\.1/);
  });

  it('points at the driver when no GPU is visible', () => {
    const advice = gpuAdvice({ loadError: TF_STDERR, scan: { libraries: [], toolkits: [], gpus: [] }, platform: 'linux' }).join('\n');
    expect(advice).toContain('install the NVIDIA driver');
  });

  it('says nothing when the GPU package is simply not installed and there is no GPU', () => {
    expect(gpuAdvice({ notInstalled: true, scan: { libraries: [], toolkits: [], gpus: [] }, platform: 'linux' })).toEqual([]);
    const withGpu = gpuAdvice({ notInstalled: true, scan: { libraries: [], toolkits: [], gpus: ['RTX 3060'] }, platform: 'linux' }).join('\n');
    expect(withGpu).toContain('npm install @tensorflow/tfjs-node-gpu');
  });
});

describe('parseGpuQuery (nvidia-smi --query-gpu=name,memory.total)', () => {
  it('reads names and total memory in MiB per GPU, names with commas included', () => {
    expect(parseGpuQuery('NVIDIA GeForce RTX 4090, 24564\nTesla T4, 15360\n')).toEqual({
      gpus: ['NVIDIA GeForce RTX 4090', 'Tesla T4'], gpuMemoryMiB: [24564, 15360],
    });
    expect(parseGpuQuery('Quadro, Special Edition, 8192')).toEqual({ gpus: ['Quadro, Special Edition'], gpuMemoryMiB: [8192] });
  });

  it('keeps a GPU whose memory is not reported, and reads nothing from no output', () => {
    expect(parseGpuQuery('Some GPU, [N/A]')).toEqual({ gpus: ['Some GPU'], gpuMemoryMiB: [null] });
    expect(parseGpuQuery('Old GPU')).toEqual({ gpus: ['Old GPU'], gpuMemoryMiB: [null] });
    expect(parseGpuQuery('')).toEqual({ gpus: [], gpuMemoryMiB: [] });
  });
});
