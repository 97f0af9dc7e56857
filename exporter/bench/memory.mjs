// Suite 4 — memory: heap bytes per series, and heap while recording AI calls
// with ever-new (random) model names, which a cardinality cap must absorb.
// Every measurement runs in its own process with --expose-gc.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { setup as setupAiCalls } from './ai-calls.mjs';
import { callPool, naiveTokens } from './lib/models.mjs';
import { pullMeterProvider } from './lib/pull-meter-provider.mjs';
import { fmtBytes, fmtNum, fmtRate, fmtRatio, gc, isWorker, printTable, rng, runWorker, workerMain } from './lib/util.mjs';

const require = createRequire(import.meta.url);
const SELF = fileURLToPath(import.meta.url);
const FLAT_BYTES = 2 * 1024 * 1024;
/** Calls/s while every call brings a new model name (unknown to the price table, folded by the caps). */
const GOAL_FLOOD_RATE = 500_000;

/** Live JS heap plus ArrayBuffer backing stores (histogram bucket arrays live there), after a full GC. */
function heap() {
  gc();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

// ---- bytes per series ----

function seriesMaker(impl, kind, n) {
  if (impl === 'modelwatch') {
    const { createModelwatch } = require('../dist/index.js');
    const mw = createModelwatch({ defaultMetrics: false, seriesCaps: { genAiOperationDuration: n + 10, genAiCost: n + 10 } });
    const { aiDuration, aiCost } = mw.instruments;
    return kind === 'histogram'
      ? (model) => aiDuration.observe(aiDuration.series(['chat', 'openai', model, '']), 1)
      : (model) => aiCost.inc(aiCost.series(['openai', model, 'chat']), 1);
  }
  const client = require('prom-client');
  const { GEN_AI_DURATION_BUCKETS } = require('../dist/conventions/index.js');
  const registers = [new client.Registry()];
  if (kind === 'histogram') {
    const h = new client.Histogram({ name: 'h', help: 'h', labelNames: ['gen_ai_operation_name', 'gen_ai_provider_name', 'gen_ai_request_model', 'error_type'], buckets: [...GEN_AI_DURATION_BUCKETS], registers });
    return (model) => h.labels('chat', 'openai', model, '').observe(1);
  }
  const c = new client.Counter({ name: 'c', help: 'c', labelNames: ['gen_ai_provider_name', 'gen_ai_request_model', 'gen_ai_operation_name'], registers });
  return (model) => c.labels('openai', model, 'chat').inc(1);
}

const retained = [];

function bytesWorker(impl, kind, n) {
  // Label strings exist before the baseline: only the metric's own structures are charged.
  const models = Array.from({ length: n }, (_, i) => `model-${i}`);
  const make = seriesMaker(impl, kind, n);
  make('warm-up');
  const before = heap();
  for (const model of models) make(model);
  const after = heap();
  retained.push(make, models); // keeps the metric alive through the second measurement
  return { bytesPerSeries: (after - before) / n };
}

// ---- flood of distinct model names ----

function otelFlood() {
  const { GEN_AI_DURATION_BUCKETS, GEN_AI_TOKEN_USAGE_BUCKETS } = require('../dist/conventions/index.js');
  const { meterProvider, reader } = pullMeterProvider();
  const meter = meterProvider.getMeter('bench');
  const duration = meter.createHistogram('gen_ai.client.operation.duration', { advice: { explicitBucketBoundaries: [...GEN_AI_DURATION_BUCKETS] } });
  const usage = meter.createHistogram('gen_ai.client.token.usage', { advice: { explicitBucketBoundaries: [...GEN_AI_TOKEN_USAGE_BUCKETS] } });
  const tokens = meter.createCounter('modelwatch.gen_ai.tokens');
  return {
    record(call) {
      const { provider, model } = call.attrs;
      const base = { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': provider, 'gen_ai.request.model': model };
      const t = naiveTokens(provider, call.outcome.usage);
      duration.record(call.outcome.durationSeconds, base);
      usage.record(t.input, { ...base, 'gen_ai.token.type': 'input' });
      usage.record(t.output, { ...base, 'gen_ai.token.type': 'output' });
      tokens.add(t.input, { 'gen_ai.provider.name': provider, 'gen_ai.request.model': model, 'gen_ai.token.type': 'input' });
      tokens.add(t.output, { 'gen_ai.provider.name': provider, 'gen_ai.request.model': model, 'gen_ai.token.type': 'output' });
      if (t.cacheRead > 0) tokens.add(t.cacheRead, { 'gen_ai.provider.name': provider, 'gen_ai.request.model': model, 'gen_ai.token.type': 'cache_read' });
    },
    async series() {
      const { resourceMetrics } = await reader.collect();
      return resourceMetrics.scopeMetrics.reduce((n, s) => n + s.metrics.reduce((m, metric) => m + metric.dataPoints.length, 0), 0);
    },
  };
}

async function floodWorker(impl, calls, heapBudget) {
  const pool = callPool(1024);
  let target;
  let mw;
  if (impl === 'modelwatch') {
    const { createModelwatch } = require('../dist/index.js');
    mw = createModelwatch({ defaultMetrics: false });
    target = { record: (call) => mw.recordAiCall(call.attrs, call.outcome) };
  } else if (impl === 'prom-client') {
    target = setupAiCalls('prom-client');
  } else {
    target = otelFlood();
  }
  const random = rng(99);
  const step = calls / 10;
  const checkpoints = [{ calls: 0, heap: heap() }];
  let recordMs = 0;
  let done = 0;
  let stopped = false;
  while (done < calls && !stopped) {
    // The names are made before the clock starts: turning a random number into a base-36 name
    // takes about 1 µs, as long as half a call at the goal rate, and it is not the recorder's work.
    let models = Array.from({ length: step }, () => `model-${Math.floor(random() * 2 ** 52).toString(36)}`);
    const start = performance.now();
    for (let i = 0; i < step; i++, done++) {
      const base = pool[done & 1023];
      target.record({ attrs: { provider: base.attrs.provider, model: models[i], operation: 'chat' }, outcome: base.outcome });
    }
    recordMs += performance.now() - start;
    models = undefined; // not counted in the heap checkpoint
    const point = { calls: done, heap: heap() };
    if (mw) point.series = mw.instruments.registry.list().reduce((n, m) => n + m.seriesCount, 0);
    checkpoints.push(point);
    if (point.heap > heapBudget) stopped = true;
  }
  const result = { calls: done, stopped, callsPerSec: done / (recordMs / 1000), checkpoints };
  if (mw) {
    const i = mw.instruments;
    const describe = (metric) => ({ regular: metric.all().filter((s) => !s.isOverflow).length, overflow: metric.all().filter((s) => s.isOverflow).length, cap: metric.options.cap });
    result.metrics = {
      aiDuration: describe(i.aiDuration),
      aiTokenUsage: describe(i.aiTokenUsage),
      aiTokens: describe(i.aiTokens),
      aiCost: describe(i.aiCost),
      aiUnpriced: describe(i.aiUnpriced),
    };
    result.dropped = i.droppedSeries.all().reduce((n, s) => n + s.value, 0);
  }
  if (target.series) result.series = await target.series();
  return result;
}

async function worker([mode, ...args]) {
  if (mode === 'bytes') return bytesWorker(args[0], args[1], Number(args[2]));
  return floodWorker(args[0], Number(args[1]), Number(args[2]));
}

export async function run({ quick }) {
  const n = quick ? 20_000 : 100_000;
  const floodCalls = quick ? 100_000 : 1_000_000;
  // prom-client keeps every label set: 1M distinct names would need several GB, so it gets a smaller flood.
  const promFloodCalls = quick ? 50_000 : 200_000;
  const execArgv = ['--expose-gc', '--max-old-space-size=6144'];
  const results = [];
  const goals = [];

  const bytes = {};
  for (const kind of ['counter', 'histogram']) {
    for (const impl of ['modelwatch', 'prom-client']) bytes[`${impl}/${kind}`] = (await runWorker(SELF, ['bytes', impl, kind, n], { execArgv })).bytesPerSeries;
  }
  printTable(
    `Memory — bytes per series (${fmtNum(n)} series; (heap + ArrayBuffers) delta after gc ÷ series; label strings pre-allocated, not counted)`,
    ['series kind', 'Modelwatch', 'prom-client', 'prom ÷ ours'],
    ['counter', 'histogram'].map((k) => [k === 'histogram' ? 'histogram (15 buckets)' : 'counter', fmtBytes(bytes[`modelwatch/${k}`]), fmtBytes(bytes[`prom-client/${k}`]), fmtRatio(bytes[`prom-client/${k}`] / bytes[`modelwatch/${k}`])]),
  );
  for (const k of ['counter', 'histogram']) {
    results.push({
      suite: 'memory',
      name: `bytes per ${k} series`,
      value: bytes[`modelwatch/${k}`],
      unit: 'B',
      peers: { 'prom-client': bytes[`prom-client/${k}`] },
      goal: '≤ prom-client',
      meetsGoal: bytes[`modelwatch/${k}`] <= bytes[`prom-client/${k}`],
    });
    goals.push({
      goal: `bytes per ${k} series ≤ prom-client's`,
      value: `${fmtBytes(bytes[`modelwatch/${k}`])} (prom-client ${fmtBytes(bytes[`prom-client/${k}`])})`,
      pass: bytes[`modelwatch/${k}`] <= bytes[`prom-client/${k}`],
    });
  }

  const budget = 3 * 1024 ** 3;
  const flood = {
    modelwatch: await runWorker(SELF, ['flood', 'modelwatch', floodCalls, budget], { execArgv }),
    'otel-sdk-metrics': await runWorker(SELF, ['flood', 'otel-sdk-metrics', promFloodCalls, budget], { execArgv }),
    'prom-client': await runWorker(SELF, ['flood', 'prom-client', promFloodCalls, budget], { execArgv }),
  };
  const rows = [];
  for (const [impl, f] of Object.entries(flood)) {
    const first = f.checkpoints[1];
    const mid = f.checkpoints[Math.ceil((f.checkpoints.length - 1) / 2)];
    const last = f.checkpoints.at(-1);
    rows.push([
      impl,
      `${fmtNum(f.calls)}${f.stopped ? ' (stopped: heap budget)' : ''}`,
      fmtRate(f.callsPerSec),
      fmtBytes(f.checkpoints[0].heap),
      fmtBytes(first.heap),
      fmtBytes(mid.heap),
      fmtBytes(last.heap),
      fmtBytes(last.heap - mid.heap),
      fmtNum(last.series ?? f.series),
    ]);
  }
  printTable(
    `Memory — recordAiCall with a new random model name every call (default caps: 1000 series per metric)`,
    ['implementation', 'calls', 'calls/s', 'heap at start', 'after 1/10', 'at half', 'at end', 'growth 2nd half', 'series'],
    rows,
  );
  const ours = flood.modelwatch;
  const m = ours.metrics;
  console.log(
    `  Modelwatch series: ${Object.entries(m)
      .map(([k, v]) => `${k} ${v.regular}+${v.overflow} _other (cap ${v.cap})`)
      .join('; ')}; dropped-series counter ${fmtNum(ours.dropped)}`,
  );
  console.log(`  Heap per checkpoint (Modelwatch): ${ours.checkpoints.map((c) => fmtBytes(c.heap)).join(' → ')}`);
  console.log(`  Heap per checkpoint (prom-client): ${flood['prom-client'].checkpoints.map((c) => fmtBytes(c.heap)).join(' → ')}`);
  if (promFloodCalls < floodCalls) {
    console.log(`  prom-client ran ${fmtNum(promFloodCalls)} calls, not ${fmtNum(floodCalls)}: it keeps every label set, so 1M distinct names would take several GB and minutes.`);
    console.log(`  otel-sdk-metrics also ran ${fmtNum(promFloodCalls)} calls (time budget): its cardinality limit (2000 per instrument) keeps it flat well before that.`);
  }

  const bounded = Object.values(m).every((v) => v.regular <= v.cap && v.overflow <= 8);
  const midPoint = ours.checkpoints[Math.ceil((ours.checkpoints.length - 1) / 2)];
  const growth = ours.checkpoints.at(-1).heap - midPoint.heap;
  const flat = growth <= FLAT_BYTES;
  results.push({
    suite: 'memory',
    name: `heap after ${fmtNum(ours.calls)} recordAiCall with random models`,
    value: ours.checkpoints.at(-1).heap,
    unit: 'B',
    peers: { 'prom-client': flood['prom-client'].checkpoints.at(-1).heap, 'otel-sdk-metrics': flood['otel-sdk-metrics'].checkpoints.at(-1).heap },
    goal: 'series ≤ cap + _other per metric; heap growth over the 2nd half ≤ 2 MiB',
    meetsGoal: bounded && flat,
    heapGrowthSecondHalf: growth,
    series: ours.checkpoints.at(-1).series,
    peerCalls: { 'prom-client': flood['prom-client'].calls, 'otel-sdk-metrics': flood['otel-sdk-metrics'].calls },
  });
  results.push({
    suite: 'memory',
    name: 'recordAiCall with random models',
    value: ours.callsPerSec,
    unit: 'calls/s',
    peers: { 'prom-client': flood['prom-client'].callsPerSec, 'otel-sdk-metrics': flood['otel-sdk-metrics'].callsPerSec },
    goal: `≥ ${fmtRate(GOAL_FLOOD_RATE)} calls/s`,
    meetsGoal: ours.callsPerSec >= GOAL_FLOOD_RATE,
  });
  goals.push({ goal: 'random models: series ≤ cap + _other', value: `${fmtNum(ours.checkpoints.at(-1).series)} series in all metrics`, pass: bounded });
  goals.push({ goal: 'random models: heap flat (2nd half ≤ 2 MiB)', value: `${fmtBytes(growth)} over the last ${fmtNum(ours.calls / 2)} calls`, pass: flat });
  goals.push({ goal: `random models: ≥ ${fmtRate(GOAL_FLOOD_RATE)} calls/s`, value: `${fmtRate(ours.callsPerSec)} calls/s`, pass: ours.callsPerSec >= GOAL_FLOOD_RATE });
  return { results, goals };
}

if (isWorker(SELF)) workerMain(worker);
