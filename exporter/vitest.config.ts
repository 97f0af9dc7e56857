import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'exporter',
    include: ['src/**/*.test.ts', 'examples/**/*.test.ts'],
    // Integration tests start real servers and a real Prometheus; give them room on a 2-core machine.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
