// The Train view's PyTorch job words: the export-job command for the form (every shown field by its flag,
// quoted for a POSIX shell, no run-time workers) and where an imported run was trained.
import { describe, expect, it } from 'vitest';
import { exportJobCommand, originWords, shellQuote } from '../../../renderer/src/lib/pytorch-job';
import { shownValues } from '../../../renderer/src/lib/state/train-presets';

describe('exportJobCommand', () => {
  it('names every field the form shows, by its flag, in one pasteable line', () => {
    const form = shownValues({ ctx: { backend: 'wasm', gpu: false, projectResolution: 32 }, chosen: { method: 'single', steps: 500 } });
    const cmd = exportJobCommand('/home/me/digits', { ...form, workers: 2 }, '/data/job');
    expect(cmd.startsWith('npx s3gan export-job /home/me/digits --method single ')).toBe(true);
    expect(cmd).toContain('--steps 500');
    expect(cmd).toContain(`--batch ${form.batch}`);
    expect(cmd).toContain(`--lr-d ${form.lrD}`);
    expect(cmd).toContain(form.diffaug ? '--diffaug ' : '--diffaug=false');
    expect(cmd).not.toContain('--workers');
    expect(cmd.endsWith('--out /data/job')).toBe(true);
    expect(exportJobCommand('/p', { resume: 'r1', steps: 9 }, '')).toBe('npx s3gan export-job /p --resume r1 --steps 9 --out /path/to/job');
  });

  it('quotes paths for the shell', () => {
    expect(shellQuote('/a/b-c_d.e')).toBe('/a/b-c_d.e');
    expect(shellQuote('/my data')).toBe("'/my data'");
    expect(shellQuote("/it's")).toBe("'/it'\\''s'");
  });
});

describe('originWords', () => {
  const base = { importedFrom: '/jobs/a/run', importedAt: '2026-01-01T00:00:00Z', jobRun: 'r0' };
  it('says PyTorch with the latest session\'s processes and device, details for the tooltip', () => {
    const w = originWords({
      ...base, trainer: 'pytorch', torch: '2.3.0', resumedFrom: { run: 'app-run', step: 40 },
      sessions: [{ fromStep: 0, worldSize: 1, nodes: 1, device: 'cpu', bf16: false }, { fromStep: 100, worldSize: 16, nodes: 2, device: 'cuda', deviceName: 'A100', bf16: true }],
    });
    expect(w.short).toBe('PyTorch · 16 × cuda on 2 nodes');
    expect(w.detail).toContain('torch 2.3.0');
    expect(w.detail).toContain('from step 100: 16 processes on 2 nodes, cuda (A100), bf16');
    expect(w.detail).toContain('continues app-run from step 40');
    expect(originWords({ ...base, trainer: 'app' }).short).toBe('imported');
  });
});
