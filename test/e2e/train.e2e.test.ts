// Issue #6 must-show (Train view): launch a tiny S³GAN run from the form, see progress and the loss
// chart grow, pause (the step stops advancing) and resume, and find the finished run in the list with
// its checkpoints. Steps are slowed by the test-only S3GAN_TEST_STEP_DELAY_MS (main/engine/train-handlers.ts)
// so the pause lands mid-run; tiny runs log metrics every step.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPage, screenshot, type OpenedPage } from './helpers/browser';
import { closeProject, openWebApp, serveImportedProject, type ServedProject, type WebApp } from './helpers/project';
import { apiCall, type Served } from './helpers/server';

interface Item {
  id: string;
  name: string;
}
interface RunSummary {
  run: string;
  state: string;
  step: number;
  steps: number;
  checkpoints: number[];
}

const STEPS = 14;
const stepOf = async (page: Page) => Number(/step (\d+)/.exec((await page.getByTestId('train-step').textContent()) ?? '')?.[1] ?? -1);
const chartPoints = async (page: Page, id: string) => Number(await page.getByTestId(`chart-${id}`).getAttribute('data-points'));

describe('Train view (web mode)', () => {
  let served: Served;
  let browser: Browser;
  let opened: OpenedPage;
  let project: ServedProject;
  let app: WebApp;

  beforeAll(async () => {
    project = await serveImportedProject('s3gan-e2e-train-', { count: 24, size: 16 }, { env: { S3GAN_TEST_STEP_DELAY_MS: '350' } });
    served = project.served;
    const { items } = await apiCall<{ items: Item[] }>(served, 'images.list');
    const ids = items.sort((a, b) => (a.name < b.name ? -1 : 1)).map((i) => i.id);
    const disc = await apiCall<{ id: string }>(served, 'classes.add', { name: 'disc' });
    const square = await apiCall<{ id: string }>(served, 'classes.add', { name: 'square' });
    await apiCall(served, 'labels.set', { ids: [ids[0], ids[2], ids[4]], classId: disc.id, source: 'hand' });
    await apiCall(served, 'labels.set', { ids: [ids[1], ids[3], ids[5]], classId: square.id, source: 'hand' });
    app = await openWebApp(served);
    ({ browser, opened } = app);
  });

  afterAll(() => closeProject(project, app));

  it('explains the presets and starts a tiny S³GAN run with progress and a live chart', async () => {
    const { page } = opened;
    await page.getByTestId('nav-train').click();
    await page.getByTestId('preset-s2gan').check();
    expect(await page.getByTestId('preset-explain').textContent()).toMatch(/inferred labels/);
    await expect.poll(() => page.getByTestId('train-warning').textContent()).toMatch(/Inferred labels have not been computed/);
    await page.getByTestId('preset-s3gan').check();
    expect(await page.getByTestId('preset-explain').textContent()).toMatch(/co-training/);
    expect(await page.getByTestId('train-warning').count()).toBe(0);
    await page.getByTestId('train-resolution').selectOption('8');
    await page.getByTestId('train-ch').fill('4');
    await page.getByTestId('train-ch').press('Tab');
    await page.getByText(/^Advanced:/).click(); // the generated advanced fields (TRAIN_FIELDS)
    expect(await page.getByTestId('train-dch').inputValue()).toBe('8'); // D as wide as G (8 px: 2× ch) until set
    expect(await page.getByTestId('train-rotatedfraction').inputValue()).toBe('0.25');
    await page.getByTestId('train-dch').fill('3');
    await page.getByTestId('train-batch').fill('4');
    await page.getByTestId('train-steps').fill(String(STEPS));
    await page.getByTestId('train-steps').press('Tab');
    await page.getByTestId('train-start').click();
    await expect.poll(() => stepOf(page), { timeout: 120_000 }).toBeGreaterThanOrEqual(2);
    const before = await chartPoints(page, 'losses');
    expect(before).toBeGreaterThan(0);
    await expect.poll(() => chartPoints(page, 'losses')).toBeGreaterThan(before);
    await expect.poll(() => chartPoints(page, 'heads')).toBeGreaterThan(0); // rotation + classifier heads of S³GAN
    await expect.poll(() => page.getByTestId('train-estimate').count()).toBe(1);
  });

  it('pauses (the step stops advancing) and resumes', async () => {
    const { page } = opened;
    await page.getByTestId('train-pause').click();
    await expect.poll(() => page.getByTestId('train-state').textContent()).toBe('paused');
    const atPause = await stepOf(page);
    await page.waitForTimeout(1500);
    const later = await stepOf(page);
    expect(later - atPause).toBeLessThanOrEqual(1); // at most the step in flight finishes
    expect(later).toBeLessThan(STEPS);
    await screenshot(page, 'train-light');
    const runs = (await apiCall<{ runs: RunSummary[] }>(served, 'runs.list')).runs;
    expect(runs.map((r) => r.state)).toEqual(['paused']);
    await page.getByTestId('train-resume').click();
    await expect.poll(() => stepOf(page), { timeout: 60_000 }).toBeGreaterThan(later);
  });

  it('lists the finished run with its checkpoints', async () => {
    const { page } = opened;
    const row = page.getByTestId('run-row').first();
    await expect.poll(() => row.getAttribute('data-state'), { timeout: 120_000 }).toBe('done');
    const runs = (await apiCall<{ runs: RunSummary[] }>(served, 'runs.list')).runs;
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ state: 'done', step: STEPS, steps: STEPS });
    expect(runs[0]!.checkpoints).toContain(STEPS);
    expect(await row.getByTestId('run-checkpoints').textContent()).toContain(String(STEPS));
    const config = JSON.parse(readFileSync(join(project.projectDir, 'runs', runs[0]!.run, 'config.json'), 'utf8')) as { gan: { ch: number; dCh: number } };
    expect(config.gan).toMatchObject({ ch: 4, dCh: 3 }); // the form's D ch reached the model
    expect(await chartPoints(page, 'losses')).toBeGreaterThanOrEqual(STEPS * 2); // D and G, every step
  });

  it('takes a dark screenshot without page errors', async () => {
    const dark = await openPage(browser, served.url, { colorScheme: 'dark' });
    try {
      await dark.page.getByTestId('nav-train').click();
      await expect.poll(() => chartPoints(dark.page, 'losses')).toBeGreaterThan(0);
      await screenshot(dark.page, 'train-dark');
      expect(dark.errors).toEqual([]);
    } finally {
      await dark.context.close();
    }
    expect(opened.errors).toEqual([]);
  });
});
