#!/usr/bin/env node
// `npm test`: every check of the repo, one after the other, then one line
// `N passed, N failed` summing them all (CI reads that line, not the runners' own).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const results = [];

/** A step that passes or fails as a whole (lint, type check). */
function runCheck(name, command, args) {
  console.log(`\n▶ ${name}: ${command} ${args.join(' ')}`);
  const { status } = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  results.push({ name, passed: status === 0 ? 1 : 0, failed: status === 0 ? 0 : 1 });
}

/** Vitest, counted test by test from its JSON report. */
function runVitest(extraArgs) {
  const dir = mkdtempSync(join(tmpdir(), 'modelwatch-test-'));
  const report = join(dir, 'vitest.json');
  console.log(`\n▶ vitest ${extraArgs.join(' ')}`);
  const { status } = spawnSync('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...extraArgs], {
    cwd: root,
    stdio: 'inherit',
  });
  let passed = 0;
  let failed = 0;
  try {
    const summary = JSON.parse(readFileSync(report, 'utf8'));
    passed = summary.numPassedTests;
    failed = summary.numFailedTests + summary.numPendingTests + summary.numTodoTests;
    // A suite that failed to load has no tests in the counts; it must still fail the run.
    failed += summary.testResults.filter((file) => file.status === 'failed' && file.assertionResults.length === 0).length;
  } catch {
    failed += 1;
  }
  if (status !== 0 && failed === 0) failed = 1;
  results.push({ name: 'vitest', passed, failed });
  rmSync(dir, { recursive: true, force: true });
}

runCheck('lint', 'npx', ['eslint', '--max-warnings=0', '.']);
runCheck('typecheck and build', 'npx', ['tsc', '-b', 'fake-providers', 'exporter', 'demo', 'stack']);
runCheck('typecheck examples', 'npx', ['tsc', '-p', 'exporter/examples']);
runCheck('typecheck fake-providers tests', 'npx', ['tsc', '-p', 'fake-providers/tsconfig.test.json']);
runCheck('typecheck demo tests', 'npx', ['tsc', '-p', 'demo/tsconfig.test.json']);
runCheck('typecheck stack tests', 'npx', ['tsc', '-p', 'stack/tsconfig.test.json']);
runVitest(process.argv.slice(2));

console.log('\nSummary');
for (const r of results) console.log(`  ${r.name.padEnd(22)} ${r.passed} passed, ${r.failed} failed`);
const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
