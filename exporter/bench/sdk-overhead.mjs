// Suite — SDK integration overhead: what `instrumentOpenAI` adds to a real `openai`
// client's non-streaming chat call against the loopback fake provider (timeScale 0,
// so the call is all client, network stack and fake, no model time), beside what the
// OpenTelemetry project's own `@opentelemetry/instrumentation-openai` adds to the same call.
// The fake runs in this (the parent) process; each round is a fresh worker process
// holding four clients on the same fake: a bare one, a second bare one (`bare again`,
// the A/A check: how far two identical clients measure apart), one instrumented by
// Modelwatch and one by the OpenTelemetry peer. Modelwatch patches a client instance; the
// peer patches the `openai` module's classes, so its client comes from a second copy of the
// module loaded after the peer's require hook, and the other three stay unpatched. All four
// share one JIT. Their calls alternate one by one in quadruples (the order rotated through
// eight orders: each client takes each place equally often), so a burst of load or drift
// hits all alike; each round's figure is the median of its per-quadruple ratios to the
// bare call of the same quadruple. Each call is also charged the worker's CPU time it took
// (process.cpuUsage around it): instrumented minus bare CPU per call is what the
// instrumentation itself costs, a figure the host's load hardly moves.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pullMeterProvider } from './lib/pull-meter-provider.mjs';
import { fmtMs, fmtRate, isWorker, median, printNoise, printTable, runQuietWorker, workerMain } from './lib/util.mjs';

const require = createRequire(import.meta.url);
const SELF = fileURLToPath(import.meta.url);
const GOAL_ADDED = 0.02;
const CONCURRENCY = 10;
const OTEL_PEER = '@opentelemetry/instrumentation-openai';

const REQUEST = {
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content: 'Say hello in one short sentence.' }],
  max_tokens: 16,
};
const REQUEST_OPTIONS = { headers: { 'x-fake-output-tokens': '16' } };

// ---- worker ----

const VARIANTS = ['bare', 'again', 'modelwatch', 'otel'];
/** Eight orders of a quadruple, taken in turn: the four rotations of the list and of its reverse, so each variant takes each place twice. */
const ORDERS = [VARIANTS, [...VARIANTS].reverse()].flatMap((order) => order.map((_, shift) => [...order.slice(shift), ...order.slice(0, shift)]));

/**
 * The `openai` module twice: the copy the bare and Modelwatch clients use, then a second copy
 * loaded after the OpenTelemetry peer's require hook is in place, which patches that copy's
 * classes (as it patches an app's `openai` when registered first). The peer records its
 * metrics (`gen_ai.client.operation.duration`, `gen_ai.client.token.usage`) into an SDK
 * MeterProvider; no tracer provider is registered for either instrumentation, so both do the
 * same job: metrics of each call.
 */
function openaiModules() {
  const plain = require('openai').default;
  for (const key of Object.keys(require.cache)) if (key.includes(`${path.sep}node_modules${path.sep}openai${path.sep}`)) delete require.cache[key];
  const { OpenAIInstrumentation } = require(OTEL_PEER);
  // Collected once at the end, to check the peer recorded every call.
  const { meterProvider, reader } = pullMeterProvider();
  const peer = new OpenAIInstrumentation();
  peer.setMeterProvider(meterProvider);
  const patched = require('openai').default;
  if (patched === plain) throw new Error('the second copy of openai is the first one: the peer would patch every client');
  return { plain, patched, peerReader: reader };
}

function clients(modules, baseURL, fetch) {
  const { createModelwatch, instrumentOpenAI } = require('../dist/index.js');
  // Two instances on purpose (the network and the canned clients): each counts its own calls.
  const mw = createModelwatch({ defaultMetrics: false, warn: () => {} });
  // Default retries: at concurrency a pooled socket the fake just closed (keep-alive race) is retried, as in production.
  const options = fetch ? { apiKey: 'bench', baseURL, fetch } : { apiKey: 'bench', baseURL };
  const OpenAI = modules.plain;
  return { mw, bare: new OpenAI(options), again: new OpenAI(options), modelwatch: instrumentOpenAI(new OpenAI(options), mw), otel: new modules.patched(options) };
}

/** Calls the peer recorded: the count of its duration histogram, read through the SDK's own collection. */
async function peerRecordedCalls(reader) {
  const { resourceMetrics } = await reader.collect();
  let calls = 0;
  for (const scope of resourceMetrics.scopeMetrics) {
    for (const metric of scope.metrics) {
      if (metric.descriptor.name !== 'gen_ai.client.operation.duration') continue;
      for (const point of metric.dataPoints) calls += point.value.count;
    }
  }
  return calls;
}

/** A `fetch` answering every call with the fake's own completion and headers (rate limits included): the SDK and the instrumentation without any network. */
async function cannedFetch(baseURL) {
  const response = await fetch(`${baseURL}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer bench', ...REQUEST_OPTIONS.headers },
    body: JSON.stringify(REQUEST),
  });
  const body = await response.text();
  const headers = [...response.headers].filter(([name]) => name !== 'content-length' && name !== 'connection' && name !== 'keep-alive');
  return async () => new Response(body, { status: 200, headers });
}

const call = (client) => client.chat.completions.create(REQUEST, REQUEST_OPTIONS);

const perVariant = () => Object.fromEntries(VARIANTS.map((v) => [v, []]));

/**
 * `quadruples` rounds of one sequential call per client, in rotating order: per-call wall
 * latency (ms) and worker CPU (µs) of each variant, index i of each list from quadruple i.
 */
async function sequential(c, quadruples) {
  const wall = perVariant();
  const cpu = perVariant();
  for (let i = 0; i < quadruples; i++) {
    for (const v of ORDERS[i % ORDERS.length]) {
      const cpuStart = process.cpuUsage();
      const start = performance.now();
      await call(c[v]);
      const ms = performance.now() - start;
      const used = process.cpuUsage(cpuStart);
      wall[v].push(ms);
      cpu[v].push(used.user + used.system);
    }
  }
  return { wall, cpu };
}

const mean = (values) => values.reduce((a, b) => a + b, 0) / values.length;

/**
 * Each variant against the bare call of the same quadruple: median ratio and median difference of
 * wall time (µs), median difference of CPU (µs; robust to a GC pause or a preemption landing on
 * one call) and the difference of mean CPU (µs; GC pauses included, noisier).
 */
function compare({ wall, cpu }) {
  const against = (v) => ({
    ratio: median(wall[v].map((x, i) => x / wall.bare[i])),
    addedUs: median(wall[v].map((x, i) => x - wall.bare[i])) * 1000,
    cpuAddedUs: median(cpu[v].map((x, i) => x - cpu.bare[i])),
    cpuMeanAddedUs: mean(cpu[v]) - mean(cpu.bare),
  });
  return {
    latency: Object.fromEntries(VARIANTS.map((v) => [v, median(wall[v])])),
    cpuUs: Object.fromEntries(VARIANTS.map((v) => [v, median(cpu[v])])),
    ...Object.fromEntries(VARIANTS.filter((v) => v !== 'bare').map((v) => [v, against(v)])),
  };
}

/** `CONCURRENCY` callers for `ms`: calls/s and this process's CPU µs per call. */
async function throughput(client, ms) {
  let calls = 0;
  const cpu = process.cpuUsage();
  const start = performance.now();
  const end = start + ms;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < end) {
        await call(client);
        calls++;
      }
    }),
  );
  const elapsed = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { calls, rate: calls / (elapsed / 1000), cpuUsPerCall: (used.user + used.system) / calls };
}

function recordedCalls(mw) {
  return mw.instruments.aiDuration.all().reduce((n, s) => n + s.count, 0);
}

async function worker([baseURL, warm, quadruples, blockMs, blocks]) {
  const modules = openaiModules();
  const c = clients(modules, baseURL);
  await sequential(c, Number(warm));
  const network = compare(await sequential(c, Number(quadruples)));
  // The same calls with the network taken out: what the instrumentation costs the client itself.
  const offline = clients(modules, baseURL, await cannedFetch(baseURL));
  await sequential(offline, Number(warm));
  const local = compare(await sequential(offline, Number(quadruples)));
  const tp = { bare: [], modelwatch: [] };
  for (let b = 0; b < Number(blocks); b++) {
    for (const v of b % 2 ? ['bare', 'modelwatch'] : ['modelwatch', 'bare']) tp[v].push(await throughput(c[v], Number(blockMs)));
  }
  const sequentialCalls = Number(warm) + Number(quadruples);
  const expected = sequentialCalls + tp.modelwatch.reduce((n, t) => n + t.calls, 0);
  const recorded = recordedCalls(c.mw);
  return {
    network,
    offline: local,
    rate: { bare: median(tp.bare.map((t) => t.rate)), modelwatch: median(tp.modelwatch.map((t) => t.rate)) },
    recordedOk: recorded === expected && recordedCalls(offline.mw) === sequentialCalls,
    // Both of the peer's clients (network and canned) share its one MeterProvider.
    peerRecordedOk: (await peerRecordedCalls(modules.peerReader)) === 2 * sequentialCalls,
  };
}

// ---- parent ----

export async function run({ quick }) {
  const rounds = quick ? 2 : 6;
  const warm = quick ? 100 : 200;
  const quadruples = quick ? 400 : 1500;
  const blockMs = quick ? 500 : 1000;
  const blocks = quick ? 2 : 4;
  const { startFakeProviders } = await import('@modelwatch/fake-providers');
  // Thousands of calls a second: far past the fake's realistic per-minute rate limits, which would answer 429.
  const fake = await startFakeProviders({ timeScale: 0, seed: 7, rateLimits: [{ provider: 'openai', requestsPerMinute: 1e9, tokensPerMinute: 1e12 }] });
  const rows = { latency: perVariant(), cpuUs: perVariant(), ratio: perVariant(), addedUs: perVariant(), cpuAdded: perVariant(), cpuMeanAdded: perVariant(), offlineUs: perVariant(), offlineCpuAdded: perVariant(), rateRatio: [], rate: { bare: [], modelwatch: [] } };
  const noise = { reruns: 0, foreign: [] };
  let recordedOk = true;
  let peerRecordedOk = true;
  try {
    for (let r = 0; r < rounds; r++) {
      const result = await runQuietWorker(SELF, [fake.openaiBaseUrl, warm, quadruples, blockMs, blocks], {}, quick ? 1 : 2);
      noise.reruns += result.reruns;
      noise.foreign.push(result.foreignCpu);
      recordedOk &&= result.recordedOk;
      peerRecordedOk &&= result.peerRecordedOk;
      for (const v of VARIANTS) {
        rows.latency[v].push(result.network.latency[v]);
        rows.cpuUs[v].push(result.network.cpuUs[v]);
        if (v === 'bare') continue;
        rows.ratio[v].push(result.network[v].ratio);
        rows.addedUs[v].push(result.network[v].addedUs);
        rows.cpuAdded[v].push(result.network[v].cpuAddedUs);
        rows.cpuMeanAdded[v].push(result.network[v].cpuMeanAddedUs);
        rows.offlineUs[v].push(result.offline[v].addedUs);
        rows.offlineCpuAdded[v].push(result.offline[v].cpuAddedUs);
      }
      for (const v of ['bare', 'modelwatch']) rows.rate[v].push(result.rate[v]);
      rows.rateRatio.push(result.rate.modelwatch / result.rate.bare);
    }
  } finally {
    await fake.close();
  }
  const med = (values) => median(values);
  const pct = (x) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)} %`;
  const us = (x) => `${x >= 0 ? '+' : ''}${x.toFixed(1)} µs`;
  const rangeOf = (values, fmt) => `${fmt(Math.min(...values))} … ${fmt(Math.max(...values))}`;
  const added = med(rows.ratio.modelwatch) - 1;
  const aa = med(rows.ratio.again) - 1;
  const addedRange = rows.ratio.modelwatch.map((x) => x - 1);
  const aaRange = rows.ratio.again.map((x) => x - 1);
  const cpuUs = med(rows.cpuAdded.modelwatch);
  const throughputLoss = 1 - med(rows.rateRatio);
  const peerAdded = med(rows.ratio.otel) - 1;
  const peerRange = rows.ratio.otel.map((x) => x - 1);
  const peerVersion = require(`${OTEL_PEER}/package.json`).version;
  printTable(
    `SDK overhead — openai ${require('openai/version').VERSION} chat.completions.create (non-streaming) against the loopback fake, ${rounds} rounds (a fresh process each: ${quadruples} quadruples of sequential calls — bare, bare again, instrumentOpenAI, ${OTEL_PEER} — order rotated, after ${warm} warm-up; then ${blocks} × ${blockMs} ms at concurrency ${CONCURRENCY}, bare and instrumentOpenAI)`,
    ['client', 'latency ms', 'added (median of paired ratios)', 'range of rounds', 'µs', 'CPU µs/call', 'added CPU', 'no network: added', 'calls/s (×10)'],
    [
      ['bare openai', fmtMs(med(rows.latency.bare)), '', '', '', fmtMs(med(rows.cpuUs.bare)), '', '', fmtRate(med(rows.rate.bare))],
      ['bare again (A/A)', fmtMs(med(rows.latency.again)), pct(aa), rangeOf(aaRange, pct), us(med(rows.addedUs.again)), fmtMs(med(rows.cpuUs.again)), us(med(rows.cpuAdded.again)), us(med(rows.offlineUs.again)), ''],
      ['instrumentOpenAI', fmtMs(med(rows.latency.modelwatch)), pct(added), rangeOf(addedRange, pct), us(med(rows.addedUs.modelwatch)), fmtMs(med(rows.cpuUs.modelwatch)), us(cpuUs), us(med(rows.offlineUs.modelwatch)), `${fmtRate(med(rows.rate.modelwatch))} (${pct(-throughputLoss)})`],
      [`${OTEL_PEER} ${peerVersion}`, fmtMs(med(rows.latency.otel)), pct(peerAdded), rangeOf(peerRange, pct), us(med(rows.addedUs.otel)), fmtMs(med(rows.cpuUs.otel)), us(med(rows.cpuAdded.otel)), us(med(rows.offlineUs.otel)), ''],
    ],
  );
  console.log(`  'added': per round, the median over its quadruples of (this client's call ÷ the bare call of the same quadruple) − 1; the row's figure is the median of the rounds`);
  console.log(`  'bare again' is a second bare client in the same process: its 'added' shows how far two identical clients measure apart (a difference smaller than that says nothing)`);
  console.log(`  CPU µs/call: the worker's CPU time (all its threads) charged to each sequential call, median; added CPU: median over the quadruples of (this call's − the bare call's), median of the rounds`);
  console.log(`  instrumentOpenAI's added CPU per call: rounds ${rangeOf(rows.cpuAdded.modelwatch, us)} (A/A ${rangeOf(rows.cpuAdded.again, us)}); as a difference of means, GC pauses included: ${us(med(rows.cpuMeanAdded.modelwatch))} (A/A ${us(med(rows.cpuMeanAdded.again))})`);
  console.log(`  without the network (a canned fetch answering with the fake's body and headers): added wall ${us(med(rows.offlineUs.modelwatch))} (A/A ${us(med(rows.offlineUs.again))}), added CPU ${us(med(rows.offlineCpuAdded.modelwatch))} (A/A ${us(med(rows.offlineCpuAdded.again))})`);
  console.log(`  ${OTEL_PEER}: its metrics into an SDK MeterProvider (collected once at the end), no tracer provider, as for instrumentOpenAI; its added CPU per call: rounds ${rangeOf(rows.cpuAdded.otel, us)}; without the network, added CPU ${us(med(rows.offlineCpuAdded.otel))}`);
  printNoise(noise);
  if (!recordedOk) console.log('  CHECK FAILED modelwatch: the instrumented client did not record every call');
  if (!peerRecordedOk) console.log(`  CHECK FAILED ${OTEL_PEER}: the peer did not record every call`);
  const meets = added <= GOAL_ADDED && recordedOk;
  const results = [
    {
      suite: 'sdk-overhead',
      name: 'instrumentOpenAI added latency',
      value: added,
      unit: 'ratio',
      peers: { 'bare again': aa, [OTEL_PEER]: peerAdded },
      goal: `≤ ${GOAL_ADDED * 100} % added latency`,
      meetsGoal: meets,
      samples: addedRange,
      aaSamples: aaRange,
    },
    { suite: 'sdk-overhead', name: 'bare again added latency (A/A)', value: aa, unit: 'ratio', peers: {}, samples: aaRange },
    { suite: 'sdk-overhead', name: 'bare openai latency', value: med(rows.latency.bare), unit: 'ms', peers: {}, samples: rows.latency.bare },
    { suite: 'sdk-overhead', name: 'instrumentOpenAI latency', value: med(rows.latency.modelwatch), unit: 'ms', peers: { 'bare openai': med(rows.latency.bare) }, samples: rows.latency.modelwatch },
    { suite: 'sdk-overhead', name: 'instrumentOpenAI added CPU per call', value: cpuUs, unit: 'µs', peers: { 'bare again': med(rows.cpuAdded.again), [OTEL_PEER]: med(rows.cpuAdded.otel) }, samples: rows.cpuAdded.modelwatch },
    { suite: 'sdk-overhead', name: `${OTEL_PEER} added latency`, value: peerAdded, unit: 'ratio', peers: {}, samples: peerRange },
    { suite: 'sdk-overhead', name: 'instrumentOpenAI added client time without network', value: med(rows.offlineUs.modelwatch), unit: 'µs', peers: { 'bare again': med(rows.offlineUs.again) }, samples: rows.offlineUs.modelwatch },
    { suite: 'sdk-overhead', name: 'instrumentOpenAI throughput ratio', value: med(rows.rateRatio), unit: 'ratio', peers: {}, samples: rows.rateRatio },
    { suite: 'sdk-overhead', name: 'instrumentOpenAI client CPU per call', value: med(rows.cpuUs.modelwatch), unit: 'µs', peers: { 'bare openai': med(rows.cpuUs.bare) }, samples: rows.cpuUs.modelwatch },
  ];
  const goals = [
    {
      goal: `instrumentOpenAI adds ≤ ${GOAL_ADDED * 100} % latency`,
      value: `${pct(added)} (rounds ${rangeOf(addedRange, pct)}; A/A ${pct(aa)}, ${rangeOf(aaRange, pct)}); ${us(cpuUs)} CPU per call; ${OTEL_PEER} ${pct(peerAdded)}, ${us(med(rows.cpuAdded.otel))} CPU`,
      pass: meets,
    },
  ];
  return { results, goals };
}

if (isWorker(SELF)) workerMain(worker);
