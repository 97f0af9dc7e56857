// Shared helpers for the bench suites: statistics, child processes, tables.
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';

export function median(values = []) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function max(values = []) {
  return values.reduce((m, v) => (v > m ? v : m), -Infinity);
}

/** Deterministic PRNG (mulberry32) so every implementation sees the same inputs. */
export function rng(seed = 42) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Runs `file --worker ...args` in its own Node process and resolves with the
 * object the worker sends over IPC (see `workerMain`).
 */
export function runWorker(file, args, { execArgv = [], timeoutMs = 300_000 } = {}) {
  const cpu = cpuSnapshot();
  return new Promise((resolve, reject) => {
    const child = fork(file, ['--worker', ...args.map(String)], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let result;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`worker ${args.join(' ')} timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('message', (message) => {
      if (message && message.error) reject(new Error(`worker ${args.join(' ')}: ${message.error}`));
      else result = message;
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (result !== undefined) resolve({ ...result, foreignCpu: cpu.foreign(result.workerCpuMs) });
      else reject(new Error(`worker ${args.join(' ')} exited (${signal ?? code}) without a result`));
    });
  });
}

/**
 * Entry point of a worker process: runs `handler(args)` and sends its result to
 * the parent. A result's `helperCpuMs` (CPU of processes the worker started)
 * counts as the worker's own, not as other processes' noise.
 */
export async function workerMain(handler, { exit = true } = {}) {
  const args = process.argv.slice(process.argv.indexOf('--worker') + 1);
  try {
    const { helperCpuMs = 0, ...result } = await handler(args);
    const cpu = process.cpuUsage();
    process.send({ ...result, workerCpuMs: (cpu.user + cpu.system) / 1000 + helperCpuMs }, () => exit && process.exit(0));
  } catch (error) {
    process.send({ error: String(error?.stack ?? error) }, () => process.exit(1));
  }
}

/** True when `file` is the process's main module started as a worker (not merely imported). */
export function isWorker(file) {
  return process.argv[1] === file && process.argv.includes('--worker');
}

/**
 * Longest event-loop block while `fn` runs: a setImmediate ticker records the
 * largest gap between two of its turns; monitorEventLoopDelay (1 ms resolution)
 * is kept as a second opinion.
 */
export async function measureBlocking(fn) {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  // The histogram's timer needs a first turn as its baseline before the work starts.
  await new Promise((resolve) => setTimeout(resolve, 5));
  let last = performance.now();
  let maxGap = 0;
  let running = true;
  const tick = () => {
    const now = performance.now();
    if (now - last > maxGap) maxGap = now - last;
    last = now;
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  const start = performance.now();
  const value = await fn();
  const end = performance.now();
  running = false;
  if (end - last > maxGap) maxGap = end - last;
  // Let the histogram's 1 ms timer fire once more so a block at the very end is recorded too.
  await new Promise((resolve) => setTimeout(resolve, 3));
  histogram.disable();
  return { value, ms: end - start, maxBlockMs: maxGap, eldMaxMs: histogram.max / 1e6 };
}

export function gc() {
  if (typeof globalThis.gc !== 'function') throw new Error('run with --expose-gc');
  globalThis.gc();
  globalThis.gc();
}

/** Drops peers without a measurement (NaN would become null in JSON). */
export function measured(peers) {
  return Object.fromEntries(Object.entries(peers).filter(([, v]) => Number.isFinite(v)));
}

/** CPU time of the whole machine from /proc/stat, in ms (USER_HZ = 100). */
function machineCpu() {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1, 9).map(Number);
  const total = fields.reduce((a, b) => a + b, 0) * 10;
  const idle = (fields[3] + fields[4]) * 10;
  return { total, busy: total - idle };
}

/** CPU ms used so far by another process of ours, from /proc/<pid>/stat. */
export function processCpuMs(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(rest[11]) + Number(rest[12])) * 10;
  } catch {
    return 0;
  }
}

/**
 * Starts watching how much of the machine other processes use. `foreign(ourMs)`
 * answers the share of all CPU time (0–1) used by anything but this process and
 * the `ourMs` of CPU our children used meanwhile; undefined where /proc is missing.
 */
export function cpuSnapshot() {
  let start;
  try {
    start = machineCpu();
  } catch {
    return { foreign: () => undefined };
  }
  const self = process.cpuUsage();
  return {
    foreign(ourMs = 0) {
      const end = machineCpu();
      const own = process.cpuUsage(self);
      const total = end.total - start.total;
      if (total <= 0) return undefined;
      const foreign = end.busy - start.busy - (own.user + own.system) / 1000 - ourMs;
      return Math.max(0, foreign / total);
    },
  };
}

/** Share of all CPUs busy over `ms` (other processes included), or undefined where /proc/stat is missing. */
export async function cpuBusy(ms = 1000) {
  try {
    const a = machineCpu();
    await new Promise((resolve) => setTimeout(resolve, ms));
    const b = machineCpu();
    return (b.busy - a.busy) / (b.total - a.total);
  } catch {
    return undefined;
  }
}

/**
 * Share of the machine other processes may use before a measurement counts as
 * disturbed: a suite loading every core (HTTP) tolerates little; a one-core
 * suite tolerates the other cores being busy, less a margin.
 */
export const FOREIGN_LIMIT_ALL_CORES = 0.1;
export const FOREIGN_LIMIT_ONE_CORE = Math.max(0.1, (os.cpus().length - 1) / os.cpus().length - 0.1);

/**
 * runWorker, re-run (up to `retries` times) while other processes used more
 * than `limit` of the machine; the result carries `reruns`.
 */
export async function runQuietWorker(file, args, options = {}, retries = 1, limit = FOREIGN_LIMIT_ONE_CORE) {
  let result;
  for (let attempt = 0; attempt <= retries; attempt++) {
    result = await runWorker(file, args, options);
    result.reruns = attempt;
    if (!(result.foreignCpu > limit)) break;
  }
  return result;
}

// ---- formatting ----

export function fmtNum(value, digits = 0) {
  if (value === undefined || value === null || Number.isNaN(value)) return '–';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function fmtRate(value) {
  if (!Number.isFinite(value)) return '–';
  if (value >= 1e6) return `${(value / 1e6).toFixed(2)} M`;
  if (value >= 1e3) return `${(value / 1e3).toFixed(1)} k`;
  return value.toFixed(0);
}

export function fmtMs(value) {
  if (!Number.isFinite(value)) return '–';
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

export function fmtBytes(value) {
  if (!Number.isFinite(value)) return '–';
  const abs = Math.abs(value);
  if (abs >= 1024 ** 3) return `${(value / 1024 ** 3).toFixed(2)} GiB`;
  if (abs >= 1024 ** 2) return `${(value / 1024 ** 2).toFixed(1)} MiB`;
  if (abs >= 1024) return `${(value / 1024).toFixed(1)} KiB`;
  return `${value.toFixed(0)} B`;
}

export function fmtRatio(value) {
  return Number.isFinite(value) ? `${value.toFixed(2)}×` : '–';
}

/** Prints rows (arrays of strings) under a header, numbers right-aligned. */
export function printTable(title, header, rows) {
  const widths = header.map((h, i) => Math.max(String(h).length, ...rows.map((r) => String(r[i] ?? '').length)));
  const line = (cells) =>
    cells
      .map((c, i) => {
        const text = String(c ?? '');
        return i === 0 ? text.padEnd(widths[i]) : text.padStart(widths[i]);
      })
      .join('  ');
  console.log(`\n${title}`);
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
}

/** One line on how much other processes disturbed the measurements. */
export function printNoise({ reruns, foreign }, limit = FOREIGN_LIMIT_ONE_CORE) {
  const known = foreign.filter((f) => f !== undefined);
  if (known.length === 0) return;
  const worst = Math.max(...known);
  const over = known.filter((f) => f > limit).length;
  console.log(
    `  other processes: median ${(median(known) * 100).toFixed(0)}%, worst ${(worst * 100).toFixed(0)}% of the machine during a measurement` +
      ` (limit ${(limit * 100).toFixed(0)}%)${reruns ? `; ${reruns} re-run` : ''}${over ? `; ${over} kept over the limit — figures disturbed` : ''}`,
  );
}
