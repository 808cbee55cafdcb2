// Chromium driven by playwright-core; collects page errors so a spec can assert none happened. The
// browser is found so that `npm install && npm test` pass on a bare machine: CHROMIUM_PATH, else a
// system Chromium that answers --version, else the headless Chromium inside @sparticuz/chromium.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { repoRoot } from './server';

export const artifactsDir = join(repoRoot, 'test-artifacts');

export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

const SYSTEM_BROWSERS = ['chromium', 'chromium-browser', 'google-chrome'];

/** A browser on PATH that really starts: a stub, a broken install or another program fails its --version. */
export function systemChromium(env: NodeJS.ProcessEnv = process.env): string | null {
  for (const name of SYSTEM_BROWSERS) {
    for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
      const path = join(dir, name);
      if (!existsSync(path)) continue;
      const r = spawnSync(path, ['--version'], { timeout: 15_000, encoding: 'utf8' });
      // It must say it is a Chromium or Chrome: `false --version` (a stand-in mounted over one) answers 0 too.
      if (r.status === 0 && /\b(chromium|chrome)\b[^\n]*\d+\.\d+/i.test(r.stdout)) return path;
    }
  }
  return null;
}

export interface FoundBrowser {
  path: string;
  source: 'CHROMIUM_PATH' | 'system' | '@sparticuz/chromium';
}

export async function findChromium(env: NodeJS.ProcessEnv = process.env): Promise<FoundBrowser> {
  if (env.CHROMIUM_PATH) return { path: env.CHROMIUM_PATH, source: 'CHROMIUM_PATH' };
  const system = systemChromium(env);
  if (system) return { path: system, source: 'system' };
  // Unpacks its brotli-packed binary into the temp folder on first use (a second or two).
  const { default: packaged } = await import('@sparticuz/chromium');
  return { path: await packaged.executablePath(), source: '@sparticuz/chromium' };
}

let found: Promise<FoundBrowser> | null = null;

export async function launchBrowser(): Promise<Browser> {
  found ??= findChromium();
  return chromium.launch({ executablePath: (await found).path, args: chromiumArgs });
}

export interface OpenedPage {
  context: BrowserContext;
  page: Page;
  errors: string[];
}

export async function openPage(browser: Browser, url: string, opts: { colorScheme?: 'light' | 'dark'; width?: number; height?: number } = {}): Promise<OpenedPage> {
  const context = await browser.newContext({
    viewport: { width: opts.width ?? 1360, height: opts.height ?? 860 },
    colorScheme: opts.colorScheme ?? 'light',
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()} (${m.location().url})`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) errors.push(`http ${r.status()}: ${r.url().replace(/token=[^&]+/, 'token=…')}`);
  });
  await page.goto(url);
  return { context, page, errors };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(artifactsDir, { recursive: true });
  const file = join(artifactsDir, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** Teardown shared by the E2E suites: the page's context, the browser, then the served engine. */
export async function closeSession(s: { opened?: OpenedPage; browser?: Browser; served?: { stop(): Promise<unknown> } }): Promise<void> {
  await s.opened?.context.close();
  await s.browser?.close();
  await s.served?.stop();
}
