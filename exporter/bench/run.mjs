#!/usr/bin/env node
// `npm run bench`: Modelwatch against its peers, suite by suite, then a summary of
// the goals and exporter/bench/results.json. Reports only; never fails on a timing.
//   --quick          fewer rounds, shorter durations (smoke test)
//   --only <suite>   http | ai-calls | exposition | memory | sdk-overhead | demo | redaction | startup | soak | http-instructions
//                    (repeatable, or comma-separated; soak and http-instructions run only when named)
//   --soak-minutes <n>  how long the soak runs (default 30)
//   --out <file>     where to write the results (default exporter/bench/results.json)
//   --history <file> the history every run appends to (default exporter/bench/history.jsonl)
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { appendRun, compareWithPrevious, machineKey, readHistory } from './lib/history.mjs';
import { cpuBusy } from './lib/util.mjs';

const SUITES = ['http', 'ai-calls', 'exposition', 'memory', 'sdk-overhead', 'demo', 'redaction', 'startup', 'soak', 'http-instructions'];
/** Suites that run only when named with --only (they take long; http-instructions needs valgrind). */
const OPT_IN = ['soak', 'http-instructions'];
const here = (p) => fileURLToPath(new URL(p, import.meta.url));

function parseArgs(argv) {
  const options = { quick: false, only: [], out: here('./results.json'), history: here('./history.jsonl'), soakMinutes: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--quick') options.quick = true;
    else if (arg === '--only') options.only.push(...String(argv[++i] ?? '').split(','));
    else if (arg.startsWith('--only=')) options.only.push(...arg.slice(7).split(','));
    else if (arg === '--out') options.out = argv[++i];
    else if (arg.startsWith('--out=')) options.out = arg.slice(6);
    else if (arg === '--history') options.history = argv[++i];
    else if (arg.startsWith('--history=')) options.history = arg.slice(10);
    else if (arg === '--soak-minutes') options.soakMinutes = Number(argv[++i]);
    else if (arg.startsWith('--soak-minutes=')) options.soakMinutes = Number(arg.slice(15));
    else if (arg === '--help' || arg === '-h') {
      console.log(`usage: node exporter/bench/run.mjs [--quick] [--only ${SUITES.join('|')}] [--soak-minutes n] [--out results.json] [--history history.jsonl]`);
      process.exit(0);
    } else throw new Error(`unknown argument ${arg}`);
  }
  for (const s of options.only) if (!SUITES.includes(s)) throw new Error(`unknown suite ${s}; one of ${SUITES.join(', ')}`);
  if (options.soakMinutes !== undefined && !(options.soakMinutes > 0)) throw new Error('--soak-minutes takes a positive number');
  return options;
}

function git(args) {
  try {
    return execFileSync('git', args, { cwd: here('.'), stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    return undefined;
  }
}

const commit = () => git(['rev-parse', '--short', 'HEAD']);
/** True when the exporter has uncommitted changes: the figures are not the commit's alone. */
const dirty = () => {
  const status = git(['status', '--porcelain', '--', here('..')]);
  return status === undefined ? undefined : status.length > 0;
};

const options = parseArgs(process.argv.slice(2));
if (!existsSync(here('../dist/index.js'))) {
  console.error('exporter/dist is missing: run `npm run build` first (npm run bench does).');
  process.exit(1);
}
const suites = options.only.length ? SUITES.filter((s) => options.only.includes(s)) : SUITES.filter((s) => !OPT_IN.includes(s));
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
const meta = { at, commit: commit(), dirty: dirty(), node: process.version, cpus: cpus.length, quick: options.quick, cpuBusyBefore: busy, load: os.loadavg() };
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
    const out = await module.run({ quick: options.quick, soakMinutes: options.soakMinutes });
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
const history = readHistory(options.history);
const machine = machineKey();
const changes = compareWithPrevious(history, { machine, quick: options.quick }, results);
appendRun(options.history, { ...meta, machine, suites }, results);

const width = Math.max(...goals.map((g) => g.goal.length + g.suite.length + 3));
console.log(`\nSummary${options.quick ? ' (quick run: short rounds, indicative only)' : ''}`);
for (const g of goals) console.log(`  ${g.pass ? 'PASS' : 'MISS'}  ${`[${g.suite}] ${g.goal}`.padEnd(width)}  ${g.value}`);
for (const f of figures) console.log(`  ----  [${f.suite}] ${f.value}`);
if (changes.length) {
  const prev = changes[0].previous;
  console.log(`\nChange against the previous run on this machine (${prev.commit ?? 'no commit'}, ${prev.at}; ! = a move larger than the suite's A/A spread)`);
  const nameWidth = Math.max(...changes.map((c) => c.suite.length + c.name.length + 3));
  const fmt = (v) => (Math.abs(v) >= 1000 ? Math.round(v).toLocaleString('en-US') : Number(v.toPrecision(3)).toString());
  for (const c of changes) {
    const mark = c.flagged ? (c.better ? '! better' : '! worse') : '';
    const change = `${c.change >= 0 ? '+' : ''}${(c.change * 100).toFixed(1)} %`;
    console.log(`  ${`[${c.suite}] ${c.name}`.padEnd(nameWidth)}  ${fmt(c.before).padStart(10)} → ${fmt(c.now).padStart(10)} ${c.unit.padEnd(7)} ${change.padStart(9)}  (spread ±${(c.spread * 100).toFixed(1)} %) ${mark}`);
  }
} else {
  console.log(`\nNo earlier run on this machine in ${options.history} to compare with.`);
}
const passed = goals.filter((g) => g.pass).length;
console.log(`  ${passed}/${goals.length} goals met; ${results.length} results written to ${options.out} (appended to ${options.history}) in ${((performance.now() - started) / 1000).toFixed(0)} s`);
// Timings never fail the run; only a suite that could not run does.
process.exit(failures.length ? 1 : 0);
