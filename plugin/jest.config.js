// force timezone to UTC to allow tests to work regardless of local timezone
// generally used by snapshots, but can affect specific tests
process.env.TZ = 'UTC';

module.exports = {
  // Jest configuration provided by Grafana scaffolding
  ...require('./.config/jest.config'),
  // Unit tests only: the browser tests in e2e/ are Vitest's (vitest.config.ts).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/e2e/'],
};
