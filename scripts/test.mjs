#!/usr/bin/env node
// `npm test`: every check of the repo, one after the other, then one line
// `N passed, N failed` summing them all (CI reads that line, not the runners' own).
// On a fresh clone it first installs the npm dependencies and the programs the
// tests run (Prometheus, Alertmanager, Chromium, Redis, PostgreSQL, …) from
// Debian when it may (root or `sudo -n`; MODELWATCH_NO_INSTALL=1 never does);
// when one is missing and cannot be installed, it names the command and runs nothing.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root, setUp, workspaces } from './setup.mjs';

const { tools } = await setUp('test');
if (tools.missing.length > 0) {
  console.error(`\nnpm test needs ${tools.missing.map((tool) => tool.label).join(', ')}, which could not be installed here; no test was run.`);
  console.error(`Install them with:\n\n  ${tools.installCommand}\n\nthen run npm test again.`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}

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

/** Jest (the Grafana plugin's toolchain), counted test by test from its JSON report. */
function runJest(workspace) {
  const dir = mkdtempSync(join(tmpdir(), 'modelwatch-test-'));
  const report = join(dir, 'jest.json');
  console.log(`\n▶ jest (${workspace})`);
  const { status } = spawnSync('npx', ['jest', '--ci', '--json', `--outputFile=${report}`], { cwd: join(root, workspace), stdio: 'inherit' });
  let passed = 0;
  let failed = 0;
  try {
    const summary = JSON.parse(readFileSync(report, 'utf8'));
    passed = summary.numPassedTests;
    failed = summary.numFailedTests + summary.numPendingTests + summary.numTodoTests + summary.numRuntimeErrorTestSuites;
  } catch {
    failed += 1;
  }
  if (status !== 0 && failed === 0) failed = 1;
  results.push({ name: `jest ${workspace}`, passed, failed });
  rmSync(dir, { recursive: true, force: true });
}

// Every workspace takes part by convention, so adding one needs no change here:
// `tsconfig.test.json` type-checks its tests, `vitest.config.ts` (or .mts) joins the Vitest
// projects (root vitest.config.ts), `jest.config.js` runs its Jest suites.
const has = (ws, file) => existsSync(join(root, ws, file));

runCheck('lint', 'npx', ['eslint', '--max-warnings=0', '.']);
runCheck('build', 'npm', ['run', 'build', '--silent']);
runCheck('typecheck examples', 'npx', ['tsc', '-p', 'exporter/examples']);
for (const ws of workspaces.filter((w) => has(w, 'tsconfig.test.json'))) {
  runCheck(`typecheck ${ws} tests`, 'npx', ['tsc', '-p', `${ws}/tsconfig.test.json`]);
}
runVitest(process.argv.slice(2));
for (const ws of workspaces.filter((w) => has(w, 'jest.config.js'))) runJest(ws);

console.log('\nSummary');
for (const r of results) console.log(`  ${r.name.padEnd(30)} ${r.passed} passed, ${r.failed} failed`);
const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
