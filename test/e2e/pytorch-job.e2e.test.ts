// Issue 13 in the Train view (web mode): "Run on another machine…" shows the export-job command for the
// form and writes the job; "Import run…" in the Runs list brings a job folder back as a new run whose
// origin (PyTorch, processes × device) is shown, and a folder that is no job is refused in words; with a
// local PyTorch (Debian's python3-torch under /usr/bin/python3), "Train with … (run locally)" trains the
// run as a job and it appears in the list as PyTorch · 1 × cpu.
// No PyTorch needed: the job's run/ is an app run of the same flags with the trainer's origin.json
// (the torch-gated round trip in test/resources/pytorch-job imports a real job).
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot } from './helpers/browser';
import { closeProject, openWebApp, serveImportedProject, type ServedProject, type WebApp } from './helpers/project';
import { apiCall, tempDir } from './helpers/server';
import { torchMissing } from '../resources/pytorch-job/job-fixture';

const missing = torchMissing();
if (missing && process.env.CI === 'true') throw new Error(`CI=true requires the PyTorch job's tests: ${missing}`);

interface RunSummary { run: string; origin?: { trainer: string } }

describe('PyTorch job in the Train view (web mode)', () => {
  let project: ServedProject;
  let app: WebApp;
  let jobs = '';

  beforeAll(async () => {
    project = await serveImportedProject('s3gan-e2e-job-', { count: 12, size: 16 }, { env: { OMP_NUM_THREADS: '1' } });
    jobs = await tempDir('s3gan-e2e-jobs-');
    app = await openWebApp(project.served);
  });

  afterAll(() => closeProject(project, app));

  it('shows the export-job command for the form and writes the job', async () => {
    const { page } = app.opened;
    await page.getByTestId('nav-train').click();
    await page.getByTestId('preset-single').check();
    await page.getByTestId('train-resolution').selectOption('8');
    await page.getByTestId('train-steps').fill('2');
    await page.getByTestId('train-steps').press('Tab');
    await page.getByTestId('train-elsewhere').click();
    const out = join(jobs, 'job');
    await page.getByTestId('job-out').fill(out);
    const command = (await page.getByTestId('job-command').textContent()) ?? '';
    expect(command).toMatch(new RegExp(`^npx s3gan export-job ${project.projectDir} --method single .*--resolution 8 .*--steps 2 .*--out ${out}$`));
    await page.getByTestId('job-export').click();
    await expect.poll(() => page.getByTestId('job-done').count(), { timeout: 60_000 }).toBe(1);
    expect(await page.getByTestId('job-done').textContent()).toContain(`${out}/run.sh`);
    expect(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'))).toMatchObject({ method: 'single', gan: { resolution: 8 }, train: { steps: 2 } });
    expect(existsSync(join(out, 'run.sh'))).toBe(true);
  });

  it('imports the job\'s run as a new run with its origin; a folder that is no job is refused in words', async () => {
    const { page } = app.opened;
    const out = join(jobs, 'job');
    const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')) as { train: { seed: number } };
    // The job's run/: an app run of the same flags (same format), with the trainer's origin record.
    const trained = await apiCall<{ run: string }>(project.served, 'train.start', { method: 'single', resolution: 8, steps: 2, seed: config.train.seed, ch: 2, gridEvery: 0 });
    cpSync(join(project.projectDir, 'runs', trained.run), join(out, 'run'), { recursive: true });
    writeFileSync(join(out, 'run', 'origin.json'), JSON.stringify({ trainer: 'pytorch', torch: '2.3.0', sessions: [{ fromStep: 0, worldSize: 8, nodes: 1, device: 'cuda', bf16: false }] }));

    await page.getByTestId('import-run-open').click();
    await page.getByTestId('import-run-dir').fill(jobs);
    await page.getByTestId('import-run-go').click();
    await expect.poll(() => page.getByTestId('import-run-error').textContent()).toMatch(/neither a PyTorch job folder/);
    await page.getByTestId('import-run-dir').fill(out);
    await page.getByTestId('import-run-go').click();
    await expect.poll(() => page.getByTestId('run-origin').count(), { timeout: 30_000 }).toBe(1);
    expect(await page.getByTestId('run-origin').textContent()).toBe('PyTorch · 8 × cuda');
    const runs = (await apiCall<{ runs: RunSummary[] }>(project.served, 'runs.list')).runs;
    expect(runs).toHaveLength(2);
    expect(runs.filter((r) => r.origin?.trainer === 'pytorch')).toHaveLength(1);
    await screenshot(page, 'train-pytorch-job');
    // The one refusal above answered 400 (the browser logs it too); nothing else went wrong.
    const [refusal, others] = [app.opened.errors.filter((e) => e.includes('/api/runs.import')), app.opened.errors.filter((e) => !e.includes('/api/runs.import'))];
    expect(others).toEqual([]);
    expect(refusal).toHaveLength(2);
  });

  it('"Continue elsewhere…" on a finished app run exports a job that resumes it from its newest checkpoint', async () => {
    const { page } = app.opened;
    const appRun = (await apiCall<{ runs: (RunSummary & { step: number; checkpoints: number[] })[] }>(project.served, 'runs.list')).runs.find((r) => !r.origin)!;
    expect(appRun.checkpoints).toContain(2);
    await page.locator(`[data-testid="run-row"][data-run="${appRun.run}"]`).getByTestId('run-elsewhere').click();
    await expect.poll(() => page.locator('#elsewhere-title').textContent()).toContain(`Continue ${appRun.run}`);
    const out = join(jobs, 'continued');
    await page.getByTestId('job-out').fill(out);
    await page.getByTestId('job-steps').fill('6');
    await expect.poll(() => page.getByTestId('job-command').textContent()).toBe(`npx s3gan export-job ${project.projectDir} --resume ${appRun.run} --steps 6 --out ${out}`);
    await page.getByTestId('job-export').click();
    await expect.poll(() => page.getByTestId('job-done').textContent(), { timeout: 60_000 }).toContain('from step 2 to 6');
    expect(JSON.parse(readFileSync(join(out, 'job.json'), 'utf8'))).toMatchObject({ resumedFrom: { run: appRun.run, step: 2 } });
    expect(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'))).toMatchObject({ run: appRun.run, method: 'single', train: { steps: 6 } });
    expect(existsSync(join(out, 'run', 'checkpoints'))).toBe(true);
    // The form's own button shows a new run's command again.
    await page.getByTestId('train-elsewhere').click();
    await page.getByTestId('train-elsewhere').click();
    await expect.poll(() => page.getByTestId('job-command').textContent()).toMatch(/--method single/);
  });

  it.skipIf(missing !== null)(`runs the form's run locally on PyTorch and imports it${missing ? ` (skipped: ${missing})` : ''}`, async () => {
    const { page } = app.opened;
    await page.getByTestId('train-target').selectOption('pytorch', { timeout: 60_000 }); // shown once the engine found torch
    await page.getByTestId('train-steps').fill('3');
    await page.getByTestId('train-steps').press('Tab');
    await page.getByTestId('train-start').click();
    await expect.poll(async () => (await page.getByTestId('run-origin').allTextContents()).join(' | '), { timeout: 120_000 }).toContain('PyTorch · 1 × cpu');
    const runs = (await apiCall<{ runs: (RunSummary & { step: number })[] }>(project.served, 'runs.list')).runs;
    expect(runs).toHaveLength(3);
    expect(runs.filter((r) => r.origin?.trainer === 'pytorch').map((r) => r.step)).toContain(3);
    expect(app.opened.errors.filter((e) => !e.includes('/api/runs.import'))).toEqual([]);
  });
});
