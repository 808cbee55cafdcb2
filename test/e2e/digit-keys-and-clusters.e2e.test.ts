// Issue 14, "Wrong by default", in the browser on the MNIST demo (classes "0"–"9"): key N labels the
// class named "N" in the Label view and in Review, and the key hints say so; clusters are numbered the
// same on the cards, in the feature map's tooltip and in "Label these next" (index + 1).
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeSession, launchBrowser, openPage, type OpenedPage } from './helpers/browser';
import { apiCall, serve, tempDir, type Ann, type Item, type Served } from './helpers/server';
import type { Browser } from 'playwright-core';


/** A pixel the feature map drew (a point), in page coordinates, or null. */
function drawnPoint(page: Page): Promise<{ x: number; y: number } | null> {
  return page.evaluate(() => {
    const canvas = document.querySelector('[data-testid="feature-map"] canvas') as HTMLCanvasElement | null;
    if (!canvas) return null;
    const ctx = canvas.getContext('2d')!;
    const { data, width, height } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    const r = canvas.getBoundingClientRect();
    // The centre of the first dot found scanning rows: a few pixels below its top edge.
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        if (data[(y * width + x) * 4 + 3]! > 200) return { x: r.left + (x / width) * r.width, y: r.top + ((y + 3) / height) * r.height };
      }
    }
    return null;
  });
}

describe('MNIST demo: digit keys and cluster numbering (issue 14, web mode)', () => {
  let served: Served;
  let browser: Browser;
  let opened: OpenedPage;
  let workDir = '';
  const classId = new Map<string, string>();
  const clusterOf = new Map<string, number | null>();
  const item = async (id: string) => (await apiCall<{ items: Item[] }>(served, 'images.list')).items.find((i) => i.id === id)!;

  beforeAll(async () => {
    workDir = await tempDir('s3gan-e2e-digits-');
    served = await serve();
    await apiCall(served, 'demo.create', { path: join(workDir, 'demo'), images: 40, labelsPerClass: 1 });
    for (const c of (await apiCall<{ classes: { id: string; name: string }[] }>(served, 'project.current')).classes) classId.set(c.name, c.id);
    await apiCall(served, 'features.run', { epochs: 1 });
    // 20 clusters for 10 hand labels: at least 10 clusters have none, so "Label these next" names some.
    await apiCall(served, 'cluster.run', { k: 20 });
    await apiCall(served, 'infer.run', { epochs: 1 });
    for (const a of (await apiCall<{ items: Ann[] }>(served, 'annotations.get')).items) clusterOf.set(a.id, a.cluster);
    browser = await launchBrowser();
    opened = await openPage(browser, served.url);
  });

  afterAll(async () => {
    await closeSession({ opened, browser, served });
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('finding "key 1 labels 0": in the Label view key 3 labels the class named "3", and the key hints say so', async () => {
    const { page } = opened;
    expect([...classId.keys()]).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    await page.getByTestId('nav-label').click();
    await page.getByTestId('filter-unlabeled').click();
    const thumb = page.getByTestId('thumb').first();
    const id = (await thumb.getAttribute('data-id'))!;
    await thumb.click();
    await page.keyboard.press('3');
    await expect.poll(async () => (await item(id)).label).toBe(classId.get('3'));
    for (const name of ['0', '3', '9']) {
      expect(await page.locator(`[data-testid="class-row"][data-class-id="${classId.get(name)}"]`).getByTestId('class-key').textContent()).toBe(name);
    }
    expect(await page.getByTestId('class-keys-hint').textContent()).toBe('key = class name');
    await page.keyboard.press('?');
    await expect.poll(() => page.getByTestId('shortcut-sheet').textContent()).toMatch(/0 – 9\s*Label focused \/ selected images with the class of that name/);
    await page.keyboard.press('Escape');
  });

  it('finding "pressing 3 on a 3 labels it 2 in Review": key 7 corrects to the class named "7"; the buttons show the same keys', async () => {
    const { page } = opened;
    await page.getByTestId('nav-review').click();
    const pane = page.getByTestId('review-pane');
    await pane.waitFor();
    const id = (await page.getByTestId('review-image').getAttribute('data-id'))!;
    for (const name of ['0', '7']) {
      expect(await page.locator(`[data-testid="review-correct"][data-key="${name}"]`).textContent()).toMatch(new RegExp(`^${name}\\s*${name}$`));
    }
    await pane.focus();
    await page.keyboard.press('7');
    await expect.poll(async () => (await item(id)).label).toBe(classId.get('7'));
    expect((await item(id)).labelSource).toBe('hand');
  });

  it('finding "cluster 9 for the card\'s cluster 10": the map tooltip, the cards and "Label these next" name a cluster alike', async () => {
    const { page } = opened;
    await page.getByTestId('nav-clusters').click();
    await page.getByTestId('cluster-card').first().waitFor();
    for (const card of await page.getByTestId('cluster-card').all()) {
      expect(await card.getByTestId('cluster-name').textContent()).toBe(`Cluster ${Number(await card.getAttribute('data-cluster')) + 1}`);
    }
    await expect.poll(() => drawnPoint(page)).not.toBeNull();
    const at = (await drawnPoint(page))!;
    await page.mouse.move(at.x, at.y);
    const tip = page.getByTestId('map-hover-text');
    await tip.waitFor();
    const hovered = (await tip.getAttribute('data-id'))!;
    expect(await tip.textContent()).toMatch(new RegExp(`^Cluster ${clusterOf.get(hovered)! + 1}( · label \\d)?$`));

    await page.getByTestId('nav-review').click();
    await page.getByTestId('tab-next').click();
    await page.getByTestId('suggestion').first().waitFor();
    let named = 0;
    for (const s of await page.getByTestId('suggestion').all()) {
      const sid = (await s.getAttribute('data-id'))!;
      const cluster = clusterOf.get(sid);
      const text = (await s.textContent()) ?? '';
      if (cluster === null || cluster === undefined) continue;
      expect(text).toContain(`Cluster ${cluster + 1}`);
      const said = /cluster (\d+)/i.exec((await s.getByTestId('suggestion-reason').textContent()) ?? '');
      if (said) {
        expect(Number(said[1])).toBe(cluster + 1);
        named++;
      }
    }
    expect(named).toBeGreaterThan(0);
    expect(opened.errors).toEqual([]);
  });
});
