import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const require = createRequire(`${root}/package.json`);
const pkg = JSON.parse(readFileSync(`${root}/package.json`, 'utf8')) as { build: Record<string, unknown>; scripts: Record<string, string> };

describe('electron-builder configuration (package.json "build")', () => {
  it('passes electron-builder’s own schema validation', async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as { validateConfiguration(c: unknown, l: unknown): Promise<void> };
    const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
    await expect(validateConfiguration(pkg.build, new DebugLogger(false))).resolves.toBeUndefined();
    // The validator is not a rubber stamp: a misspelt key fails.
    await expect(validateConfiguration({ ...pkg.build, linux: { targets: 'AppImage' } }, new DebugLogger(false))).rejects.toThrow(/configuration/i);
  });

  it('names the app, packs only the build output, and targets every desktop platform', () => {
    const b = pkg.build as {
      appId: string; productName: string; files: string[]; directories: { output: string };
      linux: { target: string[]; category: string }; win: { target: string }; mac: { target: string };
    };
    expect(b.appId).toBe('app.s3gan.studio');
    expect(b.productName).toBe('S3GAN Studio');
    expect(b.directories.output).toBe('dist');
    expect(b.files).toEqual(['out/**', 'package.json']);
    expect(b.linux.target).toEqual(['AppImage', 'deb']);
    expect(b.linux.category).toBe('Graphics');
    expect(b.win.target).toBe('nsis');
    expect(b.mac.target).toBe('dmg');
  });

  it('has a 512×512 PNG icon in resources/', async () => {
    const icon = `${root}/resources/icon.png`;
    expect(existsSync(icon)).toBe(true);
    const meta = await sharp(icon).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 512, 512]);
  });

  it('wires the scripts that build and package it', () => {
    expect(pkg.scripts.build).toBe('electron-vite build --config electron.config.ts');
    expect(pkg.scripts.dist).toMatch(/electron-builder/);
    expect(pkg.scripts.lint).toBe('eslint .');
    expect(pkg.scripts.start).toBe('node scripts/start.js');
  });
});
