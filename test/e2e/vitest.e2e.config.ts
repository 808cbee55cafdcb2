import { defineConfig } from 'vitest/config';

// Browser E2E: Chromium (helpers/browser.ts finds one) via playwright-core against `s3gan serve` (web mode).
// One file at a time: each spec starts its own server + browser and the machines have 2 cores.
export default defineConfig({
  test: {
    // Training in tests runs on one rank unless a test asks for more (the data-parallel tests do).
    env: { S3GAN_WORKERS: '1' },
    include: ['test/e2e/**/*.e2e.test.ts'],
    setupFiles: ['test/setup/vitest-setup.ts'],
    testTimeout: 240_000,
    hookTimeout: 240_000,
    fileParallelism: false,
    pool: 'forks',
    maxWorkers: 1,
    // expect.poll's 1 s default is too short on a loaded 2-core machine (a class add + re-render took
    // longer under load and failed the label spec); a real regression still fails, after 10 s.
    expect: { poll: { timeout: 10_000, interval: 100 } },
  },
});
