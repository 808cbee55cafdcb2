// Request handlers of GAN training (train.*, runs.* incl. saved grids, sample.grid, samples.export). A training runs as an engine job;
// pause / resume / stop flip the run's control object, which the loop checks between steps.
// S3GAN_TEST_STEP_DELAY_MS (tests only) sleeps that long after every step so UI tests can act mid-run.
import { isAbsolute } from 'node:path';
import { ContractError, type RunSummary } from '../../shared/contract';
import type { EngineContext } from './base/engine-context';
import type { LoopControl } from './gan/train/loop';
import { runTraining } from './gan/train/run-train';
import { importRun } from './gan/train/import-run';
import { exportJob } from './gan/train/export-job';
import { runLocalJob } from './gan/train/local-job';
import { probePytorch, type PytorchProbe } from './gan/train/pytorch-probe';
import { listRuns, readMetrics, readRunState, runDir } from './gan/run/run-store';
import { interruption } from './gan/run/run-interrupted';
import { sampleGrid, savedGrid } from './gan/sample/grid';
import { exportSamples } from './gan/sample/export-samples';
import type { Handlers } from './base/handlers';

export const STEP_DELAY_ENV = 'S3GAN_TEST_STEP_DELAY_MS';

function stepDelay(): number | undefined {
  const ms = Number(process.env[STEP_DELAY_ENV]);
  return Number.isFinite(ms) && ms > 0 ? ms : undefined;
}

export function createTrainHandlers(engine: EngineContext): Handlers {
  const live = new Map<string, LoopControl>();
  let pytorch: Promise<PytorchProbe> | null = null;
  const probe = () => (pytorch ??= probePytorch());
  const control = (run: string): LoopControl => {
    const c = live.get(run);
    if (!c) throw new ContractError('NOT_FOUND', `run ${run} is not training in this engine`);
    return c;
  };
  return {
    'train.start': (params) => engine.runJob('train', async (job) => {
      const project = engine.project();
      const ctl: LoopControl = { paused: false, stopped: false };
      job.signal.addEventListener('abort', () => (ctl.stopped = true), { once: true });
      let run: string | null = null;
      const delay = stepDelay();
      try {
        return await runTraining(project, params, {
          control: ctl,
          onRun: (id) => {
            run = id;
            live.set(id, ctl);
          },
          onLog: (id, row) => engine.emit('train.metrics', { run: id, row: { ...row } }),
          progress: (done, total, message) => job.progress(done, total, 'train', message),
          ...(delay ? { stepDelayMs: delay } : {}),
        });
      } finally {
        if (run) live.delete(run);
      }
    }),
    'train.pause': async ({ run }) => {
      control(run).paused = true;
      return { ok: true };
    },
    'train.resume': async ({ run }) => {
      control(run).paused = false;
      return { ok: true };
    },
    'train.stop': async ({ run }) => {
      const c = control(run);
      c.stopped = true;
      c.paused = false;
      return { ok: true };
    },
    'runs.list': async () => {
      const projectDir = engine.project().dir;
      const runs = listRuns(projectDir).map((r) => {
        const c = live.get(r.run);
        const interrupted = interruption(r, runDir(projectDir, r.run), c !== undefined);
        // A run recorded as running that no engine drives any more was interrupted: say so.
        const recorded = r.state?.state ?? 'stopped';
        const state: RunSummary['state'] = c ? (c.paused ? 'paused' : 'running') : recorded === 'running' || recorded === 'paused' ? 'stopped' : recorded;
        return {
          run: r.run, method: r.config.method, step: r.state?.step ?? r.checkpoints.at(-1) ?? 0, steps: r.config.train.steps, state,
          checkpoints: r.checkpoints, grids: r.grids, createdAt: r.config.createdAt,
          ...(interrupted ? { interrupted } : {}),
          ...(r.origin ? { origin: r.origin } : {}),
        };
      });
      return { runs };
    },
    'train.exportJob': ({ out, overwrite, ...train }) => engine.runJob('export', async (job) => {
      const project = engine.project();
      job.progress(0, 1, 'export', 'writing the job\'s data');
      const { backend } = await (await import('./backend')).selectBackend({ prefer: project.settings().backend });
      const r = await exportJob(project, train, { out, backend, overwrite: overwrite === true });
      job.progress(1, 1, 'export', `job for ${r.run} written`);
      return { out: r.out, run: r.run, images: r.images, method: r.config.method, steps: r.config.train.steps, ...(r.fromStep !== undefined ? { fromStep: r.fromStep } : {}) };
    }),
    'train.pytorch': () => probe(),
    'train.runLocal': (params) => engine.runJob('train', async (job) => {
      const found = await probe();
      if (!found.found) throw new ContractError('STAGE_MISSING', `No local PyTorch to run the job: ${found.tried.map((t) => `${t.python}: ${t.reason}`).join('; ')}. Install torch and numpy (Debian: apt-get install python3-torch) or set S3GAN_PYTHON`);
      const project = engine.project();
      const { backend } = await (await import('./backend')).selectBackend({ prefer: project.settings().backend });
      return runLocalJob(project, params, { python: found.python, gpus: found.cuda ? found.gpus : 0, backend, hooks: { signal: job.signal, progress: (done, total, message) => job.progress(done, total, 'train', message) } });
    }),
    'runs.import': async ({ dir }) => {
      const project = engine.project();
      await (await import('./backend')).selectBackend({ prefer: project.settings().backend });
      const { run, step, origin } = await importRun(project, dir);
      return { run, step, origin };
    },
    'runs.metrics': async ({ run }) => {
      const dir = runDir(engine.project().dir, run);
      if (!readRunState(dir) && readMetrics(dir).length === 0) throw new ContractError('NOT_FOUND', `no run ${run}`);
      return { run, rows: readMetrics(dir) };
    },
    'runs.grid': async ({ run, step }) => savedGrid(engine.project().dir, run, step),
    'sample.grid': async (params) => sampleGrid(engine.project().dir, params),
    'samples.export': (params) => engine.runJob('export', async (job) => {
      if (!isAbsolute(params.out)) throw new ContractError('INVALID_PAYLOAD', `out must be an absolute folder path, got "${params.out}"`);
      await (await import('./backend')).selectBackend({ prefer: engine.project().settings().backend });
      return exportSamples(engine.project().dir, { ...params, progress: (done, total) => job.progress(done, total, 'export', `${done} of ${total} images`), throwIfCancelled: () => job.throwIfCancelled() });
    }),
  };
}
