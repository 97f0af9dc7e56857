// Suite — soak (run only when asked: `--only soak`): the demo AI service under the traffic
// generator's steady `baseline` scenario for --soak-minutes (default 30), all on loopback.
// Every 30 s the suite scrapes the demo's /metrics (V8 heap used, event-loop lag p99 since the
// previous scrape: prom-client resets its histogram at each collect) and reads the process's RSS
// and open file descriptors from /proc. It compares the start (the first samples after the
// warm-up) with the end, and fits a line through everything after the warm-up: flat means no
// growth beyond the noise of a GC cycle. The demo and the generator stop by themselves when the
// time is over (the generator's own --duration; the suite stops the demo).
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fmtBytes, fmtMs, median, printTable } from './lib/util.mjs';

const require = createRequire(import.meta.url);
const SAMPLE_EVERY_MS = 30_000;
/**
 * Heap and RSS count as flat when their trend after the warm-up (least squares over every sample)
 * adds at most this share of their median over the run. The trend, not end against start: the heap
 * swings by half its size between two major GCs, so two samples a GC cycle apart say little.
 */
const FLAT_GROWTH = 0.1;
/** Open descriptors may move this much (sockets of the generator's connections coming and going). */
const FLAT_FDS = 10;

function procStatus(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
  let fds = NaN;
  try {
    fds = readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    // no /proc fd listing: leave NaN
  }
  return { rss: rssKb * 1024, fds };
}

/** The value of an unlabelled sample of the exposition, NaN when absent. */
function sample(text, name) {
  const match = new RegExp(`^${name}(?:\\{[^}]*\\})? ([^ \\n]+)`, 'm').exec(text);
  return match ? Number(match[1]) : NaN;
}

async function scrape(service) {
  const response = await fetch(service.metricsUrl);
  const text = await response.text();
  return {
    heapUsed: sample(text, 'nodejs_heap_size_used_bytes'),
    eventLoopP99Ms: sample(text, 'nodejs_eventloop_lag_p99_seconds') * 1000,
    requests: sample(text, 'http_server_active_requests'),
  };
}

/** Least-squares slope of y over t (per hour). */
function slopePerHour(points, key) {
  const xs = points.map((p) => p.t / 3_600_000);
  const ys = points.map((p) => p[key]);
  const n = xs.length;
  if (n < 2) return NaN;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i] - mx) * (ys[i] - my);
    den += (xs[i] - mx) ** 2;
  }
  return den === 0 ? NaN : num / den;
}

export async function run({ quick, soakMinutes }) {
  const minutes = soakMinutes ?? (quick ? 2 : 30);
  const durationMs = minutes * 60_000;
  // The first fifth (at least 30 s, at most 10 min) warms up: JIT, caches filling, the ramp of the scenario;
  // in a 30-minute run the demo's RSS was still rising at minute 5 and flat from minute 8 on.
  const warmUpMs = Math.min(10 * 60_000, Math.max(30_000, durationMs * 0.2));
  const { startDemo, startTraffic } = require('@modelwatch/stack');
  const service = await startDemo({ env: { LOG_LEVEL: 'warn' } });
  let traffic;
  const points = [];
  try {
    const pid = service.process.pid;
    traffic = await startTraffic({ target: service.url, scenario: 'baseline', duration: `${Math.round(durationMs / 1000)}s` });
    const started = Date.now();
    console.log(`\nSoak: demo (pid ${pid}) under the baseline traffic scenario for ${minutes} min on loopback; samples every ${SAMPLE_EVERY_MS / 1000} s, warm-up ${(warmUpMs / 60_000).toFixed(1)} min`);
    await scrape(service); // resets the event-loop histogram: the first p99 covers the first interval only
    while (Date.now() - started < durationMs) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(SAMPLE_EVERY_MS, durationMs - (Date.now() - started))));
      if (!service.process.running()) throw new Error('the demo exited during the soak');
      const point = { t: Date.now() - started, ...(await scrape(service)), ...procStatus(pid) };
      points.push(point);
      console.log(
        `  ${(point.t / 60_000).toFixed(1).padStart(5)} min  heap ${fmtBytes(point.heapUsed).padStart(9)}  rss ${fmtBytes(point.rss).padStart(9)}  fds ${String(point.fds).padStart(4)}  event-loop p99 ${fmtMs(point.eventLoopP99Ms)} ms`,
      );
    }
    if (traffic.running()) await traffic.stop();
    const trafficExit = await traffic.exited;
    const after = points.filter((p) => p.t >= warmUpMs);
    if (after.length < 2) throw new Error(`soak too short: ${after.length} samples after the warm-up`);
    // Start and end: median of the first and last three samples after the warm-up (a GC cycle apart).
    const edge = Math.min(3, Math.floor(after.length / 2));
    const start = after.slice(0, edge);
    const end = after.slice(-edge);
    const keys = ['heapUsed', 'rss', 'fds', 'eventLoopP99Ms'];
    const figure = Object.fromEntries(
      keys.map((k) => [k, { start: median(start.map((p) => p[k])), end: median(end.map((p) => p[k])), max: Math.max(...after.map((p) => p[k])), slope: slopePerHour(after, k) }]),
    );
    const fmt = { heapUsed: fmtBytes, rss: fmtBytes, fds: String, eventLoopP99Ms: (v) => `${fmtMs(v)} ms` };
    const perHour = { heapUsed: (v) => `${fmtBytes(v)}/h`, rss: (v) => `${fmtBytes(v)}/h`, fds: (v) => `${v.toFixed(1)}/h`, eventLoopP99Ms: (v) => `${fmtMs(v)} ms/h` };
    printTable(
      `Soak — demo under the baseline scenario, ${minutes} min (start = first ${edge} samples after ${(warmUpMs / 60_000).toFixed(1)} min of warm-up, end = last ${edge}; medians)`,
      ['figure', 'start', 'end', 'max after warm-up', 'trend (least squares)'],
      keys.map((k) => [k === 'heapUsed' ? 'V8 heap used' : k === 'rss' ? 'RSS' : k === 'fds' ? 'open fds' : 'event-loop p99', fmt[k](figure[k].start), fmt[k](figure[k].end), fmt[k](figure[k].max), perHour[k](figure[k].slope)]),
    );
    if (trafficExit.code !== 0) console.log(`  the traffic generator exited with ${trafficExit.signal ?? trafficExit.code}`);
    const spanHours = (after.at(-1).t - after[0].t) / 3_600_000;
    const growth = (k) => figure[k].slope * spanHours;
    const medianOf = (k) => median(after.map((p) => p[k]));
    const grew = (k) => growth(k) > medianOf(k) * FLAT_GROWTH;
    const trend = (k) => `trend ${growth(k) >= 0 ? '+' : ''}${fmtBytes(growth(k))} over ${(spanHours * 60).toFixed(0)} min (median ${fmtBytes(medianOf(k))}); start ${fmtBytes(figure[k].start)}, end ${fmtBytes(figure[k].end)}`;
    const results = keys.map((k) => ({
      suite: 'soak',
      name: `soak ${k} end`,
      value: figure[k].end,
      unit: k === 'fds' ? 'fds' : k === 'eventLoopP99Ms' ? 'ms' : 'bytes',
      start: figure[k].start,
      max: figure[k].max,
      slopePerHour: figure[k].slope,
      minutes,
      peers: {},
      samples: after.map((p) => p[k]),
    }));
    const goals = [
      { goal: `soak ${minutes} min: heap flat after warm-up (trend ≤ ${FLAT_GROWTH * 100} % of median)`, value: trend('heapUsed'), pass: !grew('heapUsed') },
      { goal: `soak ${minutes} min: RSS flat after warm-up (trend ≤ ${FLAT_GROWTH * 100} % of median)`, value: trend('rss'), pass: !grew('rss') },
      { goal: `soak ${minutes} min: open fds flat (± ${FLAT_FDS})`, value: `${figure.fds.start} → ${figure.fds.end}`, pass: Math.abs(figure.fds.end - figure.fds.start) <= FLAT_FDS },
      {
        goal: `soak ${minutes} min: event-loop p99 flat (end ≤ 2 × start, or ≤ 20 ms)`,
        value: `${fmtMs(figure.eventLoopP99Ms.start)} → ${fmtMs(figure.eventLoopP99Ms.end)} ms`,
        pass: figure.eventLoopP99Ms.end <= Math.max(20, 2 * figure.eventLoopP99Ms.start),
      },
    ];
    return { results, goals };
  } finally {
    if (traffic?.running()) await traffic.stop();
    await service.stop();
  }
}
