// Suite — SDK integration overhead: what `instrumentOpenAI` adds to a real `openai`
// client's non-streaming chat call against the loopback fake provider (timeScale 0,
// so the call is all client, network stack and fake, no model time).
// The fake runs in this (the parent) process; each round is a fresh worker process
// holding two clients on the same fake: a bare one and an instrumented one. Patching
// is per client instance, so they share one JIT without touching each other, and
// their calls alternate (paired), so drift hits both alike.
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

function clients(baseURL, fetch) {
  const { default: OpenAI } = require('openai');
  const { createModelwatch, instrumentOpenAI } = require('../dist/index.js');
  const mw = createModelwatch({ defaultMetrics: false });
  // Default retries: at concurrency a pooled socket the fake just closed (keep-alive race) is retried, as in production.
  const options = fetch ? { apiKey: 'bench', baseURL, fetch } : { apiKey: 'bench', baseURL };
  return { mw, bare: new OpenAI(options), modelwatch: instrumentOpenAI(new OpenAI(options), mw) };
}

/** A `fetch` answering every call with one canned completion: the SDK and the instrumentation without any network. */
async function cannedFetch(baseURL) {
  const response = await fetch(`${baseURL}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer bench', ...REQUEST_OPTIONS.headers },
    body: JSON.stringify(REQUEST),
  });
  const body = await response.text();
  return async () => new Response(body, { status: 200, headers: { 'content-type': 'application/json' } });
}

const call = (client) => client.chat.completions.create(REQUEST, REQUEST_OPTIONS);

async function timed(client) {
  const start = performance.now();
  await call(client);
  return performance.now() - start;
}

/** Sequential calls, bare and instrumented alternating (order flipped each pair): per-call latency in ms. */
async function latency(c, pairs) {
  const samples = { bare: [], modelwatch: [] };
  for (let i = 0; i < pairs; i++) {
    const order = i % 2 ? ['bare', 'modelwatch'] : ['modelwatch', 'bare'];
    for (const v of order) samples[v].push(await timed(c[v]));
  }
  return samples;
}

/** Median of the per-pair ratios and differences: each pair ran back to back, so a burst of load hits both. */
function paired(samples) {
  return {
    ratio: median(samples.modelwatch.map((x, i) => x / samples.bare[i])),
    addedMs: median(samples.modelwatch.map((x, i) => x - samples.bare[i])),
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

async function worker([baseURL, warm, pairs, blockMs, blocks]) {
  const c = clients(baseURL);
  await latency(c, Number(warm));
  const seq = await latency(c, Number(pairs));
  // The same calls with the network taken out: what the instrumentation costs the client itself.
  const offline = clients(baseURL, await cannedFetch(baseURL));
  await latency(offline, Number(warm));
  const local = paired(await latency(offline, Number(pairs)));
  const tp = { bare: [], modelwatch: [] };
  for (let b = 0; b < Number(blocks); b++) {
    for (const v of b % 2 ? ['bare', 'modelwatch'] : ['modelwatch', 'bare']) tp[v].push(await throughput(c[v], Number(blockMs)));
  }
  const expected = Number(warm) + Number(pairs) + tp.modelwatch.reduce((n, t) => n + t.calls, 0);
  const recorded = recordedCalls(c.mw);
  return {
    latency: { bare: median(seq.bare), modelwatch: median(seq.modelwatch) },
    latencyPaired: paired(seq),
    offline: local,
    rate: { bare: median(tp.bare.map((t) => t.rate)), modelwatch: median(tp.modelwatch.map((t) => t.rate)) },
    cpuUsPerCall: { bare: median(tp.bare.map((t) => t.cpuUsPerCall)), modelwatch: median(tp.modelwatch.map((t) => t.cpuUsPerCall)) },
    recordedOk: recorded === expected,
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
  const rounds = quick ? 2 : 5;
  const warm = quick ? 100 : 300;
  const pairs = quick ? 300 : 1000;
  const blockMs = quick ? 500 : 1500;
  const blocks = quick ? 2 : 4;
  const { startFakeProviders } = await import('@modelwatch/fake-providers');
  // Thousands of calls a second: far past the fake's realistic per-minute rate limits, which would answer 429.
  const fake = await startFakeProviders({ timeScale: 0, seed: 7, rateLimits: [{ provider: 'openai', requestsPerMinute: 1e9, tokensPerMinute: 1e12 }] });
  const rows = { latencyRatio: [], addedMs: [], offlineAddedMs: [], latency: { bare: [], modelwatch: [] }, rateRatio: [], rate: { bare: [], modelwatch: [] }, cpu: { bare: [], modelwatch: [] } };
  const noise = { reruns: 0, foreign: [] };
  let recordedOk = true;
  try {
    for (let r = 0; r < rounds; r++) {
      const result = await runQuietWorker(SELF, [fake.openaiBaseUrl, warm, pairs, blockMs, blocks], {}, quick ? 1 : 2);
      noise.reruns += result.reruns;
      noise.foreign.push(result.foreignCpu);
      recordedOk &&= result.recordedOk;
      for (const v of ['bare', 'modelwatch']) {
        rows.latency[v].push(result.latency[v]);
        rows.rate[v].push(result.rate[v]);
        rows.cpu[v].push(result.cpuUsPerCall[v]);
      }
      rows.latencyRatio.push(result.latencyPaired.ratio);
      rows.addedMs.push(result.latencyPaired.addedMs);
      rows.offlineAddedMs.push(result.offline.addedMs);
      rows.rateRatio.push(result.rate.modelwatch / result.rate.bare);
    }
  } finally {
    await fake.close();
  }
  const med = (values) => median(values);
  const added = med(rows.latencyRatio) - 1;
  const addedUs = med(rows.addedMs) * 1000;
  const offlineAddedUs = med(rows.offlineAddedMs) * 1000;
  const throughputLoss = 1 - med(rows.rateRatio);
  const cpuAdded = med(rows.cpu.modelwatch) - med(rows.cpu.bare);
  const otel = otelPeerStatus();
  const pct = (x) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)} %`;
  printTable(
    `SDK overhead — openai ${require('openai/version').VERSION} chat.completions.create (non-streaming) against the loopback fake, median of ${rounds} rounds (fresh process each; ${pairs} paired sequential calls after ${warm} warm-up; ${blocks} × ${blockMs} ms at concurrency ${CONCURRENCY})`,
    ['client', 'latency ms', 'added', 'calls/s (×10)', 'vs bare', 'client CPU µs/call'],
    [
      ['bare openai', fmtMs(med(rows.latency.bare)), '', fmtRate(med(rows.rate.bare)), '', fmtMs(med(rows.cpu.bare))],
      ['instrumentOpenAI', fmtMs(med(rows.latency.modelwatch)), `${pct(added)} (${addedUs.toFixed(0)} µs)`, fmtRate(med(rows.rate.modelwatch)), pct(-throughputLoss), fmtMs(med(rows.cpu.modelwatch))],
      [OTEL_PEER, '–', otel, '–', '', '–'],
    ],
  );
  console.log(`  'added' is the median of per-pair ratios (each bare call and instrumented call back to back); µs the median per-pair difference`);
  console.log(`  without the network (a canned fetch): instrumentOpenAI adds ${offlineAddedUs.toFixed(1)} µs per call; CPU per call under load: +${cpuAdded.toFixed(0)} µs (noisy)`);
  printNoise(noise);
  if (!recordedOk) console.log('  CHECK FAILED modelwatch: the instrumented client did not record every call');
  const results = [
    {
      suite: 'sdk-overhead',
      name: 'instrumentOpenAI added latency',
      value: added,
      unit: 'ratio',
      peers: {},
      goal: `≤ ${GOAL_ADDED * 100} % added latency`,
      meetsGoal: added <= GOAL_ADDED && recordedOk,
      samples: rows.latencyRatio.map((x) => x - 1),
    },
    { suite: 'sdk-overhead', name: 'bare openai latency', value: med(rows.latency.bare), unit: 'ms', peers: {}, samples: rows.latency.bare },
    { suite: 'sdk-overhead', name: 'instrumentOpenAI latency', value: med(rows.latency.modelwatch), unit: 'ms', peers: { 'bare openai': med(rows.latency.bare) }, samples: rows.latency.modelwatch },
    { suite: 'sdk-overhead', name: 'instrumentOpenAI added client time without network', value: offlineAddedUs, unit: 'µs', peers: {}, samples: rows.offlineAddedMs.map((x) => x * 1000) },
    { suite: 'sdk-overhead', name: 'instrumentOpenAI throughput ratio', value: med(rows.rateRatio), unit: 'ratio', peers: {}, samples: rows.rateRatio },
    { suite: 'sdk-overhead', name: 'instrumentOpenAI client CPU per call', value: med(rows.cpu.modelwatch), unit: 'µs', peers: { 'bare openai': med(rows.cpu.bare) }, samples: rows.cpu.modelwatch },
  ];
  const goals = [
    { goal: `instrumentOpenAI adds ≤ ${GOAL_ADDED * 100} % latency`, value: `${pct(added)} (${fmtMs(med(rows.latency.modelwatch))} vs ${fmtMs(med(rows.latency.bare))} ms)`, pass: added <= GOAL_ADDED && recordedOk },
  ];
  return { results, goals };
}

if (isWorker(SELF)) workerMain(worker);
