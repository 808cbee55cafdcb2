// The start screen's "Open the demo project", and closing a project while a job runs (asks, then stops it).
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, screenshot, type OpenedPage, closeSession } from './helpers/browser';
import { apiCall, serve, tempDir, type Served } from './helpers/server';

describe('demo project and closing with a running job (web mode)', () => {
  let served: Served;
  let browser: Browser;
  let opened: OpenedPage;
  let workDir: string;

  beforeAll(async () => {
    workDir = await tempDir('s3gan-e2e-demo-');
    served = await serve();
    browser = await launchBrowser();
    opened = await openPage(browser, served.url);
  });

  afterAll(async () => {
    await closeSession({ opened, browser, served });
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('opens a 30-digit demo with 1 hand label per digit from the start screen', async () => {
    const { page } = opened;
    const dir = join(workDir, 'demo');
    await page.getByTestId('demo-path').fill(dir);
    await page.getByTestId('demo-images').fill('30');
    await page.getByTestId('demo-labels').fill('1');
    await page.getByTestId('demo-open').click();
    await expect.poll(() => page.getByTestId('status-images').textContent(), { timeout: 60_000 }).toBe('30');
    // Counts converge to the demo's final state (an answer asked midway must not win: project.test.ts).
    await expect.poll(() => page.getByTestId('status-labeled').textContent()).toBe('10');
    await expect.poll(() => page.getByTestId('status-classes').textContent()).toBe('10');
    await expect.poll(() => page.getByTestId('job-progress').count()).toBe(0); // the demo's import chip went
    const status = await apiCall<{ path: string; truth: number }>(served, 'project.status');
    expect(status).toMatchObject({ path: dir, truth: 20 });
    await screenshot(page, 'demo-opened-light');
  });

  it('closing while a job runs asks; "keep working" keeps it, "stop" cancels the job, then closes', async () => {
    const { page } = opened;
    // A long features run started by another client; the page learns of it through job events.
    const features = apiCall(served, 'features.run', { epochs: 200 }).catch((e: Error) => e);
    await page.getByTestId('job-progress').waitFor({ timeout: 60_000 });

    await page.getByRole('button', { name: 'Close project' }).click();
    const dialog = page.getByTestId('confirm-dialog');
    await expect.poll(() => dialog.textContent()).toMatch(/features stage is still running/);
    await screenshot(page, 'demo-close-confirm-light');
    await page.getByTestId('confirm-no').click();
    expect(await apiCall<{ path: string } | null>(served, 'project.current')).toMatchObject({ path: join(workDir, 'demo') });
    expect((await apiCall<{ jobs: unknown[] }>(served, 'job.list')).jobs).toHaveLength(1);

    await page.getByRole('button', { name: 'Close project' }).click();
    await page.getByTestId('confirm-yes').click();
    await page.getByTestId('demo-open').waitFor({ timeout: 60_000 });
    expect(String(await features)).toMatch(/CANCELLED/);
    expect(await apiCall(served, 'project.current')).toBeNull();
    expect((await apiCall<{ jobs: unknown[] }>(served, 'job.list')).jobs).toEqual([]);
    expect(opened.errors).toEqual([]);
  });
});
