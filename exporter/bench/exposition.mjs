// Suite 3 — exposition: time and longest event-loop block to serialise 10k and
// 100k series (histogram label sets with 15 buckets each, and plain counters),
// as a string and served over a real HTTP request.
import { fork } from 'node:child_process';
import http from 'node:http';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { createGunzip } from 'node:zlib';
import { fmtMs, fmtNum, fmtRatio, gc, isWorker, max, measureBlocking, measured, median, printNoise, printTable, processCpuMs, runQuietWorker, workerMain } from './lib/util.mjs';

const require = createRequire(import.meta.url);
const SELF = fileURLToPath(import.meta.url);
const GOAL_10K_MS = 30;
const GOAL_BLOCK_MS = 20;

function valueFor(i) {
  return ((i * 7919) % 1000) / 100;
}

function setup(impl, kind, size) {
  if (impl === 'modelwatch') {
    const { createModelwatch } = require('../dist/index.js');
    const mw = createModelwatch({ defaultMetrics: false, seriesCaps: { genAiOperationDuration: 200_000, genAiCost: 200_000 } });
    const { aiDuration, aiCost } = mw.instruments;
    for (let i = 0; i < size; i++) {
      const model = `model-${i}`;
      if (kind === 'histogram') aiDuration.observe(aiDuration.series(['chat', 'openai', model, '']), valueFor(i));
      else aiCost.inc(aiCost.series(['openai', model, 'chat']), valueFor(i));
    }
    const count = kind === 'histogram' ? aiDuration.seriesCount : aiCost.seriesCount;
    if (count !== size) throw new Error(`expected ${size} series, got ${count} (cap not raised?)`);
    return { serialise: () => mw.metrics(), handler: mw.metricsHandler };
  }
  const client = require('prom-client');
  const { GEN_AI_DURATION_BUCKETS } = require('../dist/conventions/index.js');
  const registry = new client.Registry();
  const metric =
    kind === 'histogram'
      ? new client.Histogram({
          name: 'gen_ai_client_operation_duration_seconds',
          help: 'Duration of AI model calls.',
          labelNames: ['gen_ai_operation_name', 'gen_ai_provider_name', 'gen_ai_request_model', 'error_type'],
          buckets: [...GEN_AI_DURATION_BUCKETS],
          registers: [registry],
        })
      : new client.Counter({
          name: 'modelwatch_gen_ai_cost_usd_total',
          help: 'Spend on AI calls.',
          labelNames: ['gen_ai_provider_name', 'gen_ai_request_model', 'gen_ai_operation_name'],
          registers: [registry],
        });
  for (let i = 0; i < size; i++) {
    const model = `model-${i}`;
    if (kind === 'histogram') metric.labels('chat', 'openai', model, '').observe(valueFor(i));
    else metric.labels('openai', model, 'chat').inc(valueFor(i));
  }
  return {
    serialise: () => registry.metrics(),
    handler: async (req, res) => {
      const body = await registry.metrics();
      res.setHeader('Content-Type', registry.contentType);
      res.end(body);
    },
  };
}

// The scraper runs in a process of its own, as Prometheus does: reading and
// gunzipping 270 MB in the measured process would count the client's work (and
// its garbage) as the exporter's event-loop blocks.
const SCRAPER_FLAG = '--scraper';

function scrapeOnce(port, gzip) {
  return new Promise((resolve, reject) => {
    const headers = { accept: 'text/plain;version=0.0.4' };
    if (gzip) headers['accept-encoding'] = 'gzip';
    http
      // No keep-alive: a socket idle through a long blocking serialisation may be reset by the server.
      .get({ host: '127.0.0.1', port, path: '/metrics', headers, agent: false }, (res) => {
        let bytes = 0;
        const body = gzip && res.headers['content-encoding'] === 'gzip' ? res.pipe(createGunzip()) : res;
        body.on('data', (chunk) => (bytes += chunk.length));
        body.on('end', () => (res.statusCode === 200 ? resolve(bytes) : reject(new Error(`status ${res.statusCode}`))));
        body.on('error', reject);
      })
      .on('error', reject);
  });
}

function scraperMain() {
  process.on('message', ({ port, gzip }) => {
    scrapeOnce(port, gzip).then(
      (bytes) => process.send({ bytes }),
      (error) => process.send({ error: String(error) }),
    );
  });
  process.on('disconnect', () => process.exit(0));
}

function startScraper() {
  const child = fork(SELF, [SCRAPER_FLAG], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return {
    scrape: (port, gzip) =>
      new Promise((resolve, reject) => {
        child.once('message', (answer) => (answer.error ? reject(new Error(answer.error)) : resolve(answer.bytes)));
        child.send({ port, gzip });
      }),
    /** Ends the scraper; answers the CPU it used, which counts as the measurement's own. */
    stop() {
      const cpuMs = processCpuMs(child.pid);
      child.disconnect();
      return cpuMs;
    },
  };
}

async function worker([impl, kind, size, rounds, warmUp, overHttp]) {
  const target = setup(impl, kind, Number(size));
  const scraper = startScraper();
  const server = http.createServer(target.handler);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  const modes = overHttp === '0' ? [] : impl === 'modelwatch' ? ['http', 'http-gzip'] : ['http'];
  const out = { serialiseMs: [], blockMs: [], eldMs: [], faults: [], cpuMs: [], bytes: 0 };
  for (const mode of modes) Object.assign(out, { [`${mode}Ms`]: [], [`${mode}BlockMs`]: [] });
  const first = warmUp === '1' ? 0 : 1;
  for (let r = first; r <= Number(rounds); r++) {
    // Every measurement starts from a collected heap, so one round's garbage does not land in the next.
    gc();
    // Minor page faults (first touches of memory the process got from the kernel) and CPU time of
    // the process (the garbage collector's helper threads included) while serialising.
    const faultsBefore = process.resourceUsage().minorPageFault;
    const cpuBefore = process.cpuUsage();
    const serialised = await measureBlocking(() => target.serialise());
    const cpu = process.cpuUsage(cpuBefore);
    const faults = process.resourceUsage().minorPageFault - faultsBefore;
    const served = {};
    for (const mode of modes) {
      gc();
      served[mode] = await measureBlocking(() => scraper.scrape(port, mode === 'http-gzip'));
    }
    if (r === 0) continue;
    out.bytes = serialised.value.length;
    out.serialiseMs.push(serialised.ms);
    out.blockMs.push(serialised.maxBlockMs);
    out.eldMs.push(serialised.eldMaxMs);
    out.faults.push(faults);
    out.cpuMs.push((cpu.user + cpu.system) / 1000);
    for (const mode of modes) {
      out[`${mode}Ms`].push(served[mode].ms);
      out[`${mode}BlockMs`].push(served[mode].maxBlockMs);
    }
  }
  server.close();
  return { ...out, helperCpuMs: scraper.stop() };
}

export async function run({ quick }) {
  const sizes = [10_000, 100_000];
  const kinds = ['histogram', 'counter'];
  const impls = ['modelwatch', 'prom-client'];
  const results = [];
  const goals = [];
  const rows = [];
  const data = {};
  const noise = { reruns: 0, foreign: [] };
  for (const kind of kinds) {
    for (const size of sizes) {
      for (const impl of impls) {
        // prom-client needs seconds per 100k-histogram scrape and blocks throughout: one round, string only.
        const slowPeer = impl === 'prom-client' && kind === 'histogram' && size >= 100_000;
        const rounds = quick || slowPeer ? 1 : size >= 100_000 ? 2 : 5;
        const warmUp = !slowPeer && !(quick && size >= 100_000);
        const overHttp = !slowPeer;
        const result = await runQuietWorker(SELF, [impl, kind, size, rounds, warmUp ? 1 : 0, overHttp ? 1 : 0], { execArgv: ['--expose-gc', '--max-old-space-size=4096'] }, quick || size >= 100_000 ? 0 : 1);
        noise.reruns += result.reruns;
        noise.foreign.push(result.foreignCpu);
        data[`${impl}/${kind}/${size}`] = result;
      }
      const ours = data[`modelwatch/${kind}/${size}`];
      const peer = data[`prom-client/${kind}/${size}`];
      const label = `${fmtNum(size / 1000)}k ${kind}`;
      for (const [impl, d] of [
        ['modelwatch', ours],
        ['prom-client', peer],
      ]) {
        rows.push([
          `${label} ${impl}`,
          fmtMs(median(d.serialiseMs)),
          impl === 'modelwatch' ? '' : fmtRatio(median(peer.serialiseMs) / median(ours.serialiseMs)),
          fmtMs(median(d.blockMs)),
          fmtMs(max(d.blockMs)),
          fmtMs(max(d.eldMs)),
          fmtMs(median(d.httpMs)),
          fmtMs(max(d.httpBlockMs)),
          d['http-gzipMs'] ? fmtMs(median(d['http-gzipMs'])) : '–',
          d['http-gzipBlockMs'] ? fmtMs(max(d['http-gzipBlockMs'])) : '–',
          `${(d.bytes / 1048576).toFixed(1)} MB`,
          fmtMs(median(d.cpuMs)),
          fmtNum(median(d.faults)),
        ]);
      }
      const oursMs = median(ours.serialiseMs);
      const stringBlock = max(ours.blockMs);
      const scrapeBlock = Math.max(max(ours.httpBlockMs), max(ours['http-gzipBlockMs']));
      const peerBlock = Math.max(max(peer.blockMs), max(peer.httpBlockMs));
      const base = { suite: 'exposition', unit: 'ms' };
      const goalAt100k = (value) => (size === 100_000 ? { goal: `≤ ${GOAL_BLOCK_MS} ms`, meetsGoal: value <= GOAL_BLOCK_MS } : {});
      results.push({
        ...base,
        name: `${label} mw.metrics()`,
        value: oursMs,
        peers: { 'prom-client': median(peer.serialiseMs) },
        samples: ours.serialiseMs,
        ...(kind === 'histogram' && size === 10_000 ? { goal: `≤ ${GOAL_10K_MS} ms`, meetsGoal: oursMs <= GOAL_10K_MS } : {}),
      });
      results.push({ ...base, unit: 'faults', name: `${label} minor page faults per mw.metrics()`, value: median(ours.faults), peers: { 'prom-client': median(peer.faults) }, samples: ours.faults });
      results.push({ ...base, name: `${label} longest block, mw.metrics()`, value: stringBlock, peers: measured({ 'prom-client': peerBlock }), samples: ours.blockMs, ...goalAt100k(stringBlock) });
      results.push({ ...base, name: `${label} longest block, scrape via metricsHandler`, value: scrapeBlock, peers: measured({ 'prom-client': peerBlock }), samples: [...ours.httpBlockMs, ...ours['http-gzipBlockMs']], ...goalAt100k(scrapeBlock) });
      results.push({ ...base, name: `${label} scrape via metricsHandler`, value: median(ours.httpMs), peers: measured({ 'prom-client': median(peer.httpMs) }), samples: ours.httpMs });
      results.push({ ...base, name: `${label} scrape via metricsHandler (gzip)`, value: median(ours['http-gzipMs']), peers: {}, samples: ours['http-gzipMs'] });
      if (kind === 'histogram' && size === 10_000) goals.push({ goal: `10k histogram series: mw.metrics() ≤ ${GOAL_10K_MS} ms`, value: `${fmtMs(oursMs)} ms (prom-client ${fmtMs(median(peer.serialiseMs))} ms)`, pass: oursMs <= GOAL_10K_MS });
      if (size === 100_000) {
        goals.push({ goal: `100k ${kind}: no block > ${GOAL_BLOCK_MS} ms, scrape (metricsHandler)`, value: `worst ${fmtMs(scrapeBlock)} ms (prom-client ${fmtMs(peerBlock)} ms)`, pass: scrapeBlock <= GOAL_BLOCK_MS });
        goals.push({ goal: `100k ${kind}: no block > ${GOAL_BLOCK_MS} ms, mw.metrics()`, value: `worst ${fmtMs(stringBlock)} ms`, pass: stringBlock <= GOAL_BLOCK_MS });
      }
    }
  }
  printTable(
    `Exposition — ms, median of rounds (each after a full GC). metrics() = await mw.metrics() / registry.metrics(); scrape = GET through mw.metricsHandler on a real socket.\n  block = longest gap between setImmediate turns (med / max over rounds); eld = monitorEventLoopDelay max; histograms have 15 buckets
  cpu = the process's CPU ms during metrics() (GC threads included), faults = minor page faults during metrics() (each a first touch of fresh memory), medians`,
    ['series', 'metrics()', 'prom ÷ ours', 'block med', 'block max', 'eld max', 'scrape', 'scrape block', 'gzip scrape', 'gzip block', 'size', 'cpu', 'faults'],
    rows,
  );
  printNoise(noise);
  return { results, goals };
}

if (isWorker(SELF)) workerMain(worker);
else if (process.argv[1] === SELF && process.argv.includes(SCRAPER_FLAG)) scraperMain();
