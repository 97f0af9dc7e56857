import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The browser end-to-end tests and the preview server's; the unit tests of src/ are Jest's (jest.config.js).
    name: 'plugin',
    include: ['e2e/**/*.e2e.test.ts', 'preview/server/**/*.test.ts'],
    environment: 'node',
    testTimeout: 150_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
