// Issue #6 must-show (Samples view): open a run's grid (rows = class names), move the step slider over
// the grids saved during training (also between checkpoints), change truncation (re-rendered from the
// nearest checkpoint), resample, and save a PNG (the file exists and is a PNG); light/dark screenshots.
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, screenshot, type OpenedPage, closeSession } from './helpers/browser';
import { makeImageFolder, type ImageFolder } from './helpers/images';
import { apiCall, runCli, serve, tempDir, type Served } from './helpers/server';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const src = (page: Page) => page.getByTestId('grid-a-img').getAttribute('src');

async function setRange(page: Page, testId: string, value: number): Promise<void> {
  await page.getByTestId(testId).evaluate((el, v) => {
    const input = el as HTMLInputElement;
    input.value = String(v);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }, value);
}

describe('Samples view (web mode)', () => {
  let served: Served;
  let browser: Browser;
  let opened: OpenedPage;
  let images: ImageFolder;
  let workDir: string;
  let run = '';

  beforeAll(async () => {
    images = await makeImageFolder({ count: 24, size: 16 });
    workDir = await tempDir('s3gan-e2e-sample-');
    const projectDir = join(workDir, 'proj');
    const init = await runCli(['init', projectDir, '--json']);
    expect(init.code, init.stderr).toBe(0);
    served = await serve(projectDir);
    await apiCall(served, 'images.import', { folders: [images.dir] });
    for (const name of ['disc', 'square']) await apiCall(served, 'classes.add', { name });
    // A tiny run with a grid saved at every step and checkpoints at steps 2, 4 and 6 (random labels over the two classes).
    const result = await apiCall<{ run: string; checkpoint: string | null }>(served, 'train.start', {
      method: 'random', steps: 6, resolution: 8, ch: 4, batch: 4, logEvery: 1, checkpointEvery: 2, gridEvery: 1,
    });
    expect(result.checkpoint).not.toBeNull();
    run = result.run;
    browser = await launchBrowser();
    opened = await openPage(browser, served.url);
  });

  afterAll(async () => {
    await closeSession({ opened, browser, served });
    if (images) await rm(images.dir, { recursive: true, force: true });
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it("opens the run's grid with rows labelled by class name", async () => {
    const { page } = opened;
    await page.getByTestId('nav-samples').click();
    await page.getByTestId('grid-a-img').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('samples-run').inputValue()).toBe(run);
    expect(await page.getByTestId('grid-a-step').textContent()).toBe('step 6');
    expect(await page.getByTestId('grid-a-source').textContent()).toBe('saved during training');
    expect(await page.getByTestId('grid-a').locator('.rows li').allTextContents()).toEqual(['disc', 'square']);
    expect(await src(page)).toMatch(/^data:image\/png;base64,/);
  });

  it('moves the step slider over every saved grid, changes truncation and resamples', async () => {
    const { page } = opened;
    const renders: Record<string, unknown>[] = [];
    page.on('request', (r) => {
      if (new URL(r.url()).pathname === '/api/sample.grid') renders.push(r.postDataJSON() as Record<string, unknown>);
    });
    const at6 = await src(page);
    // Six saved grids (steps 1..6), though only steps 2, 4 and 6 have checkpoints.
    expect(await page.getByTestId('samples-step-slider').getAttribute('max')).toBe('5');
    await setRange(page, 'samples-step-slider', 0);
    await expect.poll(() => page.getByTestId('grid-a-step').textContent()).toBe('step 1');
    expect(await page.getByTestId('samples-step').textContent()).toBe('1');
    expect(await page.getByTestId('grid-a-source').textContent()).toBe('saved during training');
    const at1 = await src(page);
    expect(at1).not.toBe(at6);
    await setRange(page, 'samples-trunc-slider', 0.5);
    expect(await page.getByTestId('samples-trunc').textContent()).toBe('0.50');
    // Another truncation re-renders from the checkpoint nearest step 1, and the pane says which.
    await expect.poll(() => page.getByTestId('grid-a-source').textContent()).toBe('re-rendered from checkpoint 2, the nearest to step 1');
    expect(await page.getByTestId('grid-a-step').textContent()).toBe('step 2');
    await expect.poll(() => src(page)).not.toBe(at1);
    // The run's own latents, truncated: no seed (the engine would take seed 0 as another latent stream).
    expect(renders.at(-1)).toEqual({ run, step: 2, truncation: 0.5 });
    const truncated = await src(page);
    await page.getByTestId('samples-resample').click();
    await expect.poll(() => src(page)).not.toBe(truncated);
    expect(renders.at(-1)).toEqual({ run, step: 2, truncation: 0.5, seed: expect.any(Number) });
    await page.waitForFunction(() => [...document.images].every((i) => i.complete));
    await screenshot(page, 'samples-light');
  });

  it('saves the grid as a PNG file', async () => {
    const { page } = opened;
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('samples-save').click()]);
    expect(download.suggestedFilename()).toBe(`${run}-step2.png`);
    const file = join(workDir, download.suggestedFilename());
    await download.saveAs(file);
    const bytes = await readFile(file);
    expect(bytes.subarray(0, 8).equals(PNG)).toBe(true);
    expect(bytes.length).toBeGreaterThan(100);
  });

  it('takes a dark screenshot (comparing the run with itself) without page errors', async () => {
    const dark = await openPage(browser, served.url, { colorScheme: 'dark' });
    try {
      await dark.page.getByTestId('nav-samples').click();
      await dark.page.getByTestId('grid-a-img').waitFor({ timeout: 60_000 });
      await dark.page.getByTestId('samples-compare').check();
      await dark.page.getByTestId('samples-run-b').selectOption(run);
      await dark.page.getByTestId('grid-b-img').waitFor({ timeout: 60_000 });
      await screenshot(dark.page, 'samples-dark');
      expect(dark.errors).toEqual([]);
    } finally {
      await dark.context.close();
    }
    expect(opened.errors).toEqual([]);
  });
});
