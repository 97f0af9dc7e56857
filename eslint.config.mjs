import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

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
