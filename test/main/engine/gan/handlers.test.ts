import { beforeAll, describe, expect, it } from 'vitest';
import type { EventName, EventPayload, TrainResult } from '../../../../shared/contract';
import type { EngineContext } from '../../../../main/engine/base/engine-context';
import { createJobContext } from '../../../../main/engine/base/job-context';
import type { Handler, Handlers } from '../../../../main/engine/base/handlers';
import { createTrainHandlers, STEP_DELAY_ENV } from '../../../../main/engine/train-handlers';
import { fakeProject } from './fake-project';
import { useBackend } from './helpers';

beforeAll(() => useBackend('wasm'));

function engine() {
  const project = fakeProject({ n: 24 });
  const events: { name: EventName; payload: unknown }[] = [];
  const emit = <E extends EventName>(name: E, payload: EventPayload<E>) => void events.push({ name, payload });
  const ctx: EngineContext = { project: () => project, emit, runJob: (kind, fn) => fn(createJobContext(kind, emit)) };
  const handlers = createTrainHandlers(ctx);
  const call = <K extends keyof Handlers>(name: K, params: unknown) => (handlers[name] as Handler<K>)(params as never, { emit });
  return { ctx, events, call };
}

const until = async (cond: () => boolean) => {
  for (let i = 0; i < 2000 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!cond()) throw new Error('timed out');
};

describe('train handlers', () => {
  it('stream metrics, pause, resume and stop a run; runs.list / runs.metrics / sample.grid', async () => {
    process.env[STEP_DELAY_ENV] = '30';
    const e = engine();
    try {
      const started = e.call('train.start', { method: 's3gan', steps: 200, resolution: 16, ch: 4, batch: 8, logEvery: 1, gridEvery: 0, seed: 2 }) as Promise<TrainResult>;
      await until(() => e.events.some((ev) => ev.name === 'train.metrics'));
      const run = (e.events.find((ev) => ev.name === 'train.metrics')!.payload as { run: string }).run;
      await e.call('train.pause', { run });
      const listed = await e.call('runs.list', {}) as { runs: { run: string; state: string }[] };
      expect(listed.runs.find((r) => r.run === run)?.state).toBe('paused');
      const count = e.events.filter((ev) => ev.name === 'train.metrics').length;
      await new Promise((r) => setTimeout(r, 300));
      // at most the step in flight when pausing finishes
      expect(e.events.filter((ev) => ev.name === 'train.metrics').length).toBeLessThanOrEqual(count + 1);
      await e.call('train.resume', { run });
      await until(() => e.events.filter((ev) => ev.name === 'train.metrics').length > count + 2);
      await e.call('train.stop', { run });
      const result = await started;
      expect(result.state).toBe('stopped');
      expect(result.step).toBeLessThan(200);
      expect(result.checkpoint).toMatch(/ckpt-/);
      const after = await e.call('runs.list', {}) as { runs: { run: string; state: string; checkpoints: number[] }[] };
      expect(after.runs[0]).toMatchObject({ run, state: 'stopped', checkpoints: [result.step] });
      const metrics = await e.call('runs.metrics', { run });
      expect(metrics.rows.length).toBe(result.step);
      const grid = await e.call('sample.grid', { run, n: 3 }) as { png: string; rows: string[] };
      expect(Buffer.from(grid.png, 'base64').subarray(1, 4).toString()).toBe('PNG');
      expect(grid.rows).toEqual(['stripes-h', 'stripes-v', 'stripes-d']);
      await expect(e.call('train.pause', { run })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    } finally {
      delete process.env[STEP_DELAY_ENV];
    }
  }, 180_000);

  it('runs.grid returns the PNG the trainer saved at every listed grid step; NOT_FOUND otherwise', async () => {
    const e = engine();
    const r = await e.call('train.start', { method: 's3gan', steps: 3, resolution: 8, ch: 2, batch: 4, logEvery: 1, gridEvery: 1, checkpointEvery: 2, seed: 3 }) as TrainResult;
    const listed = await e.call('runs.list', {}) as { runs: { run: string; grids: number[]; checkpoints: number[] }[] };
    const summary = listed.runs.find((x) => x.run === r.run)!;
    expect(summary.grids).toEqual([1, 2, 3]);
    for (const step of summary.grids) {
      const g = await e.call('runs.grid', { run: r.run, step }) as { png: string; rows: string[]; step: number };
      expect(Buffer.from(g.png, 'base64').subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      expect(g).toMatchObject({ step, rows: ['stripes-h', 'stripes-v', 'stripes-d'] });
    }
    await expect(e.call('runs.grid', { run: r.run, step: 4 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(e.call('runs.grid', { run: 'no-such-run', step: 1 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(e.call('runs.grid', { run: '../../etc', step: 1 })).rejects.toMatchObject({ code: 'INVALID_PAYLOAD' });
  }, 120_000);
});
