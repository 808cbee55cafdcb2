// The setup every view spec repeats: a synthetic image folder, `s3gan init` of a fresh project in a
// temp dir, `s3gan serve` on it, the images imported over the bridge, then a browser on the app; and
// the matching teardown. Spec-specific setup (classes, labels, stages) goes between the two steps.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import { launchBrowser, openPage, type OpenedPage } from './browser';
import { makeImageFolder, type ImageFolder } from './images';
import { apiCall, runCli, serve, tempDir, type Served } from './server';

export interface ServedProject {
  images: ImageFolder;
  projectDir: string;
  served: Served;
  /** How many images the import reported. */
  imported: number;
}

export interface WebApp {
  browser: Browser;
  opened: OpenedPage;
}

/** Makes `count` images, inits a project under a temp dir named `prefix…`, serves it and imports the images. */
export async function serveImportedProject(prefix: string, imageOpts: { count: number; size: number }, serveOpts: { env?: Record<string, string> } = {}): Promise<ServedProject> {
  const images = await makeImageFolder(imageOpts);
  const projectDir = join(await tempDir(prefix), 'proj');
  const init = await runCli(['init', projectDir, '--json']);
  expect(init.code, init.stderr).toBe(0);
  const served = await serve(projectDir, serveOpts);
  const report = await apiCall<{ imported: number }>(served, 'images.import', { folders: [images.dir] });
  return { images, projectDir, served, imported: report.imported };
}

/** Launches the browser and opens the served app. */
export async function openWebApp(served: Served): Promise<WebApp> {
  const browser = await launchBrowser();
  const opened = await openPage(browser, served.url);
  return { browser, opened };
}

/** Closes whatever of the page, browser and server was started, and removes the images and project. */
export async function closeProject(project: ServedProject | undefined, app: WebApp | undefined): Promise<void> {
  await app?.opened.context.close();
  await app?.browser.close();
  await project?.served.stop();
  if (project?.images) await rm(project.images.dir, { recursive: true, force: true });
  if (project?.projectDir) await rm(join(project.projectDir, '..'), { recursive: true, force: true });
}

/** Resolves once every <img> on the page has finished loading. */
export async function imagesLoaded(page: Page): Promise<void> {
  await page.waitForFunction(() => [...document.images].every((i) => i.complete));
}
