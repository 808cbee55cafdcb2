// Issue #6 must-show (Review view): run inference after a few hand labels, accept one inferred label
// and correct another with keys (hand / accepted counts change accordingly), the "label these next"
// tab lists suggestions; light/dark screenshots.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPage, screenshot, type OpenedPage } from './helpers/browser';
import { closeProject, imagesLoaded, openWebApp, serveImportedProject, type ServedProject, type WebApp } from './helpers/project';
import { apiCall, type Served } from './helpers/server';

interface Status {
  labeled: number;
  labeled_by_source: Record<string, number>;
}
interface Item {
  id: string;
  name: string;
  label: string | null;
  labelSource: string | null;
}

describe('Review view (web mode)', () => {
  let served: Served;
  let browser: Browser;
  let opened: OpenedPage;
  let project: ServedProject;
  let app: WebApp;
  const classIds: string[] = [];

  beforeAll(async () => {
    project = await serveImportedProject('s3gan-e2e-review-', { count: 32, size: 32 });
    served = project.served;
    for (const name of ['disc', 'square']) classIds.push((await apiCall<{ id: string }>(served, 'classes.add', { name })).id);
    // A few hand labels per class (odd images are squares), then features (1 epoch) over the bridge.
    const { items } = await apiCall<{ items: Item[] }>(served, 'images.list');
    const byName = new Map(items.map((i) => [i.name, i.id]));
    const pick = (from: number) => [0, 2, 4, 6].map((k) => byName.get(`img-${String(from + k).padStart(3, '0')}.png`)!);
    await apiCall(served, 'labels.set', { ids: pick(0), classId: classIds[0], source: 'hand' });
    await apiCall(served, 'labels.set', { ids: pick(1), classId: classIds[1], source: 'hand' });
    await apiCall(served, 'features.run', { epochs: 1 });
    app = await openWebApp(served);
    ({ browser, opened } = app);
  });

  afterAll(() => closeProject(project, app));

  it('runs inference from the pipeline panel and lists inferred labels, least confident first', async () => {
    const { page } = opened;
    await page.getByTestId('nav-review').click();
    await page.getByTestId('stage-infer').waitFor();
    await expect.poll(() => page.getByTestId('stage-features').getAttribute('data-state')).toBe('done');
    await page.getByTestId('infer-epochs').fill('1');
    await page.getByTestId('stage-infer-run').click();
    await expect.poll(() => page.getByTestId('review-item').count(), { timeout: 150_000 }).toBe(24);
    expect(await page.getByTestId('stage-infer').getAttribute('data-state')).toBe('done');
    const confidences = await page.getByTestId('review-item').evaluateAll((els) => els.map((e) => Number(/(\d+)%/.exec(e.textContent ?? '')![1])));
    expect([...confidences].sort((a, b) => a - b)).toEqual(confidences);
    await page.getByTestId('confusion-matrix').waitFor();
    await imagesLoaded(page);
    await screenshot(page, 'review-light');
  });

  it('the Label view filters by inferred label and sorts least confident first once inference ran', async () => {
    const { page } = opened;
    type Ann = { id: string; inferred: string | null; confidence: number | null };
    const inferred = (await apiCall<{ items: Ann[] }>(served, 'annotations.get')).items.filter((a) => a.inferred !== null);
    const order = new Map((await apiCall<{ items: (Item & { order: number })[] }>(served, 'images.list')).items.map((i) => [i.id, i.order]));
    const least = [...inferred].sort((a, b) => a.confidence! - b.confidence! || order.get(a.id)! - order.get(b.id)!)[0]!.id;
    await page.getByTestId('nav-label').click();
    await page.getByTestId('filter-inferred').selectOption(`inferred:${classIds[0]}`);
    await expect.poll(() => page.getByTestId('gallery-count').textContent()).toBe(`${inferred.filter((a) => a.inferred === classIds[0]).length} shown`);
    await page.getByTestId('filter-all').click();
    await page.getByTestId('gallery-sort').selectOption('confidence');
    await expect.poll(() => page.getByTestId('thumb').first().getAttribute('data-id')).toBe(least);
    await screenshot(page, 'label-by-confidence-light');
    await page.getByTestId('gallery-sort').selectOption('order');
    await page.getByTestId('nav-review').click();
    await page.getByTestId('review-pane').waitFor();
  });

  it('accepts one inferred label with Enter and corrects one with a number key', async () => {
    const { page } = opened;
    expect(await page.getByTestId('count-hand').textContent()).toBe('8');
    expect(await page.getByTestId('count-accepted').textContent()).toBe('0');
    await page.getByTestId('review-pane').focus();
    const first = await page.getByTestId('review-image').getAttribute('data-id');
    const predictedName = await page.getByTestId('review-predicted').textContent();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('count-accepted').textContent()).toBe('1');
    await expect.poll(() => page.getByTestId('review-item').count()).toBe(23);
    const second = await page.getByTestId('review-image').getAttribute('data-id');
    expect(second).not.toBe(first);
    await page.keyboard.press('2'); // → 'square', a hand label
    await expect.poll(() => page.getByTestId('count-hand').textContent()).toBe('9');
    await expect.poll(() => page.getByTestId('review-item').count()).toBe(22);

    const status = await apiCall<Status>(served, 'project.status');
    expect(status.labeled_by_source).toMatchObject({ hand: 9, 'accepted-inference': 1 });
    const { items } = await apiCall<{ items: Item[] }>(served, 'images.list');
    const byId = new Map(items.map((i) => [i.id, i]));
    const nameOf = new Map([[classIds[0], 'disc'], [classIds[1], 'square']]);
    expect(byId.get(first!)).toMatchObject({ labelSource: 'accepted-inference' });
    expect(nameOf.get(byId.get(first!)!.label!)).toBe(predictedName);
    expect(byId.get(second!)).toMatchObject({ label: classIds[1], labelSource: 'hand' });
    // Labels changed since the inference: the stage says it is stale.
    await expect.poll(() => page.getByTestId('stage-infer').getAttribute('data-state')).toBe('stale');
  });

  it('lists suggestions in the "label these next" tab', async () => {
    const { page } = opened;
    await page.getByTestId('tab-next').click();
    await expect.poll(() => page.getByTestId('suggestion').count()).toBeGreaterThan(0);
    await imagesLoaded(page);
    await screenshot(page, 'review-next-light');
  });

  it('takes a dark screenshot without page errors', async () => {
    const dark = await openPage(browser, served.url, { colorScheme: 'dark' });
    try {
      await dark.page.getByTestId('nav-review').click();
      await dark.page.getByTestId('tab-review').click();
      await dark.page.getByTestId('review-item').first().waitFor();
      await imagesLoaded(dark.page);
      await screenshot(dark.page, 'review-dark');
      expect(dark.errors).toEqual([]);
    } finally {
      await dark.context.close();
    }
    expect(opened.errors).toEqual([]);
  });
});
