import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'alerting',
    include: ['src/**/*.test.ts'],
    // Live tests run a real Prometheus against the demo under traffic, and promtool tests evaluate the rules over
    // hours of input (10–20 s each on an idle 2-core host, several times that on a loaded one): give them room.
    // Timeouts guard against hangs; no test's speed is judged by them.
    testTimeout: 180_000,
    hookTimeout: 120_000,
  },
});
