#!/usr/bin/env node
// `npm run bench`: Modelwatch against its peers, suite by suite, then a summary of
// the goals and exporter/bench/results.json. Reports only; never fails on a timing.
//   --quick          fewer rounds, shorter durations (smoke test)
//   --only <suite>   http | ai-calls | exposition | memory | sdk-overhead | demo | redaction | startup (repeatable, or comma-separated)
//   --out <file>     where to write the results (default exporter/bench/results.json)
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { cpuBusy } from './lib/util.mjs';

const SUITES = ['http', 'ai-calls', 'exposition', 'memory', 'sdk-overhead', 'demo', 'redaction', 'startup'];
const here = (p) => fileURLToPath(new URL(p, import.meta.url));

function parseArgs(argv) {
  const options = { quick: false, only: [], out: here('./results.json') };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--quick') options.quick = true;
    else if (arg === '--only') options.only.push(...String(argv[++i] ?? '').split(','));
    else if (arg.startsWith('--only=')) options.only.push(...arg.slice(7).split(','));
    else if (arg === '--out') options.out = argv[++i];
    else if (arg.startsWith('--out=')) options.out = arg.slice(6);
    else if (arg === '--help' || arg === '-h') {
      console.log(`usage: node exporter/bench/run.mjs [--quick] [--only ${SUITES.join('|')}] [--out results.json]`);
      process.exit(0);
    } else throw new Error(`unknown argument ${arg}`);
  }
  for (const s of options.only) if (!SUITES.includes(s)) throw new Error(`unknown suite ${s}; one of ${SUITES.join(', ')}`);
  return options;
}

function commit() {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: here('.'), stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    return undefined;
  }
}

const options = parseArgs(process.argv.slice(2));
if (!existsSync(here('../dist/index.js'))) {
  console.error('exporter/dist is missing: run `npm run build` first (npm run bench does).');
  process.exit(1);
}
const suites = options.only.length ? SUITES.filter((s) => options.only.includes(s)) : SUITES;
const cpus = os.cpus();
console.log(`Modelwatch bench — ${suites.join(', ')}${options.quick ? ' (quick)' : ''}`);
console.log(`node ${process.version}, ${cpus.length} × ${cpus[0]?.model ?? 'cpu'}, ${os.platform()} ${os.release()}`);

// The suites need the whole machine (HTTP uses both cores): say so when something else is running.
const busy = await cpuBusy(1000);
if (busy !== undefined) {
  console.log(`CPU busy before start: ${(busy * 100).toFixed(0)}% of all cores${busy > 0.15 ? ' — WARNING: other processes are running; figures will be low and noisy' : ''}`);
}
const started = performance.now();
const at = new Date().toISOString();
const meta = { at, commit: commit(), node: process.version, cpus: cpus.length, quick: options.quick, cpuBusyBefore: busy };
const results = [];
const goals = [];
const failures = [];
/** Figures a suite reports without a goal, repeated in the summary. */
const figures = [];
for (const suite of suites) {
  const suiteStart = performance.now();
  const busyNow = suite === suites[0] ? 0 : await cpuBusy(500);
  if (busyNow > 0.15) console.log(`\nWARNING: CPU ${(busyNow * 100).toFixed(0)}% busy before the ${suite} suite (other processes)`);
  try {
    const module = await import(`./${suite}.mjs`);
    const out = await module.run({ quick: options.quick });
    results.push(...out.results.map((r) => ({ ...r, ...meta })));
    goals.push(...out.goals.map((g) => ({ suite, ...g })));
    if (out.info) figures.push({ suite, value: out.info });
  } catch (error) {
    failures.push(suite);
    console.error(`\nsuite ${suite} failed: ${error?.stack ?? error}`);
    goals.push({ suite, goal: `${suite} suite ran`, value: 'error', pass: false });
  }
  console.log(`  (${suite}: ${((performance.now() - suiteStart) / 1000).toFixed(0)} s)`);
}

writeFileSync(options.out, `${JSON.stringify(results, null, 2)}\n`);

const width = Math.max(...goals.map((g) => g.goal.length + g.suite.length + 3));
console.log(`\nSummary${options.quick ? ' (quick run: short rounds, indicative only)' : ''}`);
for (const g of goals) console.log(`  ${g.pass ? 'PASS' : 'MISS'}  ${`[${g.suite}] ${g.goal}`.padEnd(width)}  ${g.value}`);
for (const f of figures) console.log(`  ----  [${f.suite}] ${f.value}`);
const passed = goals.filter((g) => g.pass).length;
console.log(`  ${passed}/${goals.length} goals met; ${results.length} results written to ${options.out} in ${((performance.now() - started) / 1000).toFixed(0)} s`);
// Timings never fail the run; only a suite that could not run does.
process.exit(failures.length ? 1 : 0);
