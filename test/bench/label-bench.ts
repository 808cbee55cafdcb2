// Label bench, in Debian Chromium against `s3gan serve` (web mode):
//  - label persistence latency: 1,000 `labels.set` requests from the page, each timed from request
//    to the engine's acknowledgement (the response comes only after the label log is fsync'd);
//  - the same through the UI: number keys on the gallery, keydown → "All labels saved";
//  - the gallery's first render with 20,000 images (images.list answered with 20,000 synthetic items
//    and one shared thumbnail via page.route, so the renderer is what is measured, not an import),
//    and frame times while scrolling through them.
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { launchBrowser, openPage } from '../e2e/helpers/browser';
import { makeImageFolder } from '../e2e/helpers/images';
import { apiCall, repoRoot, runCli, serve, tempDir } from '../e2e/helpers/server';
import type { BenchReport } from './run';

const LABELS = Number(process.env.BENCH_LABELS ?? 1000);
const UI_KEYS = Number(process.env.BENCH_UI_KEYS ?? 200);
const GALLERY_ITEMS = Number(process.env.BENCH_GALLERY ?? 20_000);
const MOUNT_REPEATS = 5;
/** Pixels scrolled per frame: ~ a fast flick of the mouse wheel. */
const SCROLL_STEP = Number(process.env.BENCH_SCROLL_STEP ?? 400);

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const i = (s.length - 1) * q;
  const lo = Math.floor(i);
  const hi = Math.ceil(i);
  return s[lo]! + (s[hi]! - s[lo]!) * (i - lo);
}
const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

function syntheticItems(n: number) {
  return Array.from({ length: n }, (_, i) => ({
    id: `bench${i.toString(16).padStart(8, '0')}`,
    name: `synthetic-${i}.png`,
    source: `/bench/synthetic-${i}.png`,
    rel: `synthetic-${i}.png`,
    width: 32,
    height: 32,
    status: 'ok',
    excluded: false,
    label: null,
    labelSource: null,
    order: i,
  }));
}

export async function run(): Promise<BenchReport> {
  if (!existsSync(join(repoRoot, 'renderer/dist/index.html'))) {
    const build = await import('node:child_process').then((cp) => cp.spawnSync('npm', ['run', 'build:renderer'], { cwd: repoRoot, stdio: 'inherit' }));
    if (build.status !== 0) throw new Error('npm run build:renderer failed');
  }
  const images = await makeImageFolder({ count: 60, size: 32 });
  const root = await tempDir('s3gan-label-bench-');
  const projectDir = join(root, 'proj');
  const init = await runCli(['init', projectDir, '--json']);
  if (init.code !== 0) throw new Error(`s3gan init failed: ${init.stderr}`);
  const served = await serve(projectDir);
  const browser = await launchBrowser();
  try {
    await apiCall(served, 'images.import', { folders: [images.dir] });
    for (const name of ['a', 'b', 'c']) await apiCall(served, 'classes.add', { name });
    const { items } = await apiCall<{ items: Array<{ id: string }> }>(served, 'images.list');
    const { classes } = await apiCall<{ classes: Array<{ id: string }> }>(served, 'project.current');
    const { page } = await openPage(browser, served.url);
    await page.getByTestId('nav-label').click();
    await page.locator('[data-testid="thumb"]').first().waitFor();

    // 1. Request → acknowledged, from the page (same fetch path as the UI).
    console.error(`  ${LABELS} labels.set requests…`);
    const apiLatencies = await page.evaluate(
      async ({ ids, classIds, n }) => {
        const token = sessionStorage.getItem('s3gan.token');
        const out: number[] = [];
        for (let i = 0; i < n; i++) {
          const t = performance.now();
          const res = await fetch('/api/labels.set', {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
            body: JSON.stringify({ ids: [ids[i % ids.length]], classId: classIds[i % classIds.length], source: 'hand' }),
          });
          const body = await res.json();
          if (!body.ok) throw new Error(body.error.message);
          out.push(performance.now() - t);
        }
        return out;
      },
      { ids: items.map((i) => i.id), classIds: classes.map((c) => c.id), n: LABELS },
    );

    // 2. Through the UI: a number key on the focused image until the pending state clears.
    console.error(`  ${UI_KEYS} number keys through the gallery…`);
    await page.reload();
    await page.locator('[data-testid="thumb"]').first().click();
    const uiLatencies = await page.evaluate(async (n) => {
      const grid = document.querySelector('[data-testid="gallery"]')!;
      const out: number[] = [];
      for (let i = 0; i < n; i++) {
        const key = String((i % 3) + 1);
        const t = performance.now();
        grid.dispatchEvent(new KeyboardEvent('keydown', { key, code: `Digit${key}`, bubbles: true }));
        // The pending state renders on the next microtask flush; then wait for the acknowledgement.
        while (!document.querySelector('[data-pending="true"]') && performance.now() - t < 1000) await new Promise((r) => setTimeout(r, 0));
        while (!document.querySelector('[data-testid="saved"]') || document.querySelector('[data-pending="true"]')) {
          await new Promise((r) => setTimeout(r, 0));
        }
        out.push(performance.now() - t);
      }
      return out;
    }, UI_KEYS);

    // 3. First render of a 20,000-image gallery (renderer cost only).
    console.error(`  gallery with ${GALLERY_ITEMS} images…`);
    const list = JSON.stringify({ ok: true, result: { items: syntheticItems(GALLERY_ITEMS) } });
    const thumb = await sharp({ create: { width: 128, height: 128, channels: 3, background: '#7a8fb0' } }).webp().toBuffer();
    await page.route('**/api/images.list', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: list }));
    await page.route('**/thumb/**', (route) => (process.env.BENCH_NO_THUMBS ? route.abort() : route.fulfill({ status: 200, contentType: 'image/webp', body: thumb })));
    const shownText = `${GALLERY_ITEMS.toLocaleString('en-US')} shown`;
    await page.reload();
    await page.waitForFunction((t) => document.querySelector('[data-testid="gallery-count"]')?.textContent === t && document.querySelector('[data-testid="thumb"]'), shownText, { polling: 'raf' });
    const loadToGalleryMs = await page.evaluate(() => performance.now());

    const mounts: number[] = [];
    for (let i = 0; i < MOUNT_REPEATS; i++) {
      await page.getByTestId('nav-project').click();
      await page.getByTestId('status-images').waitFor();
      mounts.push(
        await page.evaluate(async () => {
          const t = performance.now();
          (document.querySelector('[data-testid="nav-label"]') as HTMLButtonElement).click();
          while (!document.querySelector('[data-testid="thumb"]')) await new Promise((r) => requestAnimationFrame(r));
          await new Promise((r) => requestAnimationFrame(r)); // the frame that paints them
          return performance.now() - t;
        }),
      );
    }
    const domCells = await page.locator('[data-testid="thumb"]').count();

    const scroll = await page.evaluate(async (step) => {
      const grid = document.querySelector('[data-testid="gallery"]') as HTMLElement;
      const frames: number[] = [];
      let maxCells = 0;
      let last = await new Promise<number>((r) => requestAnimationFrame(r));
      for (let i = 0; i < 180; i++) {
        grid.scrollTop += step;
        const now = await new Promise<number>((r) => requestAnimationFrame(r));
        frames.push(now - last);
        last = now;
        maxCells = Math.max(maxCells, document.querySelectorAll('[data-testid="thumb"]').length);
      }
      return { frames, maxCells, scrolledTo: grid.scrollTop, height: grid.scrollHeight };
    }, SCROLL_STEP);

    const metrics = {
      label_api_median_ms: round(quantile(apiLatencies, 0.5)),
      label_api_p95_ms: round(quantile(apiLatencies, 0.95)),
      label_api_count: apiLatencies.length,
      label_ui_median_ms: round(quantile(uiLatencies, 0.5)),
      label_ui_p95_ms: round(quantile(uiLatencies, 0.95)),
      label_ui_count: uiLatencies.length,
      gallery_items: GALLERY_ITEMS,
      gallery_load_to_first_paint_ms: round(loadToGalleryMs, 0),
      gallery_mount_median_ms: round(quantile(mounts, 0.5), 1),
      gallery_dom_cells: domCells,
      gallery_scroll_frame_median_ms: round(quantile(scroll.frames, 0.5), 1),
      gallery_scroll_frame_p95_ms: round(quantile(scroll.frames, 0.95), 1),
      gallery_scroll_max_dom_cells: scroll.maxCells,
      // Frame times depend on what else the machine runs: keep the load next to them.
      load_average_1min: round(loadavg()[0] ?? 0, 1),
    };
    return {
      title: 'Labeling: persistence latency and a 20,000-image gallery in Chromium',
      metrics,
      markdown: [
        `Label latency: ${LABELS} sequential \`labels.set\` requests from the page to \`s3gan serve\` (each answered after the label log's fsync); UI: ${UI_KEYS} number keys dispatched on the gallery, timed until no label is pending.`,
        `Gallery: \`images.list\` answered with ${GALLERY_ITEMS} synthetic items and one shared webp thumbnail (page.route), so this measures the renderer. "load to first paint" is from navigation start of a reload (Label view) to the frame with thumbnails; "mount" is the Label view appearing from the Project view (median of ${MOUNT_REPEATS}); scrolling moves ${SCROLL_STEP} px per frame for 180 frames (scrolled ${Math.round(scroll.scrolledTo)} of ${scroll.height} px).`,
      ].join('\n\n'),
    };
  } finally {
    await browser.close();
    await served.stop();
    await rm(images.dir, { recursive: true, force: true });
    await rm(root, { recursive: true, force: true });
  }
}

// `npx tsx test/bench/label-bench.ts` runs it alone and prints the report.
if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  run().then(
    (r) => console.log(JSON.stringify(r, null, 2)),
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
