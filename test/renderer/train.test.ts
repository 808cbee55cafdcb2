// Train view logic: per-backend defaults, cadence of tiny vs long runs, the measured time per 1k
// steps, chart helpers, and live metrics rows from train.metrics events.
import { describe, expect, it } from 'vitest';
import type { ProjectSummary } from '../../shared/contract';
import { fakeApi } from './lib/state/fake-api';

const { api, request } = fakeApi();

const { defaultsFor, formFields, toParams, secondsPer1k, presets, formatDuration } = await import('../../renderer/src/lib/state/train-presets');
const { trainDefaults, TRAIN_FIELD_NAMES } = await import('../../shared/contract');
const { niceTicks, seriesFrom, extent } = await import('../../renderer/src/lib/charts/line-chart');
const { TrainState } = await import('../../renderer/src/lib/state/train.svelte');
const { AppState } = await import('../../renderer/src/lib/state/app.svelte');

describe('train presets and defaults', () => {
  it('explains every method of the paper once', () => {
    expect(presets.map((p) => p.method).sort()).toEqual(['clustering', 'clustering-ss', 'random', 's2gan', 's2gan-co', 's2gan-ss', 's3gan', 'single', 'supervised']);
    expect(presets.find((p) => p.method === 's2gan')?.needs).toBe('infer');
    expect(presets.find((p) => p.method === 'clustering')?.needs).toBe('cluster');
  });

  it('shows the shared defaults for where it trains and sends exactly what it shows', () => {
    const wasm = defaultsFor('wasm', false, 28);
    expect(toParams(wasm)).toEqual(trainDefaults({ backend: 'wasm', gpu: false, projectResolution: 28 }));
    expect(toParams(wasm)).toMatchObject({ method: 's3gan', resolution: 32, steps: 2000, logEvery: 10, emaDecay: 0.995 });
    expect(toParams(defaultsFor('tensorflow', true, 64)).emaDecay).toBe(0.9999);
  });

  it('leaves workers and seed to the engine unless set; dependent defaults follow the user\'s choices', () => {
    const wasm = defaultsFor('wasm', false, 32);
    expect('workers' in toParams(wasm)).toBe(false);
    expect('seed' in toParams(wasm)).toBe(false);
    expect(toParams({ ...wasm, chosen: { workers: 2 } }).workers).toBe(2);
    expect(toParams({ ...wasm, chosen: { ch: 12 } })).toMatchObject({ ch: 12, dCh: 24 }); // D as wide as G
    expect(toParams({ ...wasm, chosen: { steps: 14 } })).toMatchObject({ logEvery: 1, checkpointEvery: 3, gridEvery: 3 });
  });

  it('lists every TrainConfig field but method exactly once across the form\'s two groups', () => {
    const shown = [...formFields('basic'), ...formFields('advanced')].sort();
    expect(shown).toEqual(TRAIN_FIELD_NAMES.filter((k) => k !== 'method').sort());
  });

  it('keeps what the user set when the backend becomes known, and forgets a field set back to empty', () => {
    const app = new AppState(api);
    const project = { current: { settings: { resolution: 64 } } as ProjectSummary };
    const t = new TrainState(api, app, project);
    t.set('batch', 12);
    expect(t.shown).toMatchObject({ batch: 12, resolution: 32, emaDecay: 0.995 }); // backend unknown yet: CPU defaults
    app.info = { backend: { backend: 'tensorflow', gpu: true } } as NonNullable<typeof app.info>;
    expect(t.shown).toMatchObject({ batch: 12, resolution: 64, emaDecay: 0.9999 });
    t.set('batch', undefined);
    expect(t.shown.batch).toBe(64);
  });

  it('estimates seconds per 1k steps from the median step time after warm-up', () => {
    expect(secondsPer1k([])).toBeNull();
    expect(secondsPer1k([{ step: 1, step_s: 9 }, { step: 2, step_s: 0.5 }, { step: 3, step_s: 0.7 }, { step: 4, step_s: 0.6 }])).toBeCloseTo(600);
    expect(formatDuration(600)).toBe('10 min');
  });
});

describe('chart helpers', () => {
  it('makes round ticks and series with gaps for missing keys', () => {
    expect(niceTicks(0, 10, 5)).toEqual([0, 2, 4, 6, 8, 10]);
    const rows: Record<string, number>[] = [{ step: 1, d_loss: 2 }, { step: 2, d_loss: 1, g_loss: 3 }];
    const s = seriesFrom(rows, [{ key: 'd_loss', color: 'red' }, { key: 'g_loss', color: 'blue' }, { key: 'd_rot', color: 'x' }]);
    expect(s.map((x) => [x.name, x.points])).toEqual([['d_loss', [[1, 2], [2, 1]]], ['g_loss', [[2, 3]]]]);
    expect(extent(s)).toEqual({ x0: 1, x1: 2, y0: 1, y1: 3 });
    expect(extent([])).toBeNull();
  });
});

describe('TrainState', () => {
  it('follows the run it launched through train.metrics events and measures its speed', async () => {
    let finish!: (v: unknown) => void;
    request.mockImplementation((name: string) => {
      if (name === 'train.start') return new Promise((r) => (finish = r));
      if (name === 'runs.list') return Promise.resolve({ runs: [] });
      return Promise.resolve({ version: '', mode: 'web', backend: null });
    });
    const t = new TrainState(api, new AppState(api), { current: null });
    const started = t.start();
    expect(t.starting).toBe(true);
    t.onMetrics({ run: 'r1', row: { step: 1, d_loss: 1, step_s: 3 } });
    t.onMetrics({ run: 'other', row: { step: 1, d_loss: 9 } });
    t.onMetrics({ run: 'r1', row: { step: 2, d_loss: 0.5, step_s: 0.2 } });
    t.onMetrics({ run: 'r1', row: { step: 3, d_loss: 0.4, step_s: 0.2 } });
    expect(t.selected).toBe('r1');
    expect(t.rows.map((r) => r.step)).toEqual([1, 2, 3]);
    expect(t.estimate).toBeCloseTo(200);
    finish({ run: 'r1', step: 3, method: 's3gan', backend: 'wasm', img_per_s: 1, losses: {}, checkpoint: null, state: 'done' });
    await started;
    expect(t.starting).toBe(false);
  });
});

describe('TrainState.startLocal', () => {
  it('sends the form to train.runLocal without the app\'s workers and reports the imported run', async () => {
    const app = new AppState(api);
    const notices: string[] = [];
    app.notify = (_kind, text) => void notices.push(text);
    request.mockReset();
    request.mockImplementation((name: string) => {
      if (name === 'train.runLocal') return Promise.resolve({ run: 'r9', step: 4, method: 's3gan', backend: 'pytorch', img_per_s: 1, losses: {}, checkpoint: '/c', state: 'done', origin: { trainer: 'pytorch', importedFrom: '/j', importedAt: '', jobRun: 'r9' } });
      if (name === 'runs.list') return Promise.resolve({ runs: [] });
      return Promise.resolve({ version: '', mode: 'web', backend: null });
    });
    const t = new TrainState(api, app, { current: null });
    t.set('workers', 2);
    t.set('steps', 4);
    await t.startLocal();
    const [, params] = request.mock.calls.find(([name]) => name === 'train.runLocal') as [string, Record<string, unknown>];
    expect(params).toMatchObject({ steps: 4, method: 's3gan' });
    expect(params).not.toHaveProperty('workers');
    expect(notices).toContain('Run r9 finished at step 4');
    expect(t.starting).toBe(false);
  });
});
