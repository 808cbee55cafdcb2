// Issue #3 must-show: keyboard labeling with auto-advance, a bulk label, undo, reload → exactly the
// persisted labels remain; the "unlabeled" filter count; gallery screenshots in light and dark.
import { rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, screenshot, type OpenedPage, closeSession } from './helpers/browser';
import { makeImageFolder, type ImageFolder } from './helpers/images';
import { apiCall, runCli, serve, tempDir, type Served } from './helpers/server';

interface Item {
  id: string;
  name: string;
  label: string | null;
  labelSource: string | null;
}
interface Cls {
  id: string;
  name: string;
}

const thumb = (page: Page, name: string) => page.locator(`[data-testid="thumb"][data-name="${name}"]`);
const nameOf = (i: number) => `img-${String(i).padStart(3, '0')}.png`;

async function waitSaved(page: Page): Promise<void> {
  await page.getByTestId('saved').waitFor();
}

/** Labels by image name as the server has them (the truth the UI must agree with). */
async function serverLabels(served: Served): Promise<Map<string, string | null>> {
  const { items } = await apiCall<{ items: Item[] }>(served, 'images.list');
  const { classes } = await apiCall<{ classes: Cls[] }>(served, 'project.current');
  const nameById = new Map(classes.map((c) => [c.id, c.name]));
  return new Map(items.map((i) => [i.name, i.label ? (nameById.get(i.label) ?? '?') : null]));
}

async function uiLabels(page: Page, classes: Cls[]): Promise<Map<string, string | null>> {
  const nameById = new Map(classes.map((c) => [c.id, c.name]));
  const rows = await page.locator('[data-testid="thumb"]').evaluateAll((els) => els.map((e) => [e.getAttribute('data-name'), e.getAttribute('data-label')] as const));
  return new Map(rows.map(([n, l]) => [n ?? '', l ? (nameById.get(l) ?? '?') : null]));
}

describe('Label view (web mode)', () => {
  let served: Served;
  let browser: Browser;
  let opened: OpenedPage;
  let images: ImageFolder;
  let projectDir: string;

  beforeAll(async () => {
    images = await makeImageFolder({ count: 40 });
    projectDir = join(await tempDir('s3gan-e2e-label-'), 'proj');
    const init = await runCli(['init', projectDir, '--json']);
    expect(init.code, init.stderr).toBe(0);
    served = await serve(projectDir);
    const report = await apiCall<{ imported: number }>(served, 'images.import', { folders: [images.dir] });
    expect(report.imported).toBe(40);
    browser = await launchBrowser();
    opened = await openPage(browser, served.url);
  });

  afterAll(async () => {
    await closeSession({ opened, browser, served });
    await rm(images.dir, { recursive: true, force: true });
    if (projectDir) await rm(join(projectDir, '..'), { recursive: true, force: true });
  });

  it('creates classes in the class manager', async () => {
    const { page } = opened;
    await page.getByTestId('nav-label').click();
    await thumb(page, nameOf(0)).waitFor();
    for (const name of ['cat', 'dog', 'bird']) {
      await page.getByTestId('class-new-name').fill(name);
      await page.getByTestId('class-new-name').press('Enter');
      await expect.poll(() => page.getByTestId('class-row').count()).toBeGreaterThanOrEqual(['cat', 'dog', 'bird'].indexOf(name) + 1);
    }
    const { classes } = await apiCall<{ classes: Cls[] }>(served, 'project.current');
    expect(classes.map((c) => c.name)).toEqual(['cat', 'dog', 'bird']);
  });

  it('labels 6 images with number keys, auto-advancing after each', async () => {
    const { page } = opened;
    await thumb(page, nameOf(0)).click(); // focus the first image
    await expect.poll(() => page.getByTestId('gallery').getAttribute('aria-activedescendant')).toContain('thumb-');
    for (const key of ['1', '1', '2', '2', '3', '1']) await page.keyboard.press(key);
    await waitSaved(page);
    // Auto-advance left focus on the 7th image.
    const focusedId = await page.getByTestId('gallery').getAttribute('aria-activedescendant');
    expect(await page.locator(`#${focusedId}`).getAttribute('data-name')).toBe(nameOf(6));
    const labels = await serverLabels(served);
    expect([0, 1, 2, 3, 4, 5].map((i) => labels.get(nameOf(i)))).toEqual(['cat', 'cat', 'dog', 'dog', 'bird', 'cat']);
    expect(labels.get(nameOf(6))).toBeNull();
  });

  it('bulk-labels a shift-click range of 5 with one key, then one undo removes all 5', async () => {
    const { page } = opened;
    await thumb(page, nameOf(10)).click();
    await thumb(page, nameOf(14)).click({ modifiers: ['Shift'] });
    expect(await page.getByTestId('selection-count').textContent()).toBe('5 selected');
    await page.keyboard.press('2');
    await waitSaved(page);
    let labels = await serverLabels(served);
    expect([10, 11, 12, 13, 14].map((i) => labels.get(nameOf(i)))).toEqual(['dog', 'dog', 'dog', 'dog', 'dog']);
    const { items } = await apiCall<{ items: Item[] }>(served, 'images.list');
    expect(items.filter((i) => i.labelSource === 'bulk')).toHaveLength(5);

    await page.keyboard.press('Control+z');
    await expect.poll(async () => (await serverLabels(served)).get(nameOf(12))).toBeNull();
    labels = await serverLabels(served);
    expect([10, 11, 12, 13, 14].map((i) => labels.get(nameOf(i)))).toEqual([null, null, null, null, null]);
    expect(labels.get(nameOf(5))).toBe('cat'); // the hand labels before the bulk step stay
    await expect.poll(() => page.getByTestId('labeled-count').textContent()).toBe('6');
  });

  it('after a reload exactly the expected labels remain, in the UI and in the API', async () => {
    const { page } = opened;
    await page.reload();
    await thumb(page, nameOf(39)).waitFor({ state: 'attached' });
    const expected = new Map<string, string | null>(images.files.map((f) => [basename(f), null]));
    ['cat', 'cat', 'dog', 'dog', 'bird', 'cat'].forEach((c, i) => expected.set(nameOf(i), c));
    expect(await serverLabels(served)).toEqual(expected);
    const { classes } = await apiCall<{ classes: Cls[] }>(served, 'project.current');
    await expect.poll(async () => (await uiLabels(page, classes)).get(nameOf(4))).toBe('bird');
    const ui = await uiLabels(page, classes);
    expect(ui.size).toBe(40); // 40 fixed-size cells fit in the viewport, so all are rendered
    expect(ui).toEqual(expected);
    // Right after the reload the grid has focus on the first image: keys work without a click.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('gallery');
    expect(await page.locator(`#${await page.getByTestId('gallery').getAttribute('aria-activedescendant')}`).getAttribute('data-name')).toBe(nameOf(0));
  });

  it('the "unlabeled" filter shows the 34 images left', async () => {
    const { page } = opened;
    expect(await page.getByTestId('filter-unlabeled-count').textContent()).toBe('34');
    await page.getByTestId('filter-unlabeled').click();
    await expect.poll(() => page.getByTestId('gallery-count').textContent()).toBe('34 shown');
    expect(await page.locator('[data-testid="thumb"][data-label=""]').count()).toBe(34);
    expect(await page.locator('[data-testid="thumb"]:not([data-label=""])').count()).toBe(0);
    await page.getByTestId('filter-all').click();
  });

  it('saves gallery screenshots in light and dark theme', async () => {
    const { page } = opened;
    await thumb(page, nameOf(3)).click();
    await page.emulateMedia({ colorScheme: 'light' });
    const light = await screenshot(page, 'label-gallery-light');
    const lightBg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await page.emulateMedia({ colorScheme: 'dark' });
    const dark = await screenshot(page, 'label-gallery-dark');
    const darkBg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(lightBg).not.toBe(darkBg);
    expect(light).toContain('test-artifacts');
    expect(dark).toContain('test-artifacts');
    expect(opened.errors).toEqual([]);
  });
});
