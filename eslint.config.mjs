import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * What may import what (docs/architecture.md): the Modelwatch packages each
 * part may import. Everything else of `@modelwatch/*`, and any relative path
 * into another workspace, fails the lint. `runtime` is what a workspace ships
 * or runs; `tests` adds what its tests, fixtures and test support may use.
 */
const WORKSPACES = ['conventions', 'testkit', 'fake-providers', 'exporter', 'report', 'demo', 'stack', 'alerting', 'dashboards', 'plugin'];
const MAY_IMPORT = [
  { name: 'conventions', files: ['conventions/**'], runtime: [], tests: ['testkit'] },
  { name: 'testkit', files: ['testkit/**'], runtime: [], tests: [] },
  { name: 'fake-providers', files: ['fake-providers/**'], runtime: [], tests: [] },
  { name: 'exporter', files: ['exporter/**'], runtime: ['conventions'], tests: ['exporter', 'testkit', 'fake-providers'] },
  // The bench starts the demo as npm start does.
  { name: 'exporter bench', files: ['exporter/bench/**'], runtime: ['conventions', 'exporter', 'testkit', 'fake-providers', 'stack'], tests: [] },
  { name: 'report', files: ['report/**'], runtime: ['conventions'], tests: ['testkit'] },
  // The traffic generator's --report writes the run's performance baseline report.
  { name: 'demo', files: ['demo/**'], runtime: ['conventions', 'exporter', 'fake-providers', 'report'], tests: ['testkit'] },
  { name: 'stack', files: ['stack/**'], runtime: ['conventions', 'testkit'], tests: [] },
  // The generators' live and detection harnesses run the local stack; the scale path's live test sweeps the
  // dashboards' and the app's queries (plugin/src/queries) against it.
  { name: 'alerting', files: ['alerting/**'], runtime: ['conventions', 'testkit', 'stack'], tests: ['dashboards', 'plugin'] },
  { name: 'dashboards', files: ['dashboards/**'], runtime: ['conventions'], tests: ['testkit', 'stack'] },
  // src/ is the browser bundle; the preview harness and the browser tests run the local stack.
  { name: 'plugin', files: ['plugin/**'], runtime: ['conventions'], tests: ['testkit', 'stack'], testDirs: ['preview/**', 'e2e/**'] },
];
const TEST_FILES = ['**/*.test.{ts,tsx}', '**/__fixtures__/**', '**/test-support/**', '**/examples/**', '**/bench/**', '**/live/**', '**/detection/**'];

function boundaries({ name, runtime, tests }, forTests) {
  const allowed = new Set([name, ...runtime, ...(forTests ? tests : [])]);
  const forbidden = WORKSPACES.filter((ws) => !allowed.has(ws));
  const others = WORKSPACES.filter((ws) => ws !== name).join('|');
  return [
    'error',
    {
      patterns: [
        ...forbidden.map((ws) => ({
          group: [`@modelwatch/${ws}`, `@modelwatch/${ws}/*`],
          message: `${name}${forTests ? ' tests' : ''} may not import @modelwatch/${ws} (docs/architecture.md: what may import what).`,
        })),
        { regex: `^(\\.\\./)+(${others})/`, message: `import another workspace by its package name, not by a relative path into it (docs/architecture.md).` },
      ],
    },
  ];
}

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '**/coverage/**', '.data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-control-regex': 'off',
    },
  },
  ...MAY_IMPORT.flatMap((ws) => [
    { files: ws.files, rules: { 'no-restricted-imports': boundaries(ws, false) } },
    { files: ws.files.flatMap((f) => [...TEST_FILES, ...(ws.testDirs ?? [])].map((t) => `${f.replace(/\*\*$/, '')}${t}`)), rules: { 'no-restricted-imports': boundaries(ws, true) } },
  ]),
  // Node's global `performance` is a getter that runs on every read (about 170 instructions under callgrind);
  // the exporter's hot paths import it instead.
  {
    files: ['exporter/src/**/*.ts'],
    ignores: TEST_FILES,
    rules: { 'no-restricted-globals': ['error', { name: 'performance', message: "import { performance } from 'node:perf_hooks': the global is a getter run on every read." }] },
  },
  // Grafana app plugin: the scaffold-managed toolchain (.config) and build outputs are not ours to lint.
  { ignores: ['plugin/.config/**', 'plugin/dist/**', 'plugin/dist-preview/**', 'plugin/.tmp/**'] },
  {
    files: ['plugin/src/**/*.{ts,tsx}', 'plugin/preview/host/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // Jest (the scaffold's runner) with jsdom; its config files are CommonJS.
    files: ['plugin/src/**/*.test.{ts,tsx}', 'plugin/jest-setup.js', 'plugin/jest.config.js'],
    languageOptions: { globals: { ...globals.browser, ...globals.jest } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
