// Layout checks for the screenshot E2E: every visible element's box inside its parent's (text that
// spills out of a button counts too: scrollWidth > clientWidth), and small screenshots of each view.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { artifactsDir } from './browser';
import { repoRoot } from './server';

export const VIEWS = ['project', 'label', 'clusters', 'review', 'train', 'samples'] as const;

/** Elements of the top bar, nav and current view that leave their parent (or clip their own text). */
export function findOverflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const describe = (el: Element) => {
      const id = el.getAttribute('data-testid');
      const cls = typeof el.className === 'string' && el.className ? `.${el.className.trim().split(/\s+/)[0]}` : '';
      return `${el.tagName.toLowerCase()}${id ? `[${id}]` : cls} "${(el.textContent ?? '').trim().slice(0, 30)}"`;
    };
    const scrolls = (s: CSSStyleDeclaration) => /(auto|scroll)/.test(s.overflowX + s.overflowY);
    const bad: string[] = [];
    for (const el of document.querySelectorAll('.shell *')) {
      const s = getComputedStyle(el);
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0 || s.visibility === 'hidden' || s.position === 'fixed' || el.closest('.sr-only, [aria-hidden="true"]')) continue;
      if (el.closest('details:not([open]) > :not(summary)')) continue; // not rendered while closed
      const p = el.parentElement;
      if (p && !scrolls(getComputedStyle(p))) {
        const q = p.getBoundingClientRect();
        if (r.left < q.left - 1 || r.right > q.right + 1 || r.top < q.top - 1 || r.bottom > q.bottom + 1) {
          bad.push(`${describe(el)} outside ${describe(p)}`);
          continue;
        }
      }
      // Own content wider than the box (clipped or spilling text), unless it scrolls or ends in an ellipsis.
      const replaced = ['INPUT', 'SELECT', 'TEXTAREA', 'CANVAS', 'IMG', 'svg', 'OPTION'].includes(el.tagName);
      if (!replaced && !scrolls(s) && s.textOverflow !== 'ellipsis' && el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0) {
        bad.push(`${describe(el)} content ${el.scrollWidth}px in ${el.clientWidth}px`);
      }
    }
    return bad;
  });
}

/** A palette PNG (small enough to commit) in test-artifacts, and in docs/images when S3GAN_DOCS=1. */
export async function shoot(page: Page, name: string): Promise<void> {
  const png = await sharp(await page.screenshot()).png({ palette: true, colours: 64, compressionLevel: 9, effort: 10 }).toBuffer();
  await mkdir(artifactsDir, { recursive: true });
  await writeFile(join(artifactsDir, `${name}.png`), png);
  if (process.env.S3GAN_DOCS === '1') {
    const dir = join(repoRoot, 'docs', 'images');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, `${name}.png`), png);
  }
}
