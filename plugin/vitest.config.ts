import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The browser end-to-end tests; the unit tests are Jest's (jest.config.js).
    name: 'plugin',
    include: ['e2e/**/*.e2e.test.ts'],
    environment: 'node',
    testTimeout: 150_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
