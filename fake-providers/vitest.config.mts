import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'fake-providers',
    include: ['src/**/*.test.ts'],
    testTimeout: 30_000,
  },
});
