import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'dashboards',
    include: ['src/**/*.test.ts'],
    // Live tests run a real Prometheus against the demo under traffic: give them room on a 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
