// Which browser the E2E suite drives: CHROMIUM_PATH, else a system Chromium that really starts, else
// the one inside @sparticuz/chromium — so a bare machine needs nothing installed by hand.
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { chromiumArgs, findChromium, systemChromium } from './helpers/browser';

function fakeBrowser(script: string): string {
  const dir = mkdtempSync(join(tmpdir(), 's3gan-fake-chromium-'));
  writeFileSync(join(dir, 'chromium'), `#!/bin/sh\n${script}\n`);
  chmodSync(join(dir, 'chromium'), 0o755);
  return dir;
}

describe('finding a browser for the E2E suite', () => {
  it('skips a system "chromium" that does not start, and takes one that answers --version', () => {
    expect(systemChromium({ PATH: fakeBrowser('exit 127') })).toBeNull();
    // /bin/false mounted over chromium: GNU false answers --version with exit 0 and a version number.
    expect(systemChromium({ PATH: fakeBrowser('echo "false (GNU coreutils) 9.1"') })).toBeNull();
    const chrome = fakeBrowser('echo "Google Chrome 131.0.6778.85"');
    expect(systemChromium({ PATH: chrome })).toBe(join(chrome, 'chromium'));
    const ok = fakeBrowser('echo "Chromium 140.0.1 built on Debian"');
    expect(systemChromium({ PATH: ok })).toBe(join(ok, 'chromium'));
  });

  it('prefers CHROMIUM_PATH', async () => {
    expect(await findChromium({ CHROMIUM_PATH: '/opt/x/chrome', PATH: '' })).toEqual({ path: '/opt/x/chrome', source: 'CHROMIUM_PATH' });
  });

  it('falls back to the packaged headless Chromium, which renders a page', async () => {
    const found = await findChromium({ PATH: fakeBrowser('exit 127') });
    expect(found.source).toBe('@sparticuz/chromium');
    const browser = await chromium.launch({ executablePath: found.path, args: chromiumArgs });
    try {
      const page = await browser.newPage();
      await page.setContent('<p id="x">rendered</p>');
      expect(await page.textContent('#x')).toBe('rendered');
    } finally {
      await browser.close();
    }
  }, 120_000);
});
