// Lint: a modest rule set (ESLint + typescript-eslint recommended) plus the layering rules that keep
// the architecture honest: who may import Electron, ipcMain/ipcRenderer, main/ from the renderer,
// and the engine from the hosts. Each rule set below lists what is forbidden and for which files.
// .svelte components are linted too (eslint-plugin-svelte), under the same layering rules.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import svelte from 'eslint-plugin-svelte';
import tseslint from 'typescript-eslint';
import { engineLayers } from './scripts/lint/engine-layers.js';

const electronOnlyInApp = {
  name: 'electron',
  message: "Only main/app/** may import 'electron' (the engine, bridge, CLI and renderer run without it).",
};
const noIpcMain = { name: 'electron', importNames: ['ipcMain'], message: 'Use main/app/ipc-main.ts: it is the only place that touches ipcMain.' };
const noIpcRenderer = { name: 'electron', importNames: ['ipcRenderer'], message: 'Use main/app/preload/ipc-renderer.ts: it is the only place that touches ipcRenderer.' };
const rendererNoMain = { group: ['**/main/**', 'main/**'], message: 'The renderer talks to the app only through shared/contract and lib/api.ts.' };
const engineNoHosts = {
  group: ['**/app/**', '**/bridge/**', '**/main/app/**', '**/main/bridge/**'],
  message: 'main/engine/** is a Node library: it must not import the Electron shell or the web bridge.',
};

export default defineConfig(
  {
    ignores: ['out/**', 'dist/**', 'node_modules/**', 'renderer/dist/**', 'test-artifacts/**', 'bench-output/**', 'coverage/**'],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  svelte.configs.recommended,
  {
    // <script lang="ts"> in components and runes modules (*.svelte.ts) parse with typescript-eslint.
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] } },
    // State holds Maps/Sets as immutable values in $state.raw and replaces them whole; a Svelte{Map,Set}
    // would make in-place mutation reactive, which this code never relies on.
    rules: { 'svelte/prefer-svelte-reactivity': 'off' },
  },
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: {
        // Node and browser globals used across the repo (no extra globals package needed).
        process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', URLSearchParams: 'readonly',
        setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly',
        setImmediate: 'readonly', queueMicrotask: 'readonly', structuredClone: 'readonly', fetch: 'readonly',
        Response: 'readonly', Request: 'readonly', Headers: 'readonly', AbortController: 'readonly', AbortSignal: 'readonly',
        TextEncoder: 'readonly', TextDecoder: 'readonly', performance: 'readonly', crypto: 'readonly',
        window: 'readonly', document: 'readonly', navigator: 'readonly', location: 'readonly', WebSocket: 'readonly',
        requestAnimationFrame: 'readonly', cancelAnimationFrame: 'readonly', localStorage: 'readonly', sessionStorage: 'readonly',
        HTMLElement: 'readonly', HTMLCanvasElement: 'readonly', HTMLImageElement: 'readonly', Event: 'readonly', KeyboardEvent: 'readonly',
        MouseEvent: 'readonly', PointerEvent: 'readonly', CustomEvent: 'readonly', ResizeObserver: 'readonly', IntersectionObserver: 'readonly',
        Blob: 'readonly', File: 'readonly', FormData: 'readonly', Image: 'readonly', ImageData: 'readonly', getComputedStyle: 'readonly',
        NodeJS: 'readonly', globalThis: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // TypeScript checks these better than ESLint's scope analysis does.
      'no-undef': 'off',
      // Sanitising file names and CSV legitimately matches control characters.
      'no-control-regex': 'off',
      // New in ESLint 10's recommended set; flags harmless defensive initialisation.
      'no-useless-assignment': 'off',
      // Visible but not blocking: the engine wraps untyped tfjs internals in a few places.
      '@typescript-eslint/no-explicit-any': 'warn',
    },
  },
  {
    // Tests poke at internals and fakes; `any` there is a tool, not a design smell.
    files: ['test/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  // Layering. ESLint keeps only the last matching `no-restricted-imports`, so each block is complete.
  {
    files: ['**/*.{ts,js,mjs,cjs,svelte}'],
    rules: { 'no-restricted-imports': ['error', { paths: [electronOnlyInApp] }] },
  },
  {
    files: ['main/app/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [noIpcMain, noIpcRenderer] }] },
  },
  {
    files: ['main/app/ipc-main.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [noIpcRenderer] }] },
  },
  {
    files: ['main/app/preload/ipc-renderer.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [noIpcMain] }] },
  },
  {
    files: ['renderer/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [electronOnlyInApp], patterns: [rendererNoMain] }] },
  },
  {
    // State classes receive the API client (lib/state/stores.ts builds the one real one): types only.
    files: ['renderer/src/lib/state/**'],
    ignores: ['renderer/src/lib/state/stores.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [{ group: ['**/api'], allowTypeImports: true, message: 'State classes take the API client as a constructor parameter (see lib/state/studio.ts).' }] }],
    },
  },
  {
    files: ['main/engine/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [electronOnlyInApp], patterns: [engineNoHosts] }] },
  },
  {
    // The engine's folders in layers, lowest first: a folder imports only itself and lower layers, so
    // folders cannot import each other in circles (scripts/lint/engine-layers.js).
    files: ['main/engine/**/*.{ts,js,mjs}'],
    plugins: { local: { rules: { 'engine-layers': engineLayers } } },
    rules: {
      'local/engine-layers': ['error', {
        root: 'main/engine',
        layers: [
          ['base'], // PRNG, linear algebra, durable writes, job context, handler and project types
          ['backend', 'models'],
          ['parallel'], // data-parallel ranks: all-reduce, worker threads (GAN trainer and encoder stages)
          ['cluster', 'data', 'metrics', 'selfsup'],
          ['pipeline'], // features → clusters → inferred labels
          ['project'],
          ['gan/run'], // run folders, config, checkpoint files
          ['gan/sample'], // EMA generator, grids, export
          ['metrics/gan'], // evaluation of a run (FD-SS, KID-SS, CAS, diversity)
          ['gan/train'],
          ['(top)'], // the engine service and its handlers
          ['jobs'], // hosts the service in a child process
        ],
      }],
    },
  },
);
