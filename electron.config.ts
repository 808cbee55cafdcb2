// electron-vite: three builds into out/. main = the Electron main process plus the engine child
// entry (utilityProcess.fork needs its own file); preload = ONE CommonJS file (sandboxed preloads
// cannot load ES modules or other files); renderer = the Svelte app.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'electron-vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const at = (p: string) => resolve(root, p);

// Native or optional packages: loaded from node_modules at run time, never bundled.
const nativeExternals = ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', 'sharp', 'chokidar', 'fsevents'];

export default defineConfig({
  main: {
    build: {
      outDir: at('out/main'),
      externalizeDeps: { include: nativeExternals },
      rolldownOptions: {
        input: {
          index: at('main/app/index.ts'),
          'engine-process': at('main/engine/jobs/engine-process.ts'),
          // Data-parallel training threads (worker_threads need a file of their own).
          'gan-worker': at('main/engine/gan/train/parallel/worker.ts'),
          'encoder-worker': at('main/engine/selfsup/parallel/encoder-worker.ts'),
        },
        output: { entryFileNames: '[name].js' },
      },
    },
  },
  preload: {
    build: {
      outDir: at('out/preload'),
      // Bundle zod and the contract into the preload: a sandboxed preload can require only 'electron'.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: at('main/app/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs', codeSplitting: false },
      },
    },
  },
  renderer: {
    root: at('renderer'),
    base: './',
    plugins: [svelte({ compilerOptions: { runes: true } })],
    build: {
      outDir: at('out/renderer'),
      target: 'es2022',
      rolldownOptions: { input: { index: at('renderer/index.html') } },
    },
  },
});
