import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bundledWorker } from '../../../../main/engine/parallel/worker-group';

describe('bundled worker files', () => {
  it('are looked for beside the starting module and one folder up (electron-vite puts shared code in out/main/chunks/)', () => {
    const from = new URL('file:///app/out/main/chunks/ranks-abc.js').href;
    expect(bundledWorker('encoder-worker.js', from).map((u) => fileURLToPath(u))).toEqual([
      '/app/out/main/chunks/encoder-worker.js',
      '/app/out/main/encoder-worker.js',
    ]);
  });
});
