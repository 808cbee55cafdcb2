// Issue 14, the server side of "Jobs after a crash": if `s3gan serve` dies mid-training, the status card
// and the chip stop counting down and say the connection is lost. Restarted (same port, new token), the
// open tab must not show "Offline — retrying" forever: it says the server restarted and to open the new
// address it printed, also after a reload (was "No project open"). An address without a token explains
// itself instead of "Loading…" forever.
import { execFileSync } from 'node:child_process';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPage } from './helpers/browser';
import { closeProject, openWebApp, serveImportedProject, type ServedProject, type WebApp } from './helpers/project';
import { apiCall, serve, type Served } from './helpers/server';

const chipStep = async (page: Page) => Number(/(\d+)\//.exec((await page.getByTestId('job-progress').textContent().catch(() => '')) ?? '')?.[1] ?? -1);
const asksBeforeLeaving = (page: Page) => page.evaluate(() => {
  const e = new Event('beforeunload', { cancelable: true });
  window.dispatchEvent(e);
  return e.defaultPrevented;
});

describe('The server dies and restarts (issue 14)', () => {
  let project: ServedProject;
  let app: WebApp;
  let restarted: Served | null = null;

  beforeAll(async () => {
    project = await serveImportedProject('s3gan-e2e-restart-', { count: 16, size: 16 }, { env: { S3GAN_TEST_STEP_DELAY_MS: '300' } });
    const { items } = await apiCall<{ items: { id: string }[] }>(project.served, 'images.list');
    for (const [n, name] of ['disc', 'square'].entries()) {
      const cls = await apiCall<{ id: string }>(project.served, 'classes.add', { name });
      await apiCall(project.served, 'labels.set', { ids: items.slice(n * 3, n * 3 + 3).map((i) => i.id), classId: cls.id, source: 'hand' });
    }
    app = await openWebApp(project.served);
  });

  afterAll(async () => {
    await restarted?.stop();
    await closeProject(project, app);
  });

  it('dies mid-training: the chip and the status card say the connection is lost instead of counting down', async () => {
    const { page } = app.opened;
    await page.getByTestId('nav-train').click();
    // A tiny run from the form, as a person starts one.
    await page.getByTestId('preset-random').check();
    await page.getByTestId('train-resolution').selectOption('8');
    await page.getByTestId('train-ch').fill('4');
    await page.getByText(/^Advanced:/).click();
    await page.getByTestId('train-batch').fill('4');
    await page.getByTestId('train-steps').fill('200');
    await page.getByTestId('train-steps').press('Tab');
    await page.getByTestId('train-start').click();
    await expect.poll(() => chipStep(page), { timeout: 120_000 }).toBeGreaterThanOrEqual(3);
    await expect.poll(() => page.getByTestId('train-status').getAttribute('data-state')).toBe('running');
    expect(await page.getByTestId('job-progress').textContent()).toMatch(/s left/);
    // The server first (so it cannot tell the page anything), then its engine: both gone, as after a crash.
    const servePid = project.served.child.pid!;
    const engine = execFileSync('ps', ['-o', 'pid=', '--ppid', String(servePid)], { encoding: 'utf8' }).split('\n').map((s) => Number(s.trim())).filter((n) => n > 0);
    process.kill(servePid, 'SIGKILL');
    for (const pid of engine) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // it already exited with its parent
      }
    }

    await expect.poll(() => page.getByText('Offline — retrying').count(), { timeout: 15_000 }).toBe(1);
    const chip = (await page.getByTestId('job-progress').textContent())!;
    const card = (await page.getByTestId('train-status').textContent())!;
    expect([chip, card]).toEqual([expect.stringMatching(/connection lost/), expect.stringMatching(/connection lost — progress unknown/)]);
    expect([chip, card]).not.toContainEqual(expect.stringMatching(/s left/));
    expect(await asksBeforeLeaving(page)).toBe(false); // nothing to protect: the server is gone
  });

  it('restarted on the same port with a new token: the tab says so and where to go, also after a reload', async () => {
    const { page } = app.opened;
    const port = Number(new URL(project.served.origin).port);
    restarted = await serve(project.projectDir, { port });
    expect(restarted.token).not.toBe(project.served.token);
    const help = page.getByTestId('connection-help');
    await expect.poll(() => help.getAttribute('data-state'), { timeout: 30_000 }).toBe('unauthorized');
    expect(await help.textContent()).toMatch(/The server restarted.*Open that address.*S3GAN_URL/s);
    expect(await page.getByTestId('connection-badge').textContent()).toBe('Server restarted — open its new address');

    await page.reload();
    await expect.poll(() => help.getAttribute('data-state')).toBe('unauthorized');
    expect(await page.getByTestId('project-name').textContent()).not.toMatch(/No project open/);

    // The new address works in the same tab.
    await page.goto(restarted.url);
    await expect.poll(() => page.getByTestId('project-name').textContent()).toContain(project.projectDir);
    expect(await help.count()).toBe(0);
    await page.getByTestId('nav-train').click();
    await expect.poll(() => page.getByTestId('run-interrupted').count()).toBe(1); // the killed run, resumable
  });

  it('an address without a token explains itself instead of "Loading…"', async () => {
    const bare = await openPage(app.browser, `${restarted!.origin}/`);
    try {
      const help = bare.page.getByTestId('connection-help');
      await expect.poll(() => help.getAttribute('data-state')).toBe('no-token');
      expect(await help.textContent()).toMatch(/no access token.*S3GAN_URL/s);
      expect(await bare.page.getByText('Loading…').count()).toBe(0);
    } finally {
      await bare.context.close();
    }
  });
});
