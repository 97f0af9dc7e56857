// force timezone to UTC to allow tests to work regardless of local timezone
// generally used by snapshots, but can affect specific tests
process.env.TZ = 'UTC';

const path = require('path');
const grafanaJestConfig = require('./.config/jest.config');
const { grafanaESModules, nodeModulesToTransform } = require('./.config/jest/utils');

/** The module of @grafana/runtime that defines `setPanelRenderer` (preview/host/runtimeInternal.d.ts). */
const runtimePanelRenderer = path.join(path.dirname(require.resolve('@grafana/runtime/package.json')), 'dist', 'cjs', 'components', 'PanelRenderer.cjs');

module.exports = {
  // Jest configuration provided by Grafana scaffolding
  ...grafanaJestConfig,
  // The pages' tests render whole pages of @grafana/ui in jsdom: about a second each on an idle 2-core host, many
  // times that on a loaded one (three missed Jest's 5 s there). A guard against hangs, not a speed goal; the
  // render timing is the bench's (plugin/bench/render.ts).
  testTimeout: 30_000,
  // Unit tests only: the browser tests in e2e/ are Vitest's (vitest.config.ts).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/e2e/'],
  // The preview host's stand-ins (preview/host/) are unit-tested too; the preview server's tests are Vitest's.
  testMatch: [...grafanaJestConfig.testMatch, '<rootDir>/preview/host/**/*.test.{ts,tsx}'],
  moduleNameMapper: {
    ...grafanaJestConfig.moduleNameMapper,
    '^@grafana/runtime/internal$': runtimePanelRenderer,
    // TableNG's text wrapping package declares only a `module` entry, which Jest's resolver does not read.
    '^uwrap$': path.join(path.dirname(require.resolve('uwrap/package.json')), 'dist', 'uWrap.mjs'),
  },
  // The preview host's table stand-in draws @grafana/ui's TableNG, whose data grid and text wrapping ship as ESM only.
  transformIgnorePatterns: [nodeModulesToTransform([...grafanaESModules, '@grafana/react-data-grid', 'uwrap'])],
  transform: {
    ...grafanaJestConfig.transform,
    // @grafana/data 13 resolves d3-color to its ESM-only .mjs build.
    '^.+\\.mjs$': grafanaJestConfig.transform['^.+\\.(t|j)sx?$'],
  },
};
