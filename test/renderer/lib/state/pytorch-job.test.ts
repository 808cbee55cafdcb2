// PytorchJobState: "Export job here" asks before replacing a non-empty folder and never sends workers;
// "Import run…" shows the imported run, and keeps the engine's reason when it refuses.
import { describe, expect, it, vi } from 'vitest';
import { PytorchJobState } from '../../../../renderer/src/lib/state/pytorch-job.svelte';
import { fakeApi } from './fake-api';

function setup(answer = true) {
  const { api, request } = fakeApi();
  const notify = vi.fn();
  const train = { form: { ctx: { backend: 'wasm' as const, gpu: false, projectResolution: 8 }, chosen: { steps: 5, workers: 2 } }, loadRuns: vi.fn(async () => undefined), select: vi.fn(async () => undefined) };
  const ask = vi.fn(async () => answer);
  const project = { current: { path: '/home/me/p' } as never };
  return { s: new PytorchJobState(api, { notify }, project, train, ask), request, notify, train, ask };
}

describe('PytorchJobState', () => {
  it('shows the command for the form and the folder', () => {
    const { s } = setup();
    s.out = '/jobs/x';
    expect(s.command).toMatch(/^npx s3gan export-job \/home\/me\/p --method s3gan .*--steps 5 .*--out \/jobs\/x$/);
  });

  it('exports without workers; a non-empty folder is replaced only after asking', async () => {
    const { s, request, ask } = setup(true);
    s.out = ' /jobs/x ';
    request.mockRejectedValueOnce(Object.assign(new Error('not empty'), { code: 'CONFLICT' })).mockResolvedValueOnce({ out: '/jobs/x', run: 'r1', images: 12, method: 's3gan', steps: 5 });
    expect(await s.exportJob()).toBe(true);
    expect(ask).toHaveBeenCalledOnce();
    const [first, second] = request.mock.calls as [string, Record<string, unknown>][];
    expect(first![0]).toBe('train.exportJob');
    expect(first![1]).toMatchObject({ out: '/jobs/x', steps: 5 });
    expect(first![1]).not.toHaveProperty('workers');
    expect(second![1]).toMatchObject({ overwrite: true });
    expect(s.result?.run).toBe('r1');
  });

  it('keeps the folder when the user declines, and refuses a relative path before asking the engine', async () => {
    const { s, request } = setup(false);
    s.out = 'jobs';
    expect(await s.exportJob()).toBe(false);
    expect(s.error).toMatch(/absolute path/);
    expect(request).not.toHaveBeenCalled();
    s.out = '/jobs/x';
    request.mockRejectedValueOnce(Object.assign(new Error('not empty'), { code: 'CONFLICT' }));
    expect(await s.exportJob()).toBe(false);
    expect(request).toHaveBeenCalledOnce();
  });

  it('asks once for a local PyTorch and words it; without one the launch target stays the app', async () => {
    const { s, request } = setup();
    request.mockResolvedValueOnce({ found: true, python: '/usr/bin/python3', torch: '2.3.0', cuda: true, gpus: 2 });
    await s.loadLocal();
    await s.loadLocal();
    expect(request).toHaveBeenCalledOnce();
    expect(s.localWords).toBe('PyTorch 2.3.0 on 2 CUDA GPUs');
    const none = setup();
    none.s.target = 'pytorch';
    none.request.mockResolvedValueOnce({ found: false, tried: [{ python: 'python3', reason: 'No module named torch' }] });
    await none.s.loadLocal();
    expect(none.s.localWords).toBeNull();
    expect(none.s.target).toBe('app');
  });

  it('imports a run, reloads the list and shows it; a refusal keeps the engine\'s words', async () => {
    const { s, request, train, notify } = setup();
    s.importOpen = true;
    s.importDir = '/jobs/x';
    request.mockResolvedValueOnce({ run: 'r2', step: 20, origin: { trainer: 'pytorch', importedFrom: '/jobs/x/run', importedAt: '', jobRun: 'r1', resumedFrom: { run: 'r0', step: 5 } } });
    expect(await s.importRun()).toBe(true);
    expect(request).toHaveBeenCalledWith('runs.import', { dir: '/jobs/x' });
    expect(train.loadRuns).toHaveBeenCalled();
    expect(train.select).toHaveBeenCalledWith('r2');
    expect(notify).toHaveBeenCalledWith('info', 'Imported r2 at step 20 (continues r0)');
    expect(s.importOpen).toBe(false);
    request.mockRejectedValueOnce(Object.assign(new Error('The job\'s data file /jobs/x/data/images-00000.u8 is corrupt'), { code: 'INVALID_PAYLOAD' }));
    s.importOpen = true;
    expect(await s.importRun()).toBe(false);
    expect(s.importError).toMatch(/is corrupt/);
    expect(s.importOpen).toBe(true);
  });

  it('"Continue elsewhere…" of a run: the command and the export resume that run, only its length sent', async () => {
    const { s, request } = setup();
    s.openForRun({ run: '20261203-010203-s3gan', step: 400, steps: 400 });
    expect(s.open).toBe(true);
    expect(s.continuing?.steps).toBe(800); // a finished run goes twice as far
    s.out = '/jobs/more';
    expect(s.command).toBe('npx s3gan export-job /home/me/p --resume 20261203-010203-s3gan --steps 800 --out /jobs/more');
    request.mockResolvedValueOnce({ out: '/jobs/more', run: '20261203-010203-s3gan', images: 12, method: 's3gan', steps: 800, fromStep: 400 });
    expect(await s.exportJob()).toBe(true);
    expect(request).toHaveBeenCalledWith('train.exportJob', { resume: '20261203-010203-s3gan', steps: 800, out: '/jobs/more' });
    s.continuing!.steps = 400; // not past where the run is: said, nothing sent
    expect(await s.exportJob()).toBe(false);
    expect(s.error).toMatch(/past 400/);
    expect(request).toHaveBeenCalledOnce();
    s.openForForm(); // the form's button: a new run again
    expect(s.continuing).toBeNull();
    expect(s.command).toMatch(/--method s3gan/);
  });

  it('an unfinished run continues to its own length; another project forgets it', () => {
    const { s } = setup();
    s.openForRun({ run: 'r1', step: 150, steps: 400 });
    expect(s.continuing?.steps).toBe(400);
    s.reset();
    expect(s.continuing).toBeNull();
    expect(s.open).toBe(false);
  });
});
