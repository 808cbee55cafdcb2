// Gallery interactions beyond the must-show path: virtualization, arrows, rubber band, exclude,
// preview, shortcut sheet, zoom, and the class manager's rename / reorder / merge / delete.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, screenshot, type OpenedPage, closeSession } from './helpers/browser';
import { makeImageFolder, makeImagePixels, type ImageFolder } from './helpers/images';
import { apiCall, runCli, serve, tempDir, type Served } from './helpers/server';

interface Item {
  id: string;
  name: string;
  label: string | null;
  excluded: boolean;
}
interface Cls {
  id: string;
  name: string;
}

const nameOf = (i: number) => `img-${String(i).padStart(3, '0')}.png`;
const thumb = (page: Page, i: number) => page.locator(`[data-testid="thumb"][data-name="${nameOf(i)}"]`);

async function focusedName(page: Page): Promise<string | null> {
  const id = await page.getByTestId('gallery').getAttribute('aria-activedescendant');
  return id ? page.locator(`#${id}`).getAttribute('data-name') : null;
}

describe('Gallery and class manager (web mode)', () => {
  let served: Served;
  let browser: Browser;
  let opened: OpenedPage;
  let images: ImageFolder;
  let root: string;
  const classes = async () => (await apiCall<{ classes: Cls[] }>(served, 'project.current')).classes;
  const items = async () => (await apiCall<{ items: Item[] }>(served, 'images.list')).items;

  beforeAll(async () => {
    images = await makeImageFolder({ count: 40 });
    root = await tempDir('s3gan-e2e-gallery-');
    const projectDir = join(root, 'proj');
    expect((await runCli(['init', projectDir])).code).toBe(0);
    served = await serve(projectDir);
    await apiCall(served, 'images.import', { folders: [images.dir] });
    for (const name of ['cat', 'dog', 'bird']) await apiCall(served, 'classes.add', { name });
    browser = await launchBrowser();
    // A short window: 40 images no longer fit, so virtualization must leave some out of the DOM.
    opened = await openPage(browser, served.url, { width: 1100, height: 520 });
    await opened.page.getByTestId('nav-label').click();
    await thumb(opened.page, 0).waitFor();
  });

  afterAll(async () => {
    await closeSession({ opened, browser, served });
    await rm(images.dir, { recursive: true, force: true });
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('renders only the rows near the viewport, and more after scrolling', async () => {
    const { page } = opened;
    const rendered = await page.locator('[data-testid="thumb"]').count();
    expect(rendered).toBeGreaterThan(0);
    expect(rendered).toBeLessThan(40);
    expect(await thumb(page, 39).count()).toBe(0);
    await page.getByTestId('gallery').evaluate((el) => (el.scrollTop = el.scrollHeight));
    await thumb(page, 39).waitFor();
    expect(await thumb(page, 0).count()).toBe(0);
    await page.getByTestId('gallery').evaluate((el) => (el.scrollTop = 0));
    await thumb(page, 0).waitFor();
  });

  it('arrow keys move focus by one and by a row; End reveals the last image', async () => {
    const { page } = opened;
    const columns = Number(await page.getByTestId('gallery').getAttribute('data-columns'));
    await thumb(page, 0).click();
    await page.keyboard.press('ArrowRight');
    expect(await focusedName(page)).toBe(nameOf(1));
    await page.keyboard.press('ArrowDown');
    expect(await focusedName(page)).toBe(nameOf(1 + columns));
    await page.keyboard.press('End');
    await thumb(page, 39).waitFor();
    expect(await focusedName(page)).toBe(nameOf(39));
    await page.keyboard.press('Home');
    expect(await focusedName(page)).toBe(nameOf(0));
  });

  it('zoom changes the number of columns', async () => {
    const { page } = opened;
    const before = Number(await page.getByTestId('gallery').getAttribute('data-columns'));
    await page.getByTestId('zoom').fill('64');
    await expect.poll(async () => Number(await page.getByTestId('gallery').getAttribute('data-columns'))).toBeGreaterThan(before);
    await page.getByTestId('zoom').fill('120');
  });

  it('rubber-band selects a block; one key labels it as a bulk step', async () => {
    const { page } = opened;
    const columns = Number(await page.getByTestId('gallery').getAttribute('data-columns'));
    const a = (await thumb(page, 0).boundingBox())!;
    const b = (await thumb(page, columns + 1).boundingBox())!;
    await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
    await page.mouse.down();
    await page.mouse.move(b.x + 10, b.y + 10, { steps: 5 });
    await page.mouse.up();
    expect(await page.getByTestId('selection-count').textContent()).toBe('4 selected');
    await page.keyboard.press('2');
    await page.getByTestId('saved').waitFor();
    const dog = (await classes()).find((c) => c.name === 'dog')!;
    const labeled = (await items()).filter((i) => i.label === dog.id).map((i) => i.name).sort();
    expect(labeled).toEqual([nameOf(0), nameOf(1), nameOf(columns), nameOf(columns + 1)].sort());
    await page.keyboard.press('Escape');
    expect(await page.getByTestId('selection-count').count()).toBe(0);
  });

  it('x excludes (and re-includes) the focused image; the excluded filter shows it', async () => {
    const { page } = opened;
    await thumb(page, 5).click();
    await page.keyboard.press('x');
    await expect.poll(async () => (await items()).find((i) => i.name === nameOf(5))?.excluded).toBe(true);
    await expect.poll(() => page.getByTestId('filter-excluded-count').textContent()).toBe('1');
    await page.getByTestId('filter-excluded').click();
    await expect.poll(() => page.getByTestId('gallery-count').textContent()).toBe('1 shown');
    await page.getByTestId('filter-all').click();
    await thumb(page, 5).click();
    await page.keyboard.press('x');
    await expect.poll(async () => (await items()).find((i) => i.name === nameOf(5))?.excluded).toBe(false);
  });

  it('Space opens the preview of the focused image, ? the shortcut sheet', async () => {
    const { page } = opened;
    await thumb(page, 2).click();
    await page.keyboard.press(' ');
    await expect.poll(() => page.getByTestId('preview').textContent()).toContain(nameOf(2));
    await page.keyboard.press('ArrowRight'); // the preview follows focus
    await expect.poll(() => page.getByTestId('preview').textContent()).toContain(nameOf(3));
    // the full image (images.preview, from the source file) replaces the thumbnail
    const img = page.getByTestId('preview-image');
    await expect.poll(() => img.getAttribute('data-full')).toBe('true');
    expect(await img.getAttribute('src')).toMatch(/^data:image\/webp;base64,/);
    expect(await img.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBe(64);
    await screenshot(page, 'gallery-preview');
    await page.keyboard.press('Escape');
    expect(await page.getByTestId('preview').count()).toBe(0);
    await page.keyboard.press('?');
    await page.getByTestId('shortcut-sheet').waitFor();
    await screenshot(page, 'gallery-shortcuts');
    await page.keyboard.press('Escape');
    expect(await page.getByTestId('shortcut-sheet').count()).toBe(0);
    // Focus went back to the grid: number keys work again at once.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('gallery');
  });

  it('number keys still label when focus sits on a toolbar button, but not while typing in a field', async () => {
    const { page } = opened;
    await thumb(page, 8).click();
    await page.getByTestId('filter-all').click(); // focus moves to the button
    await page.keyboard.press('3');
    const bird = (await classes()).find((c) => c.name === 'bird')!;
    await expect.poll(async () => (await items()).find((i) => i.name === nameOf(8))?.label).toBe(bird.id);
    await page.getByTestId('class-new-name').fill('');
    await page.getByTestId('class-new-name').press('2');
    expect(await page.getByTestId('class-new-name').inputValue()).toBe('2');
    await page.getByTestId('class-new-name').fill('');
    await thumb(page, 8).click();
    await page.keyboard.press('Backspace');
    await expect.poll(async () => (await items()).find((i) => i.name === nameOf(8))?.label).toBeNull();
  });

  it('a label is shown pending until acknowledged; a failed write reverts and says why', async () => {
    const { page } = opened;
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    await page.route('**/api/labels.set', async (route) => {
      await held;
      await route.continue();
    });
    await thumb(page, 20).click();
    await page.keyboard.press('1');
    await expect.poll(() => thumb(page, 20).getAttribute('data-pending')).toBe('true');
    expect(await page.getByTestId('saving').count()).toBe(1);
    expect((await items()).find((i) => i.name === nameOf(20))?.label).toBeNull(); // not written yet
    await screenshot(page, 'gallery-pending');
    release();
    await expect.poll(() => thumb(page, 20).getAttribute('data-pending')).toBe('false');
    const cat = (await classes()).find((c) => c.name === 'cat')!;
    expect(await thumb(page, 20).getAttribute('data-label')).toBe(cat.id);
    expect((await items()).find((i) => i.name === nameOf(20))?.label).toBe(cat.id);
    await page.unroute('**/api/labels.set');

    // Now the engine refuses: the label must not stick.
    await page.route('**/api/labels.set', (route) =>
      route.fulfill({ status: 500, contentType: 'application/json', body: JSON.stringify({ ok: false, error: { name: 'Error', message: 'disk full', code: 'IO' } }) }),
    );
    await thumb(page, 21).click();
    await page.keyboard.press('2');
    await page.getByRole('alert').filter({ hasText: 'disk full' }).waitFor();
    await expect.poll(() => thumb(page, 21).getAttribute('data-pending')).toBe('false');
    expect(await thumb(page, 21).getAttribute('data-label')).toBe('');
    await page.unroute('**/api/labels.set');
    // Clean up: clear the label on image 20 again with Backspace.
    await thumb(page, 20).click();
    await page.keyboard.press('Backspace');
    await expect.poll(async () => (await items()).find((i) => i.name === nameOf(20))?.label).toBeNull();
    opened.errors.length = 0; // the refused write logged an HTTP 500 on purpose
  });

  it('a file copied into the watched folder appears without a reload (event over WebSocket)', async () => {
    const { page } = opened;
    // A new, distinct image (a byte-identical copy would be deduplicated by content hash).
    await sharp(makeImagePixels(777), { raw: { width: 64, height: 64, channels: 3 } }).png().toFile(join(images.dir, 'late-arrival.png'));
    await expect.poll(() => page.getByTestId('filter-all-count').textContent(), { timeout: 30_000 }).toBe('41');
  });

  it('labels written by another client appear without a reload (labels.changed over WebSocket)', async () => {
    const { page } = opened;
    const target = (await items()).find((i) => i.name === nameOf(9))!;
    const cat = (await classes()).find((c) => c.name === 'cat')!;
    await apiCall(served, 'labels.set', { ids: [target.id], classId: cat.id, source: 'hand' });
    await expect.poll(() => thumb(page, 9).getAttribute('data-label')).toBe(cat.id);
    await apiCall(served, 'labels.set', { ids: [target.id], classId: null });
    await expect.poll(() => thumb(page, 9).getAttribute('data-label')).toBe('');
  });

  it('the theme toggle cycles auto → light → dark and sets data-theme', async () => {
    const { page } = opened;
    const theme = () => page.evaluate(() => document.documentElement.getAttribute('data-theme'));
    expect(await theme()).toBeNull();
    await page.getByTestId('theme-toggle').click();
    expect(await theme()).toBe('light');
    await page.getByTestId('theme-toggle').click();
    expect(await theme()).toBe('dark');
    await screenshot(page, 'gallery-forced-dark');
    await page.getByTestId('theme-toggle').click();
    expect(await theme()).toBeNull();
  });

  it('class manager: rename, reorder, merge and delete (with confirmation)', async () => {
    const { page } = opened;
    const row = (name: string) => page.locator('[data-testid="class-row"]', { hasText: name });
    await row('cat').getByRole('button', { name: 'cat', exact: true }).dblclick();
    const input = page.getByRole('textbox', { name: 'New name for cat' });
    await input.fill('kitty');
    await input.press('Enter');
    await expect.poll(async () => (await classes()).map((c) => c.name)).toEqual(['kitty', 'dog', 'bird']);

    await page.getByRole('button', { name: 'More actions for dog' }).click();
    await page.getByRole('button', { name: 'Move dog up' }).click();
    await expect.poll(async () => (await classes()).map((c) => c.name)).toEqual(['dog', 'kitty', 'bird']);

    // Merge dog (4 labels from the rubber band) into bird.
    await page.getByRole('combobox', { name: 'Merge dog into' }).selectOption({ label: 'bird' });
    // Merge asks first (issue 14); confirming moves the labels.
    await page.getByRole('button', { name: 'Merge…', exact: true }).click();
    await page.getByTestId('confirm-yes').click();
    await expect.poll(async () => (await classes()).map((c) => c.name)).toEqual(['kitty', 'bird']);
    const bird = (await classes()).find((c) => c.name === 'bird')!;
    expect((await items()).filter((i) => i.label === bird.id)).toHaveLength(4);
    await expect.poll(() => row('bird').getByTestId('class-count').textContent()).toBe('4');

    await page.getByRole('button', { name: 'More actions for bird' }).click();
    await page.getByRole('button', { name: 'Delete…' }).click();
    await page.getByRole('alertdialog', { name: 'Confirm delete' }).getByRole('button', { name: 'Delete' }).click();
    await expect.poll(async () => (await classes()).map((c) => c.name)).toEqual(['kitty']);
    expect((await items()).filter((i) => i.label !== null)).toHaveLength(0);
    await expect.poll(() => page.getByTestId('labeled-count').textContent()).toBe('0');
    expect(opened.errors).toEqual([]);
  });
});
