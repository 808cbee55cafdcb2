// "Run locally on PyTorch" (issue 13): the run the form describes, exported as a PyTorch job into the
// project's pytorch-jobs/ folder, trained by the job's own run.sh as a child process (one process per
// CUDA GPU, else one), its "step N:" lines turned into progress, then imported as a run of the project.
// Cancelling stops the job's process group; what it checkpointed is still imported (state "stopped").
// A failed job keeps its folder, so it can be rerun by hand (`bash run.sh`) and imported later.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { ContractError, type RunOrigin, type TrainResult } from '../../../../shared/contract';
import type { OpenProject } from '../../base/engine-context';
import { checkpointPath, listCheckpoints } from '../run/checkpoint';
import { readMetrics } from '../run/run-store';
import { exportJob } from './export-job';
import { importRun } from './import-run';
import type { TrainRequest } from './train-request';

export interface LocalJobHooks {
  signal: AbortSignal;
  progress(done: number, total: number, message: string): void;
}

/** A TCP port free on 127.0.0.1 now (torchrun's MASTER_PORT). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Runs `bash run.sh` in its own process group; resolves with its exit code and the end of its output. */
function runScript(jobDir: string, env: Record<string, string>, steps: number, hooks: LocalJobHooks): Promise<{ code: number | null; tail: string[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [join(jobDir, 'run.sh')], { cwd: jobDir, env: { ...process.env, ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const tail: string[] = [];
    const keep = (line: string) => {
      if (!line.trim()) return;
      tail.push(line);
      if (tail.length > 12) tail.shift();
      const step = /^step (\d+):/.exec(line);
      if (step) hooks.progress(Number(step[1]), steps, line);
    };
    for (const stream of [child.stdout, child.stderr]) {
      let buffered = '';
      stream.on('data', (d: Buffer) => {
        const lines = (buffered + d.toString()).split('\n');
        buffered = lines.pop() ?? '';
        lines.forEach(keep);
      });
    }
    // torchrun passes SIGTERM on to its workers; the whole group goes so no rank is left behind.
    const stop = () => {
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        // already gone
      }
    };
    hooks.signal.addEventListener('abort', stop, { once: true });
    child.on('error', reject);
    child.on('close', (code) => {
      hooks.signal.removeEventListener('abort', stop);
      resolve({ code, tail });
    });
  });
}

export async function runLocalJob(project: OpenProject, req: TrainRequest, o: { python: string; gpus: number; backend: string; hooks: LocalJobHooks }): Promise<TrainResult & { origin: RunOrigin }> {
  const jobDir = join(project.dir, 'pytorch-jobs', `job-${new Date().toISOString().replace(/[-:.]/g, '').slice(0, 15)}-${process.pid}`);
  const { workers: _runtimeOnly, ...jobReq } = req;
  const exported = await exportJob(project, jobReq, { out: jobDir, backend: o.backend });
  const steps = exported.config.train.steps;
  const nproc = Math.max(1, o.gpus);
  o.hooks.progress(exported.fromStep ?? 0, steps, `PyTorch job: ${nproc} process${nproc === 1 ? '' : 'es'}${o.gpus > 0 ? ' on CUDA' : ' on the CPU'}`);
  const { code, tail } = await runScript(jobDir, { PYTHON: o.python, NPROC_PER_NODE: String(nproc), MASTER_PORT: String(await freePort()) }, steps, o.hooks);
  const cancelled = o.hooks.signal.aborted;
  const runDir = join(jobDir, 'run');
  if (code !== 0 && !cancelled) {
    throw new ContractError('INTERNAL', `The PyTorch job failed (exit ${String(code)}): ${tail.slice(-4).join(' | ')}. Its folder ${jobDir} is kept: fix the cause, rerun \`bash ${join(jobDir, 'run.sh')}\`, then Import run…`);
  }
  if (listCheckpoints(runDir).length === 0) {
    rmSync(jobDir, { recursive: true, force: true });
    throw new ContractError('CANCELLED', 'The PyTorch job was stopped before its first checkpoint: nothing to import');
  }
  const imported = await importRun(project, jobDir);
  const rows = readMetrics(runDir).filter((r) => r.d_loss !== undefined);
  const last = rows.at(-1) ?? {};
  if (existsSync(join(project.dir, 'runs', imported.run))) rmSync(jobDir, { recursive: true, force: true }); // its run lives on in runs/
  const losses = Object.fromEntries(Object.entries(last).filter(([k]) => /loss|_rot|_class/.test(k)).map(([k, v]) => [k, Math.round(v * 1e5) / 1e5]));
  const state = JSON.parse(readFileSync(join(project.dir, 'runs', imported.run, 'state.json'), 'utf8')) as { state: string };
  return {
    run: imported.run, step: imported.step, method: exported.config.method, backend: 'pytorch', img_per_s: Math.round((last.img_per_s ?? 0) * 1000) / 1000, losses,
    checkpoint: checkpointPath(join(project.dir, 'runs', imported.run), imported.step), state: cancelled || state.state !== 'done' ? 'stopped' : 'done',
    benchmark: exported.config.benchmark, workers: nproc, origin: imported.origin,
  };
}
