import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Every workspace with its own vitest.config.ts is a project.
    projects: ['*/vitest.config.{ts,mts}'],
  },
});
