// `demo.create`: builds (or reopens) the MNIST demo project as one cancellable 'import' job, through
// the same code as `s3gan demo` (pipeline/demo-project.ts), calling the engine's own handlers.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { ContractError, type Params, type RequestName } from '../../shared/contract';
import type { Handler, Handlers } from './base/handlers';
import type { JobContext } from './base/job-context';
import type { RunJob } from './project/label-handlers';
import type { ProjectSession } from './project/session';
import { IN_PROGRESS, prepareDemoProject, type CallFn } from './pipeline/demo-project';

export const DEMO_DEFAULTS = { images: 1000, labelsPerClass: 5, seed: 0 } as const;

export function defaultDemoPath(): string {
  return join(homedir(), 'S3GAN Demo');
}

/** `inner` are the engine's unguarded handlers (the demo's own project.create must not cancel its job). */
export function createDemoHandlers(session: ProjectSession, inner: Handlers, runJob: RunJob): Handlers {
  return {
    'demo.create': async (params, ctx) => {
      const out = resolve(params.path ?? defaultDemoPath());
      const spec = { images: params.images ?? DEMO_DEFAULTS.images, labelsPerClass: params.labelsPerClass ?? DEMO_DEFAULTS.labelsPerClass, seed: DEMO_DEFAULTS.seed };
      await runJob('import', async (job) => {
        const call = callThrough(session, inner, job, ctx.emit);
        try {
          await prepareDemoProject(out, spec, call, (m) => job.progress(0, 0, 'demo', m), job);
        } catch (e) {
          // An unfinished demo (its marker says so) is rebuilt next time: do not leave it open.
          if (session.maybeCurrent()?.dir === out && existsSync(join(out, IN_PROGRESS))) await session.close();
          throw e;
        }
      }, ctx.signal);
      return session.summary();
    },
  };
}

/** Calls handlers in-process; the import runs inside the demo's job so there is one job to watch and cancel. */
function callThrough(session: ProjectSession, inner: Handlers, job: JobContext, emit: Parameters<Handler<RequestName>>[1]['emit']): CallFn {
  return (async (name: RequestName, params: Params<RequestName>) => {
    if (name === 'images.import') {
      const project = session.current();
      const report = await project.importFolders((params as Params<'images.import'>).folders, job);
      session.watchFolders(project.manifest.folders);
      job.throwIfCancelled();
      return report;
    }
    const handler = inner[name] as Handler<RequestName> | undefined;
    if (!handler) throw new ContractError('UNKNOWN_REQUEST', `The engine does not handle "${name}"`);
    return handler(params, { emit, signal: job.signal });
  }) as CallFn;
}
