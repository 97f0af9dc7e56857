import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'conventions',
    include: ['src/**/*.test.ts'],
    // The recording rules' promtool tests run a real promtool.
    testTimeout: 30_000,
  },
});
