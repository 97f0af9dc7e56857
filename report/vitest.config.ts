import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'report',
    include: ['src/**/*.test.ts'],
    // The golden tests run a real Prometheus on a backfilled TSDB, the HTML test a real Chromium: room on a 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
