// Suite — SDK integration overhead: what `instrumentOpenAI` adds to a real `openai`
// client's non-streaming chat call against the loopback fake provider (timeScale 0,
// so the call is all client, network stack and fake, no model time).
// The fake runs in this (the parent) process; each round is a fresh worker process
// holding three clients on the same fake: a bare one, a second bare one (`bare again`,
// the A/A check: how far two identical clients measure apart) and an instrumented one.
// Patching is per client instance, so they share one JIT without touching each other.
// Their calls alternate one by one in triples (the order rotated through all six
// permutations), so a burst of load or drift hits all three alike; each round's figure
// is the median of its per-triple ratios to the bare call of the same triple. Each call
// is also charged the worker's CPU time it took (process.cpuUsage around it): instrumented
// minus bare CPU per call is what the instrumentation itself costs, a figure the host's
// load hardly moves.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { fmtMs, fmtRate, isWorker, median, printNoise, printTable, runQuietWorker, workerMain } from './lib/util.mjs';

const require = createRequire(import.meta.url);
const SELF = fileURLToPath(import.meta.url);
const GOAL_ADDED = 0.02;
const CONCURRENCY = 10;
const OTEL_PEER = '@opentelemetry/instrumentation-openai';
const OTEL_PEER_MISSING = 'not installable: needs @opentelemetry/api ^1.10 (the exporter is on 1.9)';

const REQUEST = {
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content: 'Say hello in one short sentence.' }],
  max_tokens: 16,
};
const REQUEST_OPTIONS = { headers: { 'x-fake-output-tokens': '16' } };

// ---- worker ----

const VARIANTS = ['bare', 'again', 'modelwatch'];
/** The six orders of a triple, taken in turn: each variant is first, second and third equally often. */
const ORDERS = [
  [0, 1, 2],
  [1, 2, 0],
  [2, 0, 1],
  [0, 2, 1],
  [2, 1, 0],
  [1, 0, 2],
].map((order) => order.map((i) => VARIANTS[i]));

function clients(baseURL, fetch) {
  const { default: OpenAI } = require('openai');
  const { createModelwatch, instrumentOpenAI } = require('../dist/index.js');
  // Two instances on purpose (the network and the canned clients): each counts its own calls.
  const mw = createModelwatch({ defaultMetrics: false, warn: () => {} });
  // Default retries: at concurrency a pooled socket the fake just closed (keep-alive race) is retried, as in production.
  const options = fetch ? { apiKey: 'bench', baseURL, fetch } : { apiKey: 'bench', baseURL };
  return { mw, bare: new OpenAI(options), again: new OpenAI(options), modelwatch: instrumentOpenAI(new OpenAI(options), mw) };
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

/**
 * `triples` rounds of one sequential call per client, in rotating order: per-call wall
 * latency (ms) and worker CPU (µs) of each variant, index i of each list from triple i.
 */
async function sequential(c, triples) {
  const wall = { bare: [], again: [], modelwatch: [] };
  const cpu = { bare: [], again: [], modelwatch: [] };
  for (let i = 0; i < triples; i++) {
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
 * Each variant against the bare call of the same triple: median ratio and median difference of
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
    latency: { bare: median(wall.bare), again: median(wall.again), modelwatch: median(wall.modelwatch) },
    cpuUs: { bare: median(cpu.bare), again: median(cpu.again), modelwatch: median(cpu.modelwatch) },
    modelwatch: against('modelwatch'),
    again: against('again'),
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

async function worker([baseURL, warm, triples, blockMs, blocks]) {
  const c = clients(baseURL);
  await sequential(c, Number(warm));
  const network = compare(await sequential(c, Number(triples)));
  // The same calls with the network taken out: what the instrumentation costs the client itself.
  const offline = clients(baseURL, await cannedFetch(baseURL));
  await sequential(offline, Number(warm));
  const local = compare(await sequential(offline, Number(triples)));
  const tp = { bare: [], modelwatch: [] };
  for (let b = 0; b < Number(blocks); b++) {
    for (const v of b % 2 ? ['bare', 'modelwatch'] : ['modelwatch', 'bare']) tp[v].push(await throughput(c[v], Number(blockMs)));
  }
  const expected = Number(warm) + Number(triples) + tp.modelwatch.reduce((n, t) => n + t.calls, 0);
  const recorded = recordedCalls(c.mw);
  return {
    network,
    offline: local,
    rate: { bare: median(tp.bare.map((t) => t.rate)), modelwatch: median(tp.modelwatch.map((t) => t.rate)) },
    recordedOk: recorded === expected && recordedCalls(offline.mw) === Number(warm) + Number(triples),
  };
}

// ---- parent ----

function otelPeerStatus() {
  try {
    require.resolve(OTEL_PEER);
    return 'installed, but not wired into this suite';
  } catch {
    return OTEL_PEER_MISSING;
  }
}

export async function run({ quick }) {
  const rounds = quick ? 2 : 6;
  const warm = quick ? 100 : 200;
  const triples = quick ? 400 : 1500;
  const blockMs = quick ? 500 : 1000;
  const blocks = quick ? 2 : 4;
  const { startFakeProviders } = await import('@modelwatch/fake-providers');
  // Thousands of calls a second: far past the fake's realistic per-minute rate limits, which would answer 429.
  const fake = await startFakeProviders({ timeScale: 0, seed: 7, rateLimits: [{ provider: 'openai', requestsPerMinute: 1e9, tokensPerMinute: 1e12 }] });
  const per = () => ({ bare: [], again: [], modelwatch: [] });
  const rows = { latency: per(), cpuUs: per(), ratio: per(), addedUs: per(), cpuAdded: per(), cpuMeanAdded: per(), offlineUs: per(), offlineCpuAdded: per(), rateRatio: [], rate: { bare: [], modelwatch: [] } };
  const noise = { reruns: 0, foreign: [] };
  let recordedOk = true;
  try {
    for (let r = 0; r < rounds; r++) {
      const result = await runQuietWorker(SELF, [fake.openaiBaseUrl, warm, triples, blockMs, blocks], {}, quick ? 1 : 2);
      noise.reruns += result.reruns;
      noise.foreign.push(result.foreignCpu);
      recordedOk &&= result.recordedOk;
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
  const otel = otelPeerStatus();
  printTable(
    `SDK overhead — openai ${require('openai/version').VERSION} chat.completions.create (non-streaming) against the loopback fake, ${rounds} rounds (a fresh process each: ${triples} triples of sequential calls — bare, bare again, instrumented, order rotated — after ${warm} warm-up; then ${blocks} × ${blockMs} ms at concurrency ${CONCURRENCY})`,
    ['client', 'latency ms', 'added (median of paired ratios)', 'range of rounds', 'µs', 'CPU µs/call', 'added CPU', 'no network: added', 'calls/s (×10)'],
    [
      ['bare openai', fmtMs(med(rows.latency.bare)), '', '', '', fmtMs(med(rows.cpuUs.bare)), '', '', fmtRate(med(rows.rate.bare))],
      ['bare again (A/A)', fmtMs(med(rows.latency.again)), pct(aa), rangeOf(aaRange, pct), us(med(rows.addedUs.again)), fmtMs(med(rows.cpuUs.again)), us(med(rows.cpuAdded.again)), us(med(rows.offlineUs.again)), ''],
      ['instrumentOpenAI', fmtMs(med(rows.latency.modelwatch)), pct(added), rangeOf(addedRange, pct), us(med(rows.addedUs.modelwatch)), fmtMs(med(rows.cpuUs.modelwatch)), us(cpuUs), us(med(rows.offlineUs.modelwatch)), `${fmtRate(med(rows.rate.modelwatch))} (${pct(-throughputLoss)})`],
      [OTEL_PEER, '–', otel, '', '', '–', '', '', '–'],
    ],
  );
  console.log(`  'added': per round, the median over its triples of (this client's call ÷ the bare call of the same triple) − 1; the row's figure is the median of the rounds`);
  console.log(`  'bare again' is a second bare client in the same process: its 'added' shows how far two identical clients measure apart (a difference smaller than that says nothing)`);
  console.log(`  CPU µs/call: the worker's CPU time (all its threads) charged to each sequential call, median; added CPU: median over the triples of (this call's − the bare call's), median of the rounds`);
  console.log(`  instrumentOpenAI's added CPU per call: rounds ${rangeOf(rows.cpuAdded.modelwatch, us)} (A/A ${rangeOf(rows.cpuAdded.again, us)}); as a difference of means, GC pauses included: ${us(med(rows.cpuMeanAdded.modelwatch))} (A/A ${us(med(rows.cpuMeanAdded.again))})`);
  console.log(`  without the network (a canned fetch answering with the fake's body and headers): added wall ${us(med(rows.offlineUs.modelwatch))} (A/A ${us(med(rows.offlineUs.again))}), added CPU ${us(med(rows.offlineCpuAdded.modelwatch))} (A/A ${us(med(rows.offlineCpuAdded.again))})`);
  printNoise(noise);
  if (!recordedOk) console.log('  CHECK FAILED modelwatch: the instrumented client did not record every call');
  const meets = added <= GOAL_ADDED && recordedOk;
  const results = [
    {
      suite: 'sdk-overhead',
      name: 'instrumentOpenAI added latency',
      value: added,
      unit: 'ratio',
      peers: { 'bare again': aa },
      goal: `≤ ${GOAL_ADDED * 100} % added latency`,
      meetsGoal: meets,
      samples: addedRange,
      aaSamples: aaRange,
    },
    { suite: 'sdk-overhead', name: 'bare again added latency (A/A)', value: aa, unit: 'ratio', peers: {}, samples: aaRange },
    { suite: 'sdk-overhead', name: 'bare openai latency', value: med(rows.latency.bare), unit: 'ms', peers: {}, samples: rows.latency.bare },
    { suite: 'sdk-overhead', name: 'instrumentOpenAI latency', value: med(rows.latency.modelwatch), unit: 'ms', peers: { 'bare openai': med(rows.latency.bare) }, samples: rows.latency.modelwatch },
    { suite: 'sdk-overhead', name: 'instrumentOpenAI added CPU per call', value: cpuUs, unit: 'µs', peers: { 'bare again': med(rows.cpuAdded.again) }, samples: rows.cpuAdded.modelwatch },
    { suite: 'sdk-overhead', name: 'instrumentOpenAI added client time without network', value: med(rows.offlineUs.modelwatch), unit: 'µs', peers: { 'bare again': med(rows.offlineUs.again) }, samples: rows.offlineUs.modelwatch },
    { suite: 'sdk-overhead', name: 'instrumentOpenAI throughput ratio', value: med(rows.rateRatio), unit: 'ratio', peers: {}, samples: rows.rateRatio },
    { suite: 'sdk-overhead', name: 'instrumentOpenAI client CPU per call', value: med(rows.cpuUs.modelwatch), unit: 'µs', peers: { 'bare openai': med(rows.cpuUs.bare) }, samples: rows.cpuUs.modelwatch },
  ];
  const goals = [
    {
      goal: `instrumentOpenAI adds ≤ ${GOAL_ADDED * 100} % latency`,
      value: `${pct(added)} (rounds ${rangeOf(addedRange, pct)}; A/A ${pct(aa)}, ${rangeOf(aaRange, pct)}); ${us(cpuUs)} CPU per call`,
      pass: meets,
    },
  ];
  return { results, goals };
}

if (isWorker(SELF)) workerMain(worker);
