import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// Unit tests (main/engine/shared/renderer logic). Browser E2E lives in test/e2e with its own config.
export default defineConfig({
  plugins: [svelte({ compilerOptions: { runes: true } })],
  test: {
    // Training in tests runs on one rank unless a test asks for more (the data-parallel tests do).
    env: { S3GAN_WORKERS: '1' },
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup/vitest-setup.ts'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
