// Whether this machine can run a PyTorch job locally (issue 13): the first Python of S3GAN_PYTHON,
// python3 on PATH, /usr/bin/python3 that imports torch and numpy, its torch version and CUDA devices.
// Debian's python3-torch lives under /usr/bin/python3 while PATH often starts with another Python.
import { spawnSync } from 'node:child_process';

export type PytorchProbe =
  | { found: true; python: string; torch: string; cuda: boolean; gpus: number }
  | { found: false; tried: { python: string; reason: string }[] };

const PROBE = 'import json, numpy, torch; print(json.dumps({"torch": torch.__version__, "cuda": torch.cuda.is_available(), "gpus": torch.cuda.device_count()}))';

export function pythonCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  return [...new Set([env.S3GAN_PYTHON, 'python3', '/usr/bin/python3'].filter((p): p is string => !!p))];
}

export function probePytorch(candidates = pythonCandidates()): PytorchProbe {
  const tried: { python: string; reason: string }[] = [];
  for (const python of candidates) {
    const r = spawnSync(python, ['-c', PROBE], { encoding: 'utf8', timeout: 60_000 });
    if (r.status === 0) {
      const info = JSON.parse(r.stdout.trim().split('\n').pop()!) as { torch: string; cuda: boolean; gpus: number };
      return { found: true, python, ...info };
    }
    tried.push({ python, reason: (r.error?.message ?? r.stderr.trim().split('\n').pop() ?? `exit ${r.status}`) || `exit ${r.status}` });
  }
  return { found: false, tried };
}
