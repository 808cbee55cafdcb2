// Launching the job under torchrun from tests: one launcher (spawnSync) or several at once (async, for
// the two-"node" loopback run). `python -m s3gan_job.launch` is torch.distributed.run with the package's
// fix for torch 1.13 on Python 3.11.
import { spawn, type SpawnSyncReturns } from 'node:child_process';
import { freePort } from '../../../main/engine/gan/train/local-job';
import { PACKAGE_ROOT, PYTHON, runPython } from './job-fixture';

const JOB_FLAGS = (job: string) => ['-m', 's3gan_job', '--job', job, '--threads', '1', '--freeze-g-bn', '--rank-checksums', '--timeout', '120'];

export function torchrunStandalone(job: string, nproc: number, extra: string[] = [], expectOk = true): SpawnSyncReturns<string> {
  return runPython(['-m', 's3gan_job.launch', '--standalone', '--nproc_per_node', String(nproc), ...JOB_FLAGS(job), ...extra], {}, expectOk);
}

export { freePort };

function launcher(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(PYTHON, args, { env: { ...process.env, PYTHONPATH: PACKAGE_ROOT, OMP_NUM_THREADS: '1' } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { out += d.toString(); });
    child.on('exit', (code) => resolve({ code, out }));
  });
}

/** Two torchrun launchers on this machine as nodes 0 and 1 of a c10d rendezvous on 127.0.0.1. */
export async function torchrunTwoNodes(job: string): Promise<void> {
  const port = await freePort();
  const node = (rank: number) => launcher([
    '-m', 's3gan_job.launch', '--nnodes', '2', '--node_rank', String(rank), '--nproc_per_node', '1',
    '--rdzv_backend', 'c10d', '--rdzv_endpoint', `127.0.0.1:${port}`, '--rdzv_id', `s3gan-test-${port}`, ...JOB_FLAGS(job),
  ]);
  const results = await Promise.all([node(0), node(1)]);
  results.forEach((r, i) => {
    if (r.code !== 0) throw new Error(`node ${i} exited ${r.code}:\n${r.out}`);
  });
}
