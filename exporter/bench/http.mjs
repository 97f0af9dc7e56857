// Suite 1 — HTTP overhead: requests/s of a hello-world Express 5 / Fastify 5
// server, bare (twice: the second set is an A/A check of the suite's resolution),
// with a middleware that does nothing, with a minimal hand-written recorder, and
// with each instrumentation. Every server variant runs in processes
// of its own (instrumentation-http patches modules), several of them: the same
// server measures a few % apart from one process to the next. autocannon runs in
// this (the parent) process.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
// Imported, as Modelwatch does: Node's global `performance` is a getter run on every read, a cost no recorder needs.
import { performance } from 'node:perf_hooks';
import { FOREIGN_LIMIT_ALL_CORES, cpuSnapshot, fmtMs, fmtRate, fmtRatio, isWorker, median, printNoise, printTable, processCpuMs, workerMain } from './lib/util.mjs';
import { fork } from 'node:child_process';

const require = createRequire(import.meta.url);
const SELF = fileURLToPath(import.meta.url);
/** Keeps nextTick's hidden classes alive in every server (why: the file's comment). */
const PIN_TICK_MAPS = new URL('./lib/pin-tick-maps.mjs', import.meta.url).href;
/**
 * Modelwatch's ratio to bare may sit this far below the `minimal` recorder's ratio of the same run:
 * what bounds the goal is the floor of the design (one `close` listener per response), not bare.
 */
const GOAL_BELOW_MINIMAL = 0.02;
/** Re-runs allowed per framework for measurements disturbed by other processes (bounds the suite's time). */
const MAX_RERUNS = 6;

/**
 * `no-op` adds one middleware (Express) or onRequest hook (Fastify) that does
 * nothing: the floor any instrumentation of that kind starts from. A reference,
 * not a peer.
 */
const NO_OP = 'no-op';
/**
 * `minimal` times each request from a `close` listener into a typed array, by
 * route template, and keeps an in-flight count: the least any instrumentation
 * that listens to each response does. What is between it and no-op is the cost
 * of that design, not of Modelwatch. A reference, not a peer.
 */
const MINIMAL = 'minimal';
/**
 * `bare again` is the bare server once more, in processes of its own: how far
 * apart two identical servers measure (an A/A test). Two variants whose ratios
 * differ by less than its distance from 1 cannot be told apart. A reference, not a peer.
 */
const BARE_AGAIN = 'bare again';
const REFERENCES = new Set(['bare', BARE_AGAIN, NO_OP, MINIMAL]);

export const VARIANTS = {
  express: ['bare', BARE_AGAIN, NO_OP, MINIMAL, 'modelwatch', 'express-prom-bundle', 'otel-http'],
  fastify: ['bare', BARE_AGAIN, NO_OP, MINIMAL, 'modelwatch', 'fastify-metrics', 'otel-http'],
};

/** What each instrumented variant must expose after traffic, proving it really recorded. */
const EXPECTED_METRIC = {
  modelwatch: /^http_server_request_duration_seconds_count\{.*http_route="\/".* [1-9]/m,
  'express-prom-bundle': /^http_request_duration_seconds_count\{.* [1-9]/m,
  'fastify-metrics': /^http_request_duration_seconds_count\{.* [1-9]/m,
  'otel-http': /^http_server_(request_)?duration(_\w+)?_count\{.* [1-9]/m,
};

// ---- server process ----

/**
 * What `minimal` records into: requests in flight (slot 0), then per route
 * template a request count and a duration sum.
 */
function minimalRecorder() {
  const slots = new Map();
  const totals = new Float64Array(1 + 2 * 64);
  return {
    start() {
      totals[0] += 1;
      return performance.now();
    },
    end(route, startMs) {
      totals[0] -= 1;
      let slot = slots.get(route);
      if (slot === undefined) slots.set(route, (slot = 1 + 2 * (slots.size % 64)));
      totals[slot] += 1;
      totals[slot + 1] += performance.now() - startMs;
    },
  };
}

function setupOtel() {
  const { metrics } = require('@opentelemetry/api');
  const { MeterProvider } = require('@opentelemetry/sdk-metrics');
  const { PrometheusExporter } = require('@opentelemetry/exporter-prometheus');
  const { NodeTracerProvider } = require('@opentelemetry/sdk-trace-node');
  const { registerInstrumentations } = require('@opentelemetry/instrumentation');
  const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http');
  const exporter = new PrometheusExporter({ preventServerStart: true });
  const meterProvider = new MeterProvider({ readers: [exporter] });
  metrics.setGlobalMeterProvider(meterProvider);
  const tracerProvider = new NodeTracerProvider();
  tracerProvider.register();
  // Before http/express/fastify are required, so require-in-the-middle patches them.
  registerInstrumentations({ instrumentations: [new HttpInstrumentation()], meterProvider, tracerProvider });
  return exporter;
}

export async function startServer(framework, variant) {
  const otel = variant === 'otel-http' ? setupOtel() : undefined;
  if (framework === 'express') {
    const express = require('express');
    const app = express();
    if (variant === 'modelwatch') {
      const mw = require('../dist/index.js').createModelwatch();
      app.use(mw.express());
      app.get('/metrics', mw.metricsHandler);
    } else if (variant === NO_OP) {
      app.use((req, res, next) => next());
    } else if (variant === MINIMAL) {
      const recorder = minimalRecorder();
      app.use((req, res, next) => {
        const startMs = recorder.start();
        res.on('close', () => recorder.end(req.route?.path, startMs));
        next();
      });
    } else if (variant === 'express-prom-bundle') {
      const promBundle = require('express-prom-bundle');
      app.use(promBundle({ includeMethod: true, includePath: true, includeStatusCode: true }));
    } else if (otel) {
      app.get('/metrics', (req, res) => otel.getMetricsRequestHandler(req, res));
    }
    app.get('/', (req, res) => {
      res.send('hello world');
    });
    return new Promise((resolve) => {
      const server = app.listen(0, '127.0.0.1', () => resolve(server.address().port));
    });
  }
  const fastify = require('fastify')({ logger: false });
  if (variant === 'modelwatch') {
    const mw = require('../dist/index.js').createModelwatch();
    await fastify.register(mw.fastify, { metricsPath: '/metrics' });
  } else if (variant === NO_OP) {
    fastify.addHook('onRequest', (request, reply, done) => done());
  } else if (variant === MINIMAL) {
    const recorder = minimalRecorder();
    fastify.addHook('onRequest', (request, reply, done) => {
      const route = request.routeOptions.url;
      const startMs = recorder.start();
      reply.raw.on('close', () => recorder.end(route, startMs));
      done();
    });
  } else if (variant === 'fastify-metrics') {
    await fastify.register(require('fastify-metrics').default, { endpoint: '/metrics' });
  } else if (otel) {
    fastify.get('/metrics', (req, reply) => {
      reply.hijack();
      otel.getMetricsRequestHandler(req.raw, reply.raw);
    });
  }
  fastify.get('/', (req, reply) => {
    reply.send('hello world');
  });
  await fastify.listen({ port: 0, host: '127.0.0.1' });
  return fastify.server.address().port;
}

async function serverWorker([, framework, variant]) {
  const port = await startServer(framework, variant);
  // Every variant starts measured from a collected heap, whatever its setup left behind.
  await new Promise((resolve) => setImmediate(resolve));
  globalThis.gc();
  // Stay up until the parent goes away.
  process.on('disconnect', () => process.exit(0));
  return { port };
}

// ---- parent ----

function spawnServer(framework, variant) {
  return new Promise((resolve, reject) => {
    const child = fork(SELF, ['--worker', 'server', framework, variant], { execArgv: ['--expose-gc', '--import', PIN_TICK_MAPS], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('message', (message) => (message.error ? reject(new Error(message.error)) : resolve({ child, port: message.port })));
    child.once('exit', (code) => reject(new Error(`${framework}/${variant} server exited (${code})`)));
  });
}

async function load(server, seconds) {
  const autocannon = require('autocannon');
  const cpu = cpuSnapshot();
  const serverCpu = processCpuMs(server.child.pid);
  const result = await autocannon({ url: `http://127.0.0.1:${server.port}/`, connections: 50, pipelining: 1, duration: seconds });
  return {
    rps: result.requests.total / (result.duration || seconds),
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
    foreignCpu: cpu.foreign(processCpuMs(server.child.pid) - serverCpu),
  };
}

async function verify(port, variant) {
  if (REFERENCES.has(variant)) return 'n/a';
  const response = await fetch(`http://127.0.0.1:${port}/metrics`);
  const text = await response.text();
  return EXPECTED_METRIC[variant].test(text) ? 'yes' : 'NO';
}

export async function run({ quick }) {
  const processes = quick ? 1 : 3;
  const rounds = 2;
  const seconds = quick ? 1 : 3;
  const warmSeconds = quick ? 1 : 2;
  const results = [];
  const goals = [];
  for (const [framework, variants] of Object.entries(VARIANTS)) {
    /** variant → its server processes; sample i of every variant comes from process i % processes. */
    const servers = Object.fromEntries(variants.map((v) => [v, []]));
    try {
      for (let p = 0; p < processes; p++) for (const v of variants) servers[v].push(await spawnServer(framework, v));
      const samples = Object.fromEntries(variants.map((v) => [v, []]));
      const p99 = Object.fromEntries(variants.map((v) => [v, []]));
      const errors = Object.fromEntries(variants.map((v) => [v, 0]));
      const noise = { reruns: 0, foreign: [] };
      for (let r = 0; r <= rounds; r++) {
        for (let p = 0; p < processes; p++) {
          // Round 0 warms up every server (JIT, sockets) and is not counted; later rounds rotate the order.
          for (let k = 0; k < variants.length; k++) {
            const v = variants[(k + r + p) % variants.length];
            const server = servers[v][p];
            if (r === 0) {
              await load(server, warmSeconds);
              continue;
            }
            let res = await load(server, seconds);
            // Another process took a share of the cores: this run says little, do it again (within a budget).
            if (res.foreignCpu > FOREIGN_LIMIT_ALL_CORES && noise.reruns < MAX_RERUNS) {
              noise.reruns++;
              res = await load(server, seconds);
            }
            noise.foreign.push(res.foreignCpu);
            samples[v].push(res.rps);
            p99[v].push(res.p99);
            errors[v] += res.errors;
          }
        }
      }
      const verified = {};
      for (const v of variants) {
        const checks = await Promise.all(servers[v].map((server) => verify(server.port, v)));
        verified[v] = checks.every((check) => check === checks[0]) ? checks[0] : 'NO';
      }
      const med = Object.fromEntries(variants.map((v) => [v, median(samples[v])]));
      // Ratio to bare: median of the paired ratios (each sample's bare run is adjacent in time, in the same process slot).
      const pairedRatios = Object.fromEntries(variants.map((v) => [v, samples[v].map((x, i) => x / samples.bare[i])]));
      const ratio = Object.fromEntries(variants.map((v) => [v, median(pairedRatios[v])]));
      const range = (v) => [Math.min(...pairedRatios[v]), Math.max(...pairedRatios[v])];
      const fmtRange = (v) => range(v).map((x) => x.toFixed(2)).join('–');
      printTable(
        `HTTP overhead — ${framework} 5 hello world, autocannon 50 connections, median of ${rounds} rounds × ${processes} server processes per variant × ${seconds} s (warm-up ${warmSeconds} s not counted)`,
        ['variant', 'req/s', 'min', 'max', 'vs bare', 'paired range', 'Modelwatch ÷ this', 'p99 ms', 'errors', 'recorded'],
        variants.map((v) => [
          v,
          fmtRate(med[v]),
          fmtRate(Math.min(...samples[v])),
          fmtRate(Math.max(...samples[v])),
          fmtRatio(ratio[v]),
          v === 'bare' ? '' : fmtRange(v),
          v === 'modelwatch' ? '' : fmtRatio(median(samples.modelwatch.map((x, i) => x / samples[v][i]))),
          fmtMs(median(p99[v])),
          errors[v],
          verified[v],
        ]),
      );
      printNoise(noise, FOREIGN_LIMIT_ALL_CORES);
      const peers = variants.filter((v) => v !== 'modelwatch' && !REFERENCES.has(v));
      const aheadOfPeers = peers.every((p) => med.modelwatch > med[p]);
      const floor = ratio[MINIMAL] - GOAL_BELOW_MINIMAL;
      const meetsRatio = ratio.modelwatch >= floor;
      const meets = meetsRatio && aheadOfPeers;
      // The suite's A/A spread: how far the second set of bare servers landed from bare (worst paired ratio).
      const aaSpread = Math.max(...range(BARE_AGAIN).map((x) => Math.abs(x - 1)));
      for (const v of variants) {
        const entry = { suite: 'http', name: `${framework} ${v}`, value: med[v], unit: 'req/s', peers: {}, ratioToBare: ratio[v], ratioToBareRange: range(v), aaSpread, samples: samples[v] };
        if (v === 'modelwatch') {
          entry.peers = Object.fromEntries(variants.filter((p) => p !== 'modelwatch').map((p) => [p, med[p]]));
          entry.goal = `ratio to bare ≥ ${MINIMAL}'s − ${GOAL_BELOW_MINIMAL} and ahead of ${peers.join(', ')}`;
          entry.meetsGoal = meets;
        }
        results.push(entry);
      }
      goals.push({
        goal: `${framework}: Modelwatch ≥ ${MINIMAL} − ${GOAL_BELOW_MINIMAL} (÷ bare)`,
        value: `${fmtRatio(ratio.modelwatch)} (${fmtRate(med.modelwatch)} vs ${fmtRate(med.bare)} req/s); floors: ${NO_OP} ${fmtRatio(ratio[NO_OP])}, ${MINIMAL} ${fmtRatio(ratio[MINIMAL])}; bare again ${fmtRatio(ratio[BARE_AGAIN])} (${fmtRange(BARE_AGAIN)})`,
        pass: meetsRatio,
      });
      for (const p of peers) {
        goals.push({ goal: `${framework}: Modelwatch ahead of ${p}`, value: `${fmtRate(med.modelwatch)} vs ${fmtRate(med[p])} req/s`, pass: med.modelwatch > med[p] });
      }
      if (verified.modelwatch !== 'yes') goals.push({ goal: `${framework}: Modelwatch recorded the requests`, value: 'no metrics', pass: false });
    } finally {
      for (const server of Object.values(servers).flat()) server.child.kill();
    }
  }
  return { results, goals };
}

if (isWorker(SELF)) workerMain(serverWorker, { exit: false });
