// Issue #2 must-show: open web mode, create a project, import a folder, see the count and the report.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, screenshot, type OpenedPage, closeSession } from './helpers/browser';
import { makeImageFolder, type ImageFolder } from './helpers/images';
import { apiCall, serve, tempDir, type Served } from './helpers/server';

describe('Project view (web mode)', () => {
  let served: Served;
  let browser: Browser;
  let opened: OpenedPage;
  let images: ImageFolder;
  let workDir: string;

  beforeAll(async () => {
    images = await makeImageFolder({ count: 40, corruptPng: true });
    workDir = await tempDir('s3gan-e2e-project-');
    served = await serve(); // no project: the UI creates one
    browser = await launchBrowser();
    opened = await openPage(browser, served.url);
  });

  afterAll(async () => {
    await closeSession({ opened, browser, served });
    await rm(images.dir, { recursive: true, force: true });
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('strips the token from the address bar but keeps working', async () => {
    const { page } = opened;
    await page.getByTestId('project-path').waitFor();
    expect(page.url()).not.toContain('token=');
    // app.info answered (the badge shows the backend, or that none is loaded yet).
    await expect.poll(() => page.getByTestId('backend-badge').textContent()).toMatch(/wasm|tensorflow|cpu|first stage/);
  });

  it('creates a project from a typed path', async () => {
    const { page } = opened;
    const projectDir = join(workDir, 'birds');
    await page.getByTestId('project-path').fill(projectDir);
    await page.getByTestId('project-create').click();
    await page.getByTestId('import-path').waitFor();
    await expect.poll(() => page.getByTestId('project-name').textContent()).toContain('birds');
    const current = await apiCall<{ path: string } | null>(served, 'project.current');
    expect(current?.path).toBe(projectDir);
  });

  it('imports a folder with 40 images and a corrupt PNG, showing the count and the report', async () => {
    const { page } = opened;
    await page.getByTestId('import-path').fill(images.dir);
    await page.getByTestId('import-run').click();
    const report = page.getByTestId('import-report');
    await report.waitFor({ timeout: 180_000 });
    expect(await page.getByTestId('report-imported').textContent()).toBe('40');
    expect(await page.getByTestId('report-failed-count').textContent()).toBe('1');
    const failed = await page.getByTestId('report-failed').textContent();
    expect(failed).toContain('broken.png');
    await expect.poll(() => page.getByTestId('status-images').textContent()).toBe('40');
    await screenshot(page, 'project-imported-light');

    const status = await apiCall<{ images: number }>(served, 'project.status');
    expect(status.images).toBe(40);
    expect(opened.errors).toEqual([]);
  });

  it('shows the browser-chosen folder via the server-side folder browser', async () => {
    const { page } = opened;
    await page.getByTestId('import-path').fill(workDir);
    await page.getByTestId('import-path-browse').click(); // the Project view has several pickers
    const browserDialog = page.getByRole('dialog', { name: 'Choose a folder on the server' });
    await browserDialog.getByRole('button', { name: /birds/ }).click();
    await browserDialog.getByRole('button', { name: 'Use this folder' }).click();
    expect(await page.getByTestId('import-path').inputValue()).toBe(join(workDir, 'birds'));
  });

  it('closing the project lists it under recent projects, and reopening it from there works', async () => {
    const { page } = opened;
    await page.getByRole('button', { name: 'Close project' }).click();
    const recent = page.getByRole('button', { name: 'Open birds' });
    await recent.waitFor();
    await recent.click();
    await expect.poll(() => page.getByTestId('status-images').textContent()).toBe('40');
    expect(opened.errors).toEqual([]);
  });
});
