// Whether this machine can run a PyTorch job locally (issue 13): the first Python of S3GAN_PYTHON,
// python3 on PATH, /usr/bin/python3 that imports torch and numpy, its torch version and CUDA devices.
// Debian's python3-torch lives under /usr/bin/python3 while PATH often starts with another Python.
// Asynchronous: importing torch takes seconds, and the engine must keep answering meanwhile.
import { execFile } from 'node:child_process';
import type { z } from 'zod';
import type { PytorchProbe as ProbeSchema } from '../../../../shared/contract';

export type PytorchProbe = z.infer<typeof ProbeSchema>;

const PROBE = 'import json, numpy, torch; print(json.dumps({"torch": torch.__version__, "cuda": torch.cuda.is_available(), "gpus": torch.cuda.device_count()}))';

export function pythonCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  return [...new Set([env.S3GAN_PYTHON, 'python3', '/usr/bin/python3'].filter((p): p is string => !!p))];
}

function run(python: string): Promise<{ ok: true; stdout: string } | { ok: false; reason: string }> {
  return new Promise((resolve) => {
    execFile(python, ['-c', PROBE], { encoding: 'utf8', timeout: 60_000 }, (err, stdout, stderr) => {
      if (!err) resolve({ ok: true, stdout });
      else resolve({ ok: false, reason: (stderr.trim().split('\n').pop() || err.message) ?? `exit ${String(err.code)}` });
    });
  });
}

export async function probePytorch(candidates = pythonCandidates()): Promise<PytorchProbe> {
  const tried: { python: string; reason: string }[] = [];
  for (const python of candidates) {
    const r = await run(python);
    if (r.ok) {
      const info = JSON.parse(r.stdout.trim().split('\n').pop()!) as { torch: string; cuda: boolean; gpus: number };
      return { found: true, python, ...info };
    }
    tried.push({ python, reason: r.reason });
  }
  return { found: false, tried };
}
