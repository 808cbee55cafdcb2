import { describe, expect, it } from 'vitest';
import config from '../../../electron.config';

type Cfg = {
  main: { build: { rolldownOptions: { input: Record<string, string> } } };
  preload: { build: { externalizeDeps: unknown; rolldownOptions: { input: Record<string, string>; output: { format: string; entryFileNames: string; codeSplitting: boolean } } } };
  renderer: { root: string; plugins: unknown[] };
};

describe('electron.config.ts', () => {
  const cfg = config as unknown as Cfg;

  it('builds the app main and the engine child as separate main entries', () => {
    const input = cfg.main.build.rolldownOptions.input;
    expect(input.index).toMatch(/main\/app\/index\.ts$/);
    expect(input['engine-process']).toMatch(/main\/engine\/jobs\/engine-process\.ts$/);
  });

  it('emits the sandboxed preload as one self-contained CommonJS file (.cjs in a "type":"module" package)', () => {
    const { build } = cfg.preload;
    expect(build.rolldownOptions.input.index).toMatch(/main\/app\/preload\/index\.ts$/);
    expect(build.rolldownOptions.output).toMatchObject({ format: 'cjs', entryFileNames: '[name].cjs', codeSplitting: false });
    expect(build.externalizeDeps).toBe(false);
  });

  it('builds the Svelte renderer from renderer/', () => {
    expect(cfg.renderer.root).toMatch(/renderer$/);
    expect(cfg.renderer.plugins.length).toBeGreaterThan(0);
  });
});
