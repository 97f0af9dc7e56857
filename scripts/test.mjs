#!/usr/bin/env node
// `npm test`: every check of the repo (the lint alongside the build, then the type
// checks side by side, then Vitest, then Jest), then one line `N passed, N failed`
// summing them all (CI reads that line, not the runners' own).
// On a fresh clone it first installs the npm dependencies and the programs the
// tests run (Prometheus, Alertmanager, Chromium, Redis, PostgreSQL, …) from
// Debian when it may (root or `sudo -n`; MODELWATCH_NO_INSTALL=1 never does);
// when one is missing and cannot be installed, it names the command and runs nothing.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { root, setUp, workspaces } from './setup.mjs';

const { tools } = await setUp('test');
if (tools.missing.length > 0) {
  console.error(`\nnpm test needs ${tools.missing.map((tool) => tool.label).join(', ')}, which could not be installed here; no test was run.`);
  console.error(`Install them with:\n\n  ${tools.installCommand}\n\nthen run npm test again.`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}

const results = [];
/** What failed, a line each, repeated after the summary: a CI that keeps only the end of the log must still say it. */
const failures = [];

/** A step that passes or fails as a whole (lint, build, type check): its exit status and all it printed. */
function check({ command, args }) {
  return new Promise((resolve) => {
    const output = [];
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk) => output.push(chunk));
    child.stderr.on('data', (chunk) => output.push(chunk));
    child.on('error', (error) => output.push(Buffer.from(`${error.message}\n`)));
    // 'close' follows 'error' too when the command could not start; its status is then null.
    child.on('close', (status) => resolve({ status, output: Buffer.concat(output) }));
  });
}

/**
 * Steps that pass or fail as a whole, up to one per core at once (they are CPU-bound and none writes what
 * another reads): each one's output is held until it ends, then printed under its heading in the order the
 * steps are listed, and counted in that order.
 */
async function runChecks(steps) {
  const outcomes = steps.map(() => {
    let settle;
    const promise = new Promise((resolve) => (settle = resolve));
    return { promise, settle };
  });
  let next = 0;
  const worker = async () => {
    while (next < steps.length) {
      const i = next++;
      outcomes[i].settle(await check(steps[i]));
    }
  };
  const workers = Array.from({ length: Math.min(availableParallelism(), steps.length) }, worker);
  for (const [i, { name, command, args }] of steps.entries()) {
    const { status, output } = await outcomes[i].promise;
    console.log(`\n▶ ${name}: ${command} ${args.join(' ')}`);
    process.stdout.write(output);
    results.push({ name, passed: status === 0 ? 1 : 0, failed: status === 0 ? 0 : 1 });
    if (status !== 0) failures.push(`${name}: exit status ${status} (its output is above, under "▶ ${name}")`);
  }
  await Promise.all(workers);
}

/** Notes each failed test's file, name and first message line from a Jest-format report (Vitest writes the same shape). */
function noteFailures(summary) {
  for (const file of summary.testResults) {
    const where = relative(root, file.name);
    if (file.status === 'failed' && file.assertionResults.length === 0) failures.push(`${where}: ${firstLine(file.message)}`);
    for (const test of file.assertionResults) {
      if (test.status === 'failed') failures.push(`${where} > ${test.fullName}: ${firstLine(test.failureMessages?.[0])}`);
    }
  }
}
function firstLine(text = '') {
  return text.replace(/\x1b\[[0-9;]*m/g, '').split('\n').find((line) => line.trim() !== '')?.trim().slice(0, 300) ?? '(no message)';
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
    noteFailures(summary);
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
    noteFailures(summary);
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

// The lint reads only the sources, so it runs while the build does; the type checks read the built packages' types.
await runChecks([
  { name: 'lint', command: 'npx', args: ['eslint', '--max-warnings=0', '.'] },
  { name: 'build', command: 'npm', args: ['run', 'build', '--silent'] },
]);
await runChecks([
  { name: 'typecheck examples', command: 'npx', args: ['tsc', '-p', 'exporter/examples'] },
  ...workspaces.filter((w) => has(w, 'tsconfig.test.json')).map((ws) => ({ name: `typecheck ${ws} tests`, command: 'npx', args: ['tsc', '-p', `${ws}/tsconfig.test.json`] })),
]);
runVitest(process.argv.slice(2));
for (const ws of workspaces.filter((w) => has(w, 'jest.config.js'))) runJest(ws);

console.log('\nSummary');
for (const r of results) console.log(`  ${r.name.padEnd(30)} ${r.passed} passed, ${r.failed} failed`);
if (failures.length > 0) console.log(`\nFailed\n${failures.map((f) => `  ${f}`).join('\n')}`);
const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
