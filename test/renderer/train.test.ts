// Train view logic: per-backend defaults, cadence of tiny vs long runs, the measured time per 1k
// steps, chart helpers, and live metrics rows from train.metrics events.
import { describe, expect, it, vi } from 'vitest';

const request = vi.fn();
vi.mock('../../renderer/src/lib/api', () => ({ api: { request: (...a: unknown[]) => request(...a) }, errorMessage: String }));

const { defaultsFor, cadence, toParams, secondsPer1k, presets, formatDuration } = await import('../../renderer/src/lib/state/train-presets');
const { niceTicks, seriesFrom, extent } = await import('../../renderer/src/lib/charts/line-chart');
const { TrainState } = await import('../../renderer/src/lib/state/train.svelte');
const { AppState } = await import('../../renderer/src/lib/state/app.svelte');

describe('train presets and defaults', () => {
  it('explains every method of the paper once', () => {
    expect(presets.map((p) => p.method).sort()).toEqual(['clustering', 'clustering-ss', 'random', 's2gan', 's2gan-co', 's2gan-ss', 's3gan', 'single', 'supervised']);
    expect(presets.find((p) => p.method === 's2gan')?.needs).toBe('infer');
    expect(presets.find((p) => p.method === 'clustering')?.needs).toBe('cluster');
  });

  it('is smaller on wasm/cpu than on a GPU, never above the project resolution', () => {
    const gpu = defaultsFor('tensorflow', true, 128);
    const wasm = defaultsFor('wasm', false, 128);
    const cpu = defaultsFor('cpu', false, 128);
    expect(gpu.resolution).toBeGreaterThan(wasm.resolution);
    expect(wasm.ch * wasm.batch).toBeLessThan(gpu.ch * gpu.batch);
    expect(cpu.ch * cpu.batch).toBeLessThan(wasm.ch * wasm.batch);
    expect(defaultsFor('wasm', false, 28).resolution).toBe(32); // MNIST 28 px → the next supported size
    expect(defaultsFor('wasm', false, 16).resolution).toBe(16);
    expect(wasm.lrD).toBeGreaterThanOrEqual(2 * wasm.lrG);
  });

  it('logs every step in tiny runs and checkpoints about 5 times per run', () => {
    expect(cadence(14)).toMatchObject({ logEvery: 1, checkpointEvery: 3, gridEvery: 3 });
    expect(cadence(20_000)).toMatchObject({ logEvery: 10, checkpointEvery: 200 });
    expect(toParams(defaultsFor('wasm', false, 32))).toMatchObject({ method: 's3gan', steps: 2000, logEvery: 10, diffaug: true });
  });

  it('leaves workers and D width to the engine unless the user sets them; EMA suits the run length', () => {
    const wasm = defaultsFor('wasm', false, 32);
    expect('workers' in toParams(wasm)).toBe(false);
    expect(toParams({ ...wasm, workers: 2 }).workers).toBe(2);
    expect('dCh' in toParams(wasm)).toBe(false); // the engine's default: D as wide as G
    expect(toParams({ ...wasm, dCh: 24 }).dCh).toBe(24);
    expect(wasm.ema).toBe(0.995);
    expect(defaultsFor('tensorflow', true, 64).ema).toBe(0.9999);
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
    const t = new TrainState(new AppState());
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
