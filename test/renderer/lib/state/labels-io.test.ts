// Issue 15 (renderer): labels import previews before applying; export and the dataset export ask before
// replacing (CONFLICT) and retry with overwrite; the metrics table's columns; the Train form's memory.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { evaluatedRows, metricColumns } from '../../../../renderer/src/lib/charts/metrics-table';
import { importSummary, LabelsIoState } from '../../../../renderer/src/lib/state/labels-io.svelte';
import { exportParams, SampleExportState } from '../../../../renderer/src/lib/state/sample-export.svelte';
import { loadChosen, memoryKey, saveChosen } from '../../../../renderer/src/lib/state/train-memory';
import { fakeApi } from './fake-api';

const conflict = Object.assign(new Error('not empty'), { code: 'CONFLICT' });
const report = { applied: 2, created: ['dog'], unknown: ['/x.png'], bad: [], conflicts: [{ path: '/a.png', current: 'cat', incoming: 'dog' }] };

describe('labels import / export', () => {
  const { api, request } = fakeApi();
  beforeEach(() => request.mockReset());

  it('previews with dryRun, then applies the same file without it', async () => {
    const io = new LabelsIoState(api, vi.fn());
    request.mockResolvedValueOnce(report);
    await io.previewImport('/l.csv', false);
    expect(request).toHaveBeenLastCalledWith('labels.import', { file: '/l.csv', fromFolders: false, dryRun: true });
    expect(importSummary(io.preview!, false)).toBe('2 images would be labeled · would create class dog · 1 label would be replaced · 1 unknown path');
    request.mockResolvedValueOnce({ ...report, conflicts: undefined });
    expect(await io.applyImport()).toBe(true);
    expect(request).toHaveBeenLastCalledWith('labels.import', { file: '/l.csv', fromFolders: false });
    expect(io.preview).toBeNull();
    expect(io.done).toMatch(/^Imported: 2 images labeled .*1 label replaced.*one undo step/);
  });

  it('export asks on CONFLICT and retries with overwrite only when the user agrees', async () => {
    const ask = vi.fn().mockResolvedValueOnce(false).mockResolvedValueOnce(true);
    const io = new LabelsIoState(api, ask);
    request.mockRejectedValueOnce(conflict);
    await io.exportLabels('csv', '/o.csv', false);
    expect(request).toHaveBeenCalledTimes(1);
    request.mockRejectedValueOnce(conflict).mockResolvedValueOnce({ written: 3, out: '/o.csv' });
    await io.exportLabels('csv', '/o.csv', false);
    expect(request).toHaveBeenLastCalledWith('labels.export', { format: 'csv', out: '/o.csv', inferred: false, overwrite: true });
    expect(io.done).toBe('Exported 3 labels to /o.csv');
  });
});

describe('dataset export (samples.export)', () => {
  const { api, request } = fakeApi();
  const form = { perClass: 5, out: '/data/gen', truncation: 0, seed: null };

  it('builds the request and refuses a relative folder', () => {
    expect(exportParams('r1', 40, form)).toEqual({ params: { run: 'r1', step: 40, perClass: 5, out: '/data/gen' } });
    expect(exportParams('r1', null, { ...form, truncation: 0.5, seed: 3 })).toEqual({ params: { run: 'r1', perClass: 5, out: '/data/gen', truncation: 0.5, seed: 3 } });
    expect(exportParams('r1', 1, { ...form, out: 'gen' })).toMatchObject({ invalid: expect.stringMatching(/absolute/) });
    expect(exportParams(null, 1, form)).toMatchObject({ invalid: expect.any(String) });
  });

  it('asks when the folder is not empty, then retries with overwrite', async () => {
    const s = new SampleExportState(api, vi.fn().mockResolvedValue(true));
    s.form = { ...form };
    const result = { out: '/data/gen', run: 'r1', step: 40, images: 10, classes: ['a', 'b'] };
    request.mockRejectedValueOnce(conflict).mockResolvedValueOnce(result);
    expect(await s.run('r1', 40)).toBe(true);
    expect(request).toHaveBeenLastCalledWith('samples.export', { run: 'r1', step: 40, perClass: 5, out: '/data/gen', overwrite: true });
    expect(s.result).toEqual(result);
  });
});

describe('metrics table', () => {
  it('one column per metric with its unit, known metrics first; only evaluated steps', () => {
    const rows: Record<string, number>[] = [{ step: 1, d_loss: 1 }, { step: 10, eval_samples: 300, eval_cas: 0.5, eval_fd_ss: 12, eval_new_thing: 2 }];
    expect(metricColumns(rows).map((c) => [c.label, c.unit !== ''])).toEqual([['FD-SS', true], ['CAS', true], ['Samples', true], ['new_thing', false]]);
    expect(metricColumns(rows)[1]!.format(0.5)).toBe('50.0 %');
    expect(evaluatedRows(rows).map((r) => r.step)).toEqual([10]);
  });
});

describe('train form memory', () => {
  it('remembers what the user set per project, dropping unknown fields', () => {
    const data = new Map<string, string>();
    const store = { getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v), removeItem: (k: string) => void data.delete(k) };
    saveChosen('/p', { steps: 500, method: 'random' }, store);
    expect(loadChosen('/p', store)).toEqual({ steps: 500, method: 'random' });
    expect(loadChosen('/other', store)).toEqual({});
    data.set(memoryKey('/p'), JSON.stringify({ steps: 7, bogus: 1 }));
    expect(loadChosen('/p', store)).toEqual({ steps: 7 });
    saveChosen('/p', {}, store);
    expect(data.size).toBe(0);
  });
});
