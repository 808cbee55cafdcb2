// Issue 14, "Wrong by default" / "errors reach users in words", in the browser: a bad demo form reads
// as a sentence in the form's own words (not 'Invalid payload for "demo.create"…') and a relative demo
// folder is refused before anything is sent or created; cancelling a stage is an info toast, not an
// error or an HTTP 500; k larger than the images shows the engine's sentence on the Clusters card; an
// inverted confidence range in Review says why the queue is empty.
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeSession, launchBrowser, openPage, type OpenedPage } from './helpers/browser';
import { apiCall, repoRoot, serve, tempDir, type Served } from './helpers/server';

const DIGITS = 20;

describe('errors in words, cancel as a normal outcome, empty ranges explained (issue 14, web mode)', () => {
  let served: Served;
  let browser: Browser;
  let opened: OpenedPage;
  let workDir = '';
  const sent: string[] = [];

  beforeAll(async () => {
    workDir = await tempDir('s3gan-e2e-words-');
    served = await serve();
    browser = await launchBrowser();
    opened = await openPage(browser, served.url);
    opened.page.on('request', (r) => {
      const m = /\/api\/([\w.]+)/.exec(r.url());
      if (m) sent.push(m[1]!);
    });
  });

  afterAll(async () => {
    await closeSession({ opened, browser, served });
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('finding "raw payload errors reach the user": too few digits reads as a sentence in the form\'s words', async () => {
    const { page } = opened;
    await page.getByTestId('demo-path').fill(join(workDir, 'demo'));
    await page.getByTestId('demo-images').fill('3');
    await page.getByTestId('demo-open').click();
    await expect.poll(() => page.getByTestId('demo-error').textContent()).toBe('Digits must be at least 10 (you sent 3).');
    expect(sent).not.toContain('demo.create'); // refused by the page itself: nothing reached the server
  });

  it('finding "relative paths resolve against the server\'s working directory": a relative demo folder is refused, nothing created', async () => {
    const { page } = opened;
    await page.getByTestId('demo-images').fill(String(DIGITS));
    await page.getByTestId('demo-labels').fill('1');
    await page.getByTestId('demo-path').fill('relative-demo');
    await expect.poll(() => page.getByTestId('demo-path-hint').textContent()).toMatch(/^Demo folder must be a full path/);
    await page.getByTestId('demo-open').click();
    await expect.poll(() => page.getByTestId('demo-error').textContent()).toMatch(/^Demo folder must be an absolute path \(like \/home\/you\/photos.*\(you sent "relative-demo"\)\.$/);
    expect(sent).not.toContain('demo.create');
    expect(existsSync(join(repoRoot, 'relative-demo'))).toBe(false);

    await page.getByTestId('demo-path').fill(join(workDir, 'demo'));
    expect(await page.getByTestId('demo-path-hint').count()).toBe(0);
    await page.getByTestId('demo-open').click();
    await expect.poll(() => page.getByTestId('status-images').textContent(), { timeout: 60_000 }).toBe(String(DIGITS));
  });

  it('finding "cancelling a stage returns HTTP 500 and no toast": Cancel says "Features cancelled" as information', async () => {
    const { page, errors } = opened;
    await page.getByTestId('nav-clusters').click();
    await page.getByTestId('features-epochs').fill('1000');
    await page.getByTestId('stage-features-run').click();
    const cancel = page.getByTestId('stage-features-cancel');
    await expect.poll(() => cancel.isEnabled(), { timeout: 60_000 }).toBe(true);
    await cancel.click();
    const notice = page.getByTestId('notice').filter({ hasText: 'Features cancelled' });
    await expect.poll(() => notice.getAttribute('data-kind'), { timeout: 60_000 }).toBe('info');
    await expect.poll(() => page.getByTestId('stage-features').getAttribute('data-state')).toBe('none');
    expect(await page.locator('[data-testid="notice"][data-kind="error"]').count()).toBe(0);
    expect(await page.getByTestId('stage-features-error').count()).toBe(0);
    expect(errors.filter((e) => /\b5\d\d\b/.test(e))).toEqual([]);
  });

  it('finding "k = 20 on 9 images makes 11 empty clusters": k larger than the images shows the engine\'s sentence', async () => {
    const { page } = opened;
    await apiCall(served, 'features.run', { epochs: 1 });
    await expect.poll(() => page.getByTestId('stage-features').getAttribute('data-state')).toBe('done');
    await page.getByTestId('cluster-k').fill('25');
    await page.getByTestId('stage-cluster-run').click();
    await expect.poll(() => page.getByTestId('stage-cluster-error').textContent()).toBe(`k = 25 clusters is more than the ${DIGITS} images with features: choose k between 1 and ${DIGITS}.`);
    expect(await page.getByTestId('stage-cluster').getAttribute('data-state')).toBe('none');
  });

  it('finding "an inverted confidence range silently shows an empty queue": Review says the range is empty and why', async () => {
    const { page } = opened;
    await apiCall(served, 'infer.run', { epochs: 1 });
    await page.getByTestId('nav-review').click();
    await page.getByTestId('review-item').first().waitFor();
    await page.getByTestId('review-min').fill('0.8');
    await page.getByTestId('review-min').press('Tab');
    await page.getByTestId('review-max').fill('0.3');
    await page.getByTestId('review-max').press('Tab');
    await expect.poll(() => page.getByTestId('review-empty').textContent()).toBe('The range is empty: minimum 0.8 is above maximum 0.3. Change the conf. range above.');
    expect(await page.getByTestId('review-item').count()).toBe(0);
    await page.getByTestId('review-min').fill('0');
    await page.getByTestId('review-min').press('Tab');
    await page.getByTestId('review-max').fill('1');
    await page.getByTestId('review-max').press('Tab');
    await expect.poll(() => page.getByTestId('review-empty').count()).toBe(0);
    expect(await page.getByTestId('review-item').count()).toBeGreaterThan(0);
    // Expected answers only: 499 for the cancelled features run, 400 for k = 25.
    expect(opened.errors.filter((e) => !/\b499\b/.test(e) && !(/\b400\b/.test(e) && e.includes('/api/cluster.run')))).toEqual([]);
  });
});
