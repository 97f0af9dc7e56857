// force timezone to UTC to allow tests to work regardless of local timezone
// generally used by snapshots, but can affect specific tests
process.env.TZ = 'UTC';

const grafanaJestConfig = require('./.config/jest.config');

module.exports = {
  // Jest configuration provided by Grafana scaffolding
  ...grafanaJestConfig,
  // Unit tests only: the browser tests in e2e/ are Vitest's (vitest.config.ts).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/e2e/'],
  transform: {
    ...grafanaJestConfig.transform,
    // @grafana/data 13 resolves d3-color to its ESM-only .mjs build.
    '^.+\\.mjs$': grafanaJestConfig.transform['^.+\\.(t|j)sx?$'],
  },
};
