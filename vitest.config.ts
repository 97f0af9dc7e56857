import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: ['exporter', 'fake-providers', 'demo', 'stack'],
  },
});
