// Issue 14: runs.list reports a run the dead engine left 'running' as interrupted — the step it reached,
// the checkpoint train.start {resume} continues from, and the steps lost — so the UI can offer Resume.
import { rmSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary, TrainResult } from '../../../shared/contract';
import type { EngineContext } from '../../../main/engine/base/engine-context';
import { createJobContext } from '../../../main/engine/base/job-context';
import type { Handler, Handlers } from '../../../main/engine/base/handlers';
import { checkpointPath } from '../../../main/engine/gan/run/checkpoint';
import { runDir, writeRunState } from '../../../main/engine/gan/run/run-store';
import { createTrainHandlers } from '../../../main/engine/train-handlers';
import { fakeProject } from './gan/fake-project';
import { useBackend } from './gan/helpers';

beforeAll(() => useBackend('wasm'));

function handlersFor(project: ReturnType<typeof fakeProject>) {
  const emit = () => undefined;
  const ctx: EngineContext = { project: () => project, emit, runJob: (kind, fn) => fn(createJobContext(kind, emit)) };
  const handlers = createTrainHandlers(ctx);
  return <K extends keyof Handlers>(name: K, params: unknown) => (handlers[name] as Handler<K>)(params as never, { emit });
}

describe('runs.list after an engine crash', () => {
  it('marks a run left running as interrupted at its checkpoint, with the steps lost', async () => {
    const project = fakeProject({ n: 24 });
    const call = handlersFor(project);
    const r = (await call('train.start', { method: 's3gan', steps: 3, resolution: 8, ch: 2, batch: 4, logEvery: 1, gridEvery: 0, checkpointEvery: 2, seed: 1 })) as TrainResult;
    // What a kill -9 after step 3 leaves: 3 rows logged, the newest checkpoint at 2, state still 'running'.
    const dir = runDir(project.dir, r.run);
    rmSync(checkpointPath(dir, 3), { force: true });
    await writeRunState(dir, { state: 'running', step: 2 });

    const { runs } = (await handlersFor(project)('runs.list', {})) as { runs: RunSummary[] }; // a new engine: nothing live
    expect(runs[0]).toMatchObject({ run: r.run, state: 'stopped', interrupted: { step: 3, checkpoint: 2, lost: 1 } });

    await writeRunState(dir, { state: 'stopped', step: 2 });
    expect(((await call('runs.list', {})) as { runs: RunSummary[] }).runs[0]!.interrupted).toBeUndefined();
  }, 120_000);
});
