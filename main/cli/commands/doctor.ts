import { cpus } from 'node:os';
import { selectBackend, type BackendPreference } from '../../engine/backend/index';
import { parseArgs, UsageError } from '../args';
import type { CliCommand } from '../command';
import { probePytorch } from '../../engine/gan/train/pytorch-probe';

const PREFERENCES = ['auto', 'tensorflow', 'wasm', 'cpu'];

const command: CliCommand = {
  summary: 'Show which compute backend (tensorflow GPU/CPU, wasm, cpu) is used and why, and whether a local PyTorch can run a job',
  usage: 's3gan doctor [--backend auto|tensorflow|wasm|cpu] [--json]',
  async run(argv, io) {
    const { flags } = parseArgs(argv, { backend: 'string' });
    const prefer = (flags.backend as string | undefined) ?? 'auto';
    if (!PREFERENCES.includes(prefer)) throw new UsageError(`--backend must be one of ${PREFERENCES.join(', ')}`);
    const info = await selectBackend({ prefer: prefer as BackendPreference });
    if (!io.json) {
      for (const t of info.tried) io.log(`  ${t.ok ? 'ok  ' : 'skip'} ${t.backend}${t.reason ? `: ${t.reason}` : ''}`);
      if (info.nativeKernels) io.log(`  ${info.nativeKernels.loaded ? 'ok  ' : 'skip'} native conv kernels: ${info.nativeKernels.detail}`);
      for (const a of info.advice) io.log(`  advice: ${a}`);
    }
    const pytorch = await probePytorch();
    if (!io.json) {
      io.log(pytorch.found
        ? `  ok   PyTorch ${pytorch.torch} (${pytorch.python}) for training jobs, ${pytorch.cuda ? `CUDA: ${pytorch.gpus} GPU(s)` : 'no CUDA: CPU'}`
        : `  skip PyTorch for training jobs: ${pytorch.tried.map((t) => `${t.python}: ${t.reason}`).join('; ')}`);
    }
    return {
      backend: info.backend,
      version: info.version,
      gpu: info.gpu,
      ...(info.gpuName ? { gpuName: info.gpuName } : {}),
      ...(info.gpuMemoryMiB ? { gpuMemoryMiB: info.gpuMemoryMiB } : {}),
      ...(info.nativeKernels ? { nativeKernels: info.nativeKernels } : {}),
      tried: info.tried,
      advice: info.advice,
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      cpus: cpus().length,
      pytorch,
    };
  },
};
export default command;
