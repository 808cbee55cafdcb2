// Issue #6 must-show (Clusters view): run features + clusters from the Pipeline panel on a small
// import, label a whole cluster with one action (labeled count rises by the cluster's size), undo;
// light/dark screenshots.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPage, screenshot, type OpenedPage } from './helpers/browser';
import { closeProject, imagesLoaded, openWebApp, serveImportedProject, type ServedProject, type WebApp } from './helpers/project';
import { apiCall, type Served } from './helpers/server';

interface Status {
  labeled: number;
  labeled_by_source: Record<string, number>;
}

describe('Clusters view (web mode)', () => {
  let served: Served;
  let browser: Browser;
  let opened: OpenedPage;
  let project: ServedProject;
  let app: WebApp;

  beforeAll(async () => {
    project = await serveImportedProject('s3gan-e2e-cluster-', { count: 32, size: 32 });
    served = project.served;
    expect(project.imported).toBe(32);
    for (const name of ['disc', 'square', 'other']) await apiCall(served, 'classes.add', { name });
    app = await openWebApp(served);
    ({ browser, opened } = app);
  });

  afterAll(() => closeProject(project, app));

  it('runs features and clusters from the pipeline panel', async () => {
    const { page } = opened;
    await page.getByTestId('nav-clusters').click();
    await page.getByTestId('pipeline').waitFor();
    expect(await page.getByTestId('stage-features').getAttribute('data-state')).toBe('none');
    expect(await page.getByTestId('stage-cluster-run').isDisabled()).toBe(true); // needs features first
    await page.getByTestId('features-epochs').fill('1');
    await page.getByTestId('stage-features-run').click();
    await expect.poll(() => page.getByTestId('stage-features').getAttribute('data-state'), { timeout: 120_000 }).toBe('done');
    await page.getByTestId('cluster-k').fill('3');
    await page.getByTestId('stage-cluster-run').click();
    await expect.poll(() => page.getByTestId('cluster-card').count(), { timeout: 120_000 }).toBe(3);
    expect(await page.getByTestId('stage-cluster').getAttribute('data-state')).toBe('done');
    const sizes = await page.getByTestId('cluster-card').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-size'))));
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(32);
    // The backend in use is shown once a stage ran.
    await expect.poll(() => page.getByTestId('pipeline-backend').textContent()).toMatch(/wasm|tensorflow|cpu/);
    // The feature map has a point per image: hovering one previews it.
    await page.getByTestId('feature-map').waitFor();
  });

  it('the Label view filters by cluster once clusters exist (no inferred-label filter before infer)', async () => {
    const { page } = opened;
    const size = Number(await page.locator('[data-testid="cluster-card"][data-cluster="0"]').getAttribute('data-size'));
    await page.getByTestId('nav-label').click();
    await page.getByTestId('filter-cluster').selectOption('cluster:0');
    await expect.poll(() => page.getByTestId('gallery-count').textContent()).toBe(`${size} shown`);
    expect(await page.getByTestId('filter-inferred').count()).toBe(0);
    expect(await page.getByTestId('gallery-sort').locator('option').allTextContents()).toEqual(['Import order', 'Name']);
    await page.getByTestId('filter-all').click();
    await expect.poll(() => page.getByTestId('gallery-count').textContent()).toBe('32 shown');
    await page.getByTestId('nav-clusters').click();
  });

  it('labels a whole cluster in one action, the labeled count rises by its size, undo restores it', async () => {
    const { page } = opened;
    const card = page.getByTestId('cluster-card').first();
    const size = Number(await card.getAttribute('data-size'));
    expect(size).toBeGreaterThan(0);
    expect(await page.getByTestId('labeled-count').textContent()).toBe('0');
    await card.getByTestId('cluster-class').selectOption({ label: 'square' });
    await card.getByTestId('cluster-assign').click();
    await expect.poll(() => page.getByTestId('labeled-count').textContent()).toBe(String(size));
    const status = await apiCall<Status>(served, 'project.status');
    expect(status.labeled).toBe(size);
    expect(status.labeled_by_source.cluster).toBe(size);
    // The card now shows its majority label at 100% purity.
    await expect.poll(() => card.textContent()).toMatch(/square · 100% pure/);
    await imagesLoaded(page);
    await screenshot(page, 'clusters-light');
    await page.getByTestId('undo').click();
    await expect.poll(() => page.getByTestId('labeled-count').textContent()).toBe('0');
    expect((await apiCall<Status>(served, 'project.status')).labeled).toBe(0);
  });

  it('lasso-selects points on the feature map and labels the selection', async () => {
    const { page } = opened;
    const box = (await page.getByTestId('feature-map').boundingBox())!;
    // A lasso around the whole map selects every point.
    await page.mouse.move(box.x + 2, box.y + 2);
    await page.mouse.down();
    for (const [x, y] of [[box.width - 2, 2], [box.width - 2, box.height - 2], [2, box.height - 2], [2, 4]] as const) await page.mouse.move(box.x + x, box.y + y, { steps: 4 });
    await page.mouse.up();
    await expect.poll(() => page.getByTestId('selection-count').textContent()).toBe('32 selected');
    await page.getByTestId('selection-label').filter({ hasText: 'disc' }).click();
    await expect.poll(() => page.getByTestId('labeled-count').textContent()).toBe('32');
    await page.getByTestId('undo').click();
    await expect.poll(() => page.getByTestId('labeled-count').textContent()).toBe('0');
  });

  it('takes light and dark screenshots without page errors', async () => {
    const dark = await openPage(browser, served.url, { colorScheme: 'dark' });
    try {
      await dark.page.getByTestId('nav-clusters').click();
      await dark.page.getByTestId('cluster-card').first().waitFor();
      await imagesLoaded(dark.page);
      await screenshot(dark.page, 'clusters-dark');
      expect(dark.errors).toEqual([]);
    } finally {
      await dark.context.close();
    }
    expect(opened.errors).toEqual([]);
  });
});
