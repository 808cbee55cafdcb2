// The local PyTorch probe (s3gan doctor, the Train view's launch target): the first of S3GAN_PYTHON, python3, /usr/bin/python3 importing torch.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { probePytorch, pythonCandidates } from '../../../../../main/engine/gan/train/pytorch-probe';

const torchHere = spawnSync('/usr/bin/python3', ['-c', 'import torch, numpy'], { encoding: 'utf8' }).status === 0;

describe('PyTorch probe', () => {
  it('tries S3GAN_PYTHON, then python3 on PATH, then /usr/bin/python3', () => {
    expect(pythonCandidates({ S3GAN_PYTHON: '/opt/py/bin/python' })).toEqual(['/opt/py/bin/python', 'python3', '/usr/bin/python3']);
    expect(pythonCandidates({})).toEqual(['python3', '/usr/bin/python3']);
  });

  it('says why each candidate failed when none imports torch', async () => {
    const r = await probePytorch(['/nonexistent/python3']);
    expect(r).toEqual({ found: false, tried: [{ python: '/nonexistent/python3', reason: expect.stringMatching(/ENOENT/) }] });
  });

  it.skipIf(!torchHere && process.env.CI !== 'true')('finds Debian\'s torch past a Python without it', async () => {
    const r = await probePytorch(['/nonexistent/python3', '/usr/bin/python3']);
    expect(r).toMatchObject({ found: true, python: '/usr/bin/python3', cuda: expect.any(Boolean), gpus: expect.any(Number) });
    expect(r.found && r.torch).toMatch(/^\d+\.\d+/);
  });
});
