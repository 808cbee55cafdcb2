// Issue 14, "Jobs after a crash": kill -9 of the engine during a run. The top-bar chip must not stay
// "Train 12/30 · 5 s left", the run must say it was interrupted, where Resume continues and how many steps
// that trains again, and a reload must not ask "Leave site?". A tab that missed a job's end (its events
// dropped) must not keep a chip forever either: ✕ drops it without "The job had already finished", and a
// reconnect re-reads the engine's job list.
import { execFileSync } from 'node:child_process';
import type { BrowserContext, Page, WebSocketRoute } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeProject, openWebApp, serveImportedProject, type ServedProject, type WebApp } from './helpers/project';
import { apiCall } from './helpers/server';

const STEPS = 30;
const chipStep = async (page: Page) => Number(/(\d+)\//.exec((await page.getByTestId('job-progress').textContent().catch(() => '')) ?? '')?.[1] ?? -1);
/** Whether the page would ask "Leave site?" on reload: its beforeunload handler cancels the event. */
const asksBeforeLeaving = (page: Page) => page.evaluate(() => {
  const e = new Event('beforeunload', { cancelable: true });
  window.dispatchEvent(e);
  return e.defaultPrevented;
});
const notices = (page: Page) => page.locator('[role="alert"], [role="status"]').allTextContents();

/** The engine process `s3gan serve` forked (the only child of that process). */
function enginePid(servePid: number): number {
  const out = execFileSync('ps', ['-o', 'pid=', '--ppid', String(servePid)], { encoding: 'utf8' });
  const pids = out.split('\n').map((s) => Number(s.trim())).filter((n) => n > 0);
  expect(pids).toHaveLength(1);
  return pids[0]!;
}

describe('The engine dies mid-run (issue 14: jobs after a crash)', () => {
  let project: ServedProject;
  let app: WebApp;
  let run = '';

  beforeAll(async () => {
    project = await serveImportedProject('s3gan-e2e-crash-', { count: 16, size: 16 }, { env: { S3GAN_TEST_STEP_DELAY_MS: '250' } });
    // Training needs classes (the random-labels baseline draws among them).
    const { items } = await apiCall<{ items: { id: string }[] }>(project.served, 'images.list');
    for (const [n, name] of ['disc', 'square'].entries()) {
      const cls = await apiCall<{ id: string }>(project.served, 'classes.add', { name });
      await apiCall(project.served, 'labels.set', { ids: items.slice(n * 3, n * 3 + 3).map((i) => i.id), classId: cls.id, source: 'hand' });
    }
    app = await openWebApp(project.served);
  });

  afterAll(() => closeProject(project, app));

  it('kill -9: the chip goes, the run says "Interrupted at step N — Resume from step M" and what is lost; no "Leave site?"', async () => {
    const { page } = app.opened;
    await page.getByTestId('nav-train').click();
    // Started by another client (the CLI or another tab): this page only sees its events.
    const training = apiCall<{ run: string }>(project.served, 'train.start', { method: 'random', steps: STEPS, resolution: 8, ch: 4, batch: 4, logEvery: 1, checkpointEvery: 5, gridEvery: 100 }).catch((e: Error) => e);
    await expect.poll(() => chipStep(page), { timeout: 120_000 }).toBeGreaterThanOrEqual(12);
    expect(await asksBeforeLeaving(page)).toBe(true); // a run is going: leaving asks first
    process.kill(enginePid(project.served.child.pid!), 'SIGKILL');
    expect(String(await training)).toMatch(/engine/i); // the request that started it learns the engine died

    await expect.poll(() => page.getByTestId('job-progress').count(), { timeout: 15_000 }).toBe(0);
    const note = page.getByTestId('run-interrupted');
    await expect.poll(() => note.count(), { timeout: 15_000 }).toBe(1);
    run = (await note.getAttribute('data-run'))!;
    const { runs } = await apiCall<{ runs: { run: string; interrupted?: { step: number; checkpoint: number; lost: number } }[] }>(project.served, 'runs.list');
    const i = runs.find((r) => r.run === run)!.interrupted!;
    expect(i.checkpoint).toBeGreaterThanOrEqual(10);
    const text = (await note.textContent())!.replace(/\s+/g, ' ');
    expect(text).toContain(`Interrupted at step ${i.step}`);
    expect(text).toContain(`Resume from step ${i.checkpoint}`);
    expect(text).toContain(i.lost === 0 ? 'no steps lost' : `${i.lost} step${i.lost === 1 ? '' : 's'} lost`);
    expect(await page.getByTestId('run-state').first().textContent()).toBe('interrupted');
    expect(await page.getByTestId('train-interrupted').textContent()).toContain(`Interrupted at step ${i.step}`);
    expect(await asksBeforeLeaving(page)).toBe(false); // nothing runs: reloading just reloads
  });

  it('Resume continues from the checkpoint to the end, each step logged once', async () => {
    const { page } = app.opened;
    await page.getByTestId('run-interrupted-resume').click();
    const row = page.locator(`[data-testid="run-row"][data-run="${run}"]`);
    await expect.poll(() => row.getAttribute('data-state'), { timeout: 180_000 }).toBe('done');
    expect(await page.getByTestId('run-interrupted').count()).toBe(0);
    const { rows } = await apiCall<{ rows: { step: number }[] }>(project.served, 'runs.metrics', { run });
    const steps = rows.map((r) => r.step);
    expect(new Set(steps).size).toBe(steps.length);
    expect(Math.max(...steps)).toBe(STEPS);
    await expect.poll(() => page.getByTestId('job-progress').count()).toBe(0);
    expect(await asksBeforeLeaving(page)).toBe(false);
  });

  /** A second tab whose event stream drops job.finished while `drop.finished`: it misses jobs' ends. */
  async function tabMissingEnds(drop: { finished: boolean }): Promise<{ page: Page; context: BrowserContext; routes: WebSocketRoute[] }> {
    const context = await app.browser.newContext();
    const routes: WebSocketRoute[] = [];
    await context.routeWebSocket(/\/events/, (ws) => {
      routes.push(ws);
      const server = ws.connectToServer();
      server.onMessage((m) => {
        if (drop.finished && String(m).includes('"event":"job.finished"')) return;
        ws.send(m);
      });
    });
    const page = await context.newPage();
    await page.goto(project.served.url);
    await page.getByTestId('nav-train').click();
    await page.getByTestId('run-row').first().waitFor();
    return { page, context, routes };
  }

  it("a tab that missed a job's end: ✕ drops the stale chip quietly (not 'The job had already finished')", async () => {
    const tab = await tabMissingEnds({ finished: true });
    try {
      const { page } = tab;
      await apiCall(project.served, 'features.run', { epochs: 1 });
      await page.getByTestId('job-progress').waitFor(); // finished, but this tab never heard it
      expect(await page.getByTestId('job-progress').textContent()).toMatch(/features/i);
      await page.getByRole('button', { name: 'Cancel features job' }).click();
      await expect.poll(() => page.getByTestId('job-progress').count()).toBe(0);
      expect((await notices(page)).join(' ')).not.toMatch(/already finished/);
    } finally {
      await tab.context.close();
    }
  });

  it("a tab that missed a job's end re-reads the engine's jobs when its stream reconnects", async () => {
    const drop = { finished: true };
    const tab = await tabMissingEnds(drop);
    try {
      const { page, routes } = tab;
      await apiCall(project.served, 'features.run', { epochs: 1 });
      await page.getByTestId('job-progress').waitFor();
      expect(await asksBeforeLeaving(page)).toBe(true); // this tab believes a job runs
      drop.finished = false;
      routes.at(-1)!.close(); // the stream drops; the page reconnects
      await expect.poll(() => page.getByTestId('job-progress').count(), { timeout: 15_000 }).toBe(0);
      expect(await asksBeforeLeaving(page)).toBe(false);
    } finally {
      await tab.context.close();
    }
  });
});
