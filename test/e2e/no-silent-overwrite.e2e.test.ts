// Issue 14, "Destructive without asking", in the browser: "Label all N" on a cluster card keeps a hand
// label of another class and offers to overwrite it; class merge asks first and is undone from its toast
// (and the undo step before it still works); labels export to an existing file asks before replacing it;
// a relative path is refused in words before anything is sent.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeProject, openWebApp, serveImportedProject, type ServedProject, type WebApp } from './helpers/project';
import { apiCall, tempDir, type Ann, type Item } from './helpers/server';


const labelOf = async (p: ServedProject, id: string) => (await apiCall<{ items: Item[] }>(p.served, 'images.list')).items.find((i) => i.id === id)!;
const noticeTexts = (page: Page) => page.getByTestId('notice-text').allTextContents();

describe('nothing destructive without asking (issue 14, web mode)', () => {
  let project: ServedProject;
  let app: WebApp;
  let disc = '';
  let square = '';
  let handId = '';
  let handCluster = -1;
  const apiRequests: string[] = [];

  beforeAll(async () => {
    project = await serveImportedProject('s3gan-e2e-overwrite-', { count: 16, size: 16 });
    const { served } = project;
    disc = (await apiCall<{ id: string }>(served, 'classes.add', { name: 'disc' })).id;
    square = (await apiCall<{ id: string }>(served, 'classes.add', { name: 'square' })).id;
    await apiCall(served, 'features.run', { epochs: 1 });
    await apiCall(served, 'cluster.run', { k: 2 });
    // One image of some cluster labeled by hand as "square": "Label all" of its cluster as "disc" must keep it.
    const anns = (await apiCall<{ items: Ann[] }>(served, 'annotations.get')).items;
    const hand = anns.find((a) => a.cluster !== null)!;
    handId = hand.id;
    handCluster = hand.cluster!;
    await apiCall(served, 'labels.set', { ids: [handId], classId: square, source: 'hand' });
    app = await openWebApp(served);
    app.opened.page.on('request', (r) => {
      const m = /\/api\/([\w.]+)/.exec(r.url());
      if (m) apiRequests.push(m[1]!);
    });
  });

  afterAll(() => closeProject(project, app));

  it('finding "Label all N overwrote a hand label": the hand label is kept, a toast says so, "Overwrite them" overwrites it', async () => {
    const { page } = app.opened;
    await page.getByTestId('nav-clusters').click();
    const card = page.locator(`[data-testid="cluster-card"][data-cluster="${handCluster}"]`);
    await card.waitFor();
    const size = Number(await card.getAttribute('data-size'));
    expect(size).toBeGreaterThan(1);
    await card.getByTestId('cluster-class').selectOption({ label: 'disc' });
    await card.getByTestId('cluster-assign').click();
    await expect.poll(() => noticeTexts(page)).toContain('1 image already had another hand label and was kept');
    expect(await labelOf(project, handId)).toMatchObject({ label: square, labelSource: 'hand' });
    const status = await apiCall<{ labeled_by_source: Record<string, number> }>(project.served, 'project.status');
    expect(status.labeled_by_source).toMatchObject({ hand: 1, cluster: size - 1 });

    await page.getByTestId('notice').filter({ hasText: 'was kept' }).getByTestId('notice-action').click();
    await expect.poll(async () => (await labelOf(project, handId)).label).toBe(disc);
    expect((await labelOf(project, handId)).labelSource).toBe('cluster');
  });

  it('finding "class merge has no confirmation and no undo": merge asks, "Keep both" keeps it, Undo restores the class and its labels, older steps still undo', async () => {
    const { page, errors } = app.opened;
    const extra = (await apiCall<{ id: string }>(project.served, 'classes.add', { name: 'extra' })).id;
    const { items } = await apiCall<{ items: Item[] }>(project.served, 'images.list');
    const x = items.find((i) => i.label === null)!.id;
    // The step before the merge: one hand label of "extra".
    await apiCall(project.served, 'labels.set', { ids: [x], classId: extra, source: 'hand' });
    await page.getByTestId('nav-label').click();
    const row = page.locator(`[data-testid="class-row"][data-class-id="${extra}"]`);
    await expect.poll(() => row.getByTestId('class-count').textContent()).toBe('1');
    await row.getByRole('button', { name: 'More actions for extra' }).click();
    await row.getByTestId('class-merge-into').selectOption({ label: 'disc' });

    await row.getByTestId('class-merge').click();
    const dialog = page.getByTestId('confirm-dialog');
    await expect.poll(() => dialog.textContent()).toContain('Merge “extra” into “disc”? 1 label moves from “extra” to “disc”');
    await page.getByTestId('confirm-no').click();
    expect((await apiCall<{ classes: { id: string }[] }>(project.served, 'project.current')).classes.map((c) => c.id)).toContain(extra);
    expect((await labelOf(project, x)).label).toBe(extra);

    await row.getByTestId('class-merge').click();
    await page.getByTestId('confirm-yes').click();
    await expect.poll(async () => (await labelOf(project, x)).label).toBe(disc);
    await expect.poll(() => row.count()).toBe(0);
    const merged = page.getByTestId('notice').filter({ hasText: 'Merged “extra” into “disc”: 1 label moved' });
    await merged.getByTestId('notice-action').click(); // Undo
    await expect.poll(async () => (await labelOf(project, x)).label).toBe(extra);
    await expect.poll(() => page.locator(`[data-testid="class-row"][data-class-id="${extra}"]`).count()).toBe(1);

    // The undo step from before the merge survived: undo once more clears the "extra" label.
    await page.getByTestId('nav-clusters').click();
    await page.getByTestId('undo').click();
    await expect.poll(async () => (await labelOf(project, x)).label).toBeNull();
    expect(errors).toEqual([]);
  });

  it('finding "export overwrites an existing file silently": it asks "Replace it?"; "Keep it" keeps the file, "Replace" writes it', async () => {
    const { page } = app.opened;
    const out = join(await tempDir('s3gan-e2e-export-'), 'labels.csv');
    await writeFile(out, 'my own notes\n');
    await page.getByTestId('nav-project').click();
    await page.getByTestId('labels-export-path').fill(out);
    await page.getByTestId('labels-export-run').click();
    const dialog = page.getByTestId('confirm-dialog');
    await expect.poll(() => dialog.textContent()).toContain(`The file exists: ${out}. Replace it?`);
    await page.getByTestId('confirm-no').click();
    expect(await readFile(out, 'utf8')).toBe('my own notes\n');

    await page.getByTestId('labels-export-run').click();
    await page.getByTestId('confirm-yes').click();
    await expect.poll(() => page.getByTestId('labels-io-done').textContent()).toMatch(/^Exported \d+ labels? to /);
    expect(await readFile(out, 'utf8')).toMatch(/^path,label/);
  });

  it('finding "relative paths resolve against the server\'s folder": the field says so and nothing is sent', async () => {
    const { page } = app.opened;
    await page.getByTestId('import-path').fill('photos');
    await expect.poll(() => page.getByTestId('import-path-hint').textContent()).toMatch(/Folder to import must be a full path/);
    const before = apiRequests.length;
    await page.getByTestId('import-run').click();
    await expect.poll(() => page.getByTestId('import-error').textContent()).toMatch(/^Folder to import must be an absolute path .*\(you sent "photos"\)\.$/);
    expect(apiRequests.slice(before)).not.toContain('images.import');

    await page.getByTestId('labels-export-path').fill('out/labels.csv');
    await page.getByTestId('labels-export-run').click();
    await expect.poll(() => page.getByTestId('labels-io-error').textContent()).toMatch(/^The place to export to must be an absolute path/);
    expect(apiRequests.slice(before)).not.toContain('labels.export');
    // The export case's 409 answers are the engine asking before a replace (expected); nothing else failed.
    expect(app.opened.errors.filter((e) => !(e.includes('409') && e.includes('/api/labels.export')))).toEqual([]);
  });
});
