// Issue 14, "State leaks between projects": open project A, use its views (a run's charts in Train, k
// typed in Clusters, a selection there, a class filter in Label), close it and open project B in the
// same tab. B must show none of A's state: no charts, k empty, nothing selected, its own gallery
// unfiltered, and its GAN stage card "not run" (B has no runs/ folder).
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeImageFolder, type ImageFolder } from './helpers/images';
import { closeProject, openWebApp, serveImportedProject, type ServedProject, type WebApp } from './helpers/project';
import { apiCall, runCli, tempDir } from './helpers/server';

const A_IMAGES = 24;
const B_IMAGES = 12;
const chartPoints = async (page: Page, id: string) => Number(await page.getByTestId(`chart-${id}`).getAttribute('data-points'));

describe('Opening project B after A (issue 14: projects stay apart)', () => {
  let a: ServedProject;
  let app: WebApp;
  let bImages: ImageFolder;
  let bDir = '';
  let aRun = '';

  beforeAll(async () => {
    a = await serveImportedProject('s3gan-e2e-switch-a-', { count: A_IMAGES, size: 16 });
    const { items } = await apiCall<{ items: { id: string }[] }>(a.served, 'images.list');
    const disc = await apiCall<{ id: string }>(a.served, 'classes.add', { name: 'disc' });
    await apiCall(a.served, 'classes.add', { name: 'square' });
    await apiCall(a.served, 'labels.set', { ids: items.slice(0, 5).map((i) => i.id), classId: disc.id, source: 'hand' });
    await apiCall(a.served, 'features.run', { epochs: 1 });
    await apiCall(a.served, 'cluster.run', { k: 2 });
    aRun = (await apiCall<{ run: string }>(a.served, 'train.start', { method: 'random', steps: 4, resolution: 8, ch: 4, batch: 4, logEvery: 1, checkpointEvery: 2, gridEvery: 2 })).run;
    // B: another project with other images (other pixels, so other ids), no stages and no runs.
    bImages = await makeImageFolder({ count: B_IMAGES, size: 24, prefix: 'b' });
    bDir = join(await tempDir('s3gan-e2e-switch-b-'), 'proj');
    expect((await runCli(['init', bDir, '--json'])).code).toBe(0);
    const imported = await runCli(['import', bDir, bImages.dir, '--json']);
    expect(imported.code, imported.stderr).toBe(0);
    app = await openWebApp(a.served);
  });

  afterAll(async () => {
    await closeProject(a, app);
    if (bImages) await rm(bImages.dir, { recursive: true, force: true });
    if (bDir) await rm(join(bDir, '..'), { recursive: true, force: true });
  });

  it("sets up A's views: a run's charts, k and a selection in Clusters, a class filter in Label", async () => {
    const { page } = app.opened;
    await page.getByTestId('nav-train').click();
    await expect.poll(() => page.locator(`[data-testid="run-row"][data-run="${aRun}"]`).count()).toBe(1);
    await expect.poll(() => chartPoints(page, 'losses')).toBeGreaterThan(0);
    await expect.poll(() => chartPoints(page, 'speed')).toBeGreaterThan(0);

    await page.getByTestId('nav-clusters').click();
    await expect.poll(() => page.getByTestId('stage-train-state').textContent()).toMatch(/^done/);
    await page.getByTestId('cluster-k').fill('3');
    await page.getByTestId('mini-thumb').first().click();
    await expect.poll(() => page.getByTestId('selection-count').textContent()).toBe('1 selected');

    await page.getByTestId('nav-label').click();
    await page.getByTestId('filter-class').selectOption({ label: 'disc (5)' });
    await expect.poll(() => page.getByTestId('gallery-count').textContent()).toBe('5 shown');
  });

  it("opens B: none of A's charts, k, selection, class filter or GAN stage shows", async () => {
    const { page } = app.opened;
    await page.getByTestId('nav-project').click();
    await page.getByRole('button', { name: 'Close project' }).click();
    await page.getByTestId('project-path').fill(bDir);
    await page.getByTestId('project-open').click();
    await expect.poll(() => page.getByTestId('project-name').textContent()).toContain(bDir);

    await page.getByTestId('nav-label').click();
    await expect.poll(() => page.getByTestId('gallery-count').textContent()).toBe(`${B_IMAGES} shown`);
    expect(await page.getByTestId('filter-class').inputValue()).toBe('');

    await page.getByTestId('nav-clusters').click();
    await page.getByTestId('pipeline').waitFor();
    expect(await page.getByTestId('cluster-k').inputValue()).toBe('');
    expect(await page.getByTestId('selection-count').count()).toBe(0);
    expect(await page.getByTestId('stage-train').getAttribute('data-state')).toBe('none');
    expect(await page.getByTestId('stage-train-state').textContent()).toBe('not run');
    expect(await page.getByTestId('stage-features').getAttribute('data-state')).toBe('none');

    await page.getByTestId('nav-train').click();
    await expect.poll(() => page.getByText('No runs yet.').count()).toBe(1);
    expect(await chartPoints(page, 'losses')).toBe(0);
    expect(await chartPoints(page, 'speed')).toBe(0);
    expect(await page.getByTestId('train-status').getAttribute('data-state')).toBe('idle');
    expect(app.opened.errors).toEqual([]);
  });
});
