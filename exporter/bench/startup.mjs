// Suite — cost of adoption at startup: the time to import @modelwatch/exporter, and a
// hello-world Express 5 and Fastify 5 app's time from process start to its first answered
// request and its RSS then, bare and with Modelwatch (middleware or plugin, /metrics). The
// price table loads at the first priced AI call, so that call's time and RSS are reported too.
// Every figure comes from a fresh process (a second import in one process costs nothing);
// medians over rounds, bare and instrumented interleaved.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { fmtBytes, fmtMs, isWorker, median, printTable, runWorker, workerMain } from './lib/util.mjs';

const require = createRequire(import.meta.url);
const SELF = fileURLToPath(import.meta.url);

/** A hello-world app on a free loopback port; `modelwatch` adds the middleware (or plugin) and /metrics. */
async function listen(framework, modelwatch) {
  const mw = modelwatch ? require('../dist/index.js').createModelwatch() : undefined;
  if (framework === 'express') {
    const express = require('express');
    const app = express();
    if (mw) {
      app.use(mw.express());
      app.get('/metrics', mw.metricsHandler);
    }
    app.get('/users/:id', (req, res) => res.json({ id: req.params.id }));
    const server = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    return { port: server.address().port, close: () => server.close() };
  }
  const Fastify = require('fastify');
  const app = Fastify();
  if (mw) await app.register(mw.fastify, { metricsPath: '/metrics' });
  app.get('/users/:id', async (request) => ({ id: request.params.id }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { port: app.server.address().port, close: () => app.close() };
}

const WORKERS = {
  /** Milliseconds to import the library, and the RSS it adds to an empty process. */
  async import() {
    const rssBefore = process.memoryUsage().rss;
    const started = performance.now();
    require('../dist/index.js');
    return { ms: performance.now() - started, rss: process.memoryUsage().rss, rssAdded: process.memoryUsage().rss - rssBefore };
  },
  /** From process start (`performance.now()` counts from it) to the first answered request. */
  async app(framework, variant) {
    const app = await listen(framework, variant === 'modelwatch');
    const response = await fetch(`http://127.0.0.1:${app.port}/users/1`);
    await response.text();
    const ms = performance.now();
    const rss = process.memoryUsage().rss;
    await app.close();
    return { ms, rss };
  },
  /** The first priced AI call of a process (the one that loads the price table), and the RSS it adds. */
  async priced() {
    const { createModelwatch } = require('../dist/index.js');
    const mw = createModelwatch({ defaultMetrics: false });
    const rssBefore = process.memoryUsage().rss;
    const started = performance.now();
    mw.recordAiCall({ provider: 'openai', model: 'gpt-4o-mini' }, { durationSeconds: 1, usage: { prompt_tokens: 100, completion_tokens: 20 } });
    const ms = performance.now() - started;
    const samples = (await mw.metrics()).split('\n');
    if (!samples.some((line) => line.startsWith('modelwatch_gen_ai_cost_usd_total{'))) throw new Error('the call was not priced');
    return { ms, rssAdded: process.memoryUsage().rss - rssBefore };
  },
};

if (isWorker(SELF)) {
  await workerMain(([mode, ...args]) => WORKERS[mode](...args));
}

const APPS = [
  ['express', 'bare'],
  ['express', 'modelwatch'],
  ['fastify', 'bare'],
  ['fastify', 'modelwatch'],
];

export async function run({ quick }) {
  const rounds = quick ? 3 : 7;
  const samples = { import: [], priced: [], ...Object.fromEntries(APPS.map(([f, v]) => [`${f} ${v}`, []])) };
  for (let round = 0; round < rounds; round++) {
    samples.import.push(await runWorker(SELF, ['import']));
    samples.priced.push(await runWorker(SELF, ['priced']));
    // Rotated per round, so drift of the machine hits every variant alike.
    for (let i = 0; i < APPS.length; i++) {
      const [framework, variant] = APPS[(i + round) % APPS.length];
      samples[`${framework} ${variant}`].push(await runWorker(SELF, ['app', framework, variant]));
    }
  }
  const med = (key, field) => median(samples[key].map((s) => s[field]));

  const importMs = med('import', 'ms');
  const importRss = med('import', 'rssAdded');
  const pricedMs = med('priced', 'ms');
  const pricedRss = med('priced', 'rssAdded');
  printTable(`Startup (median of ${rounds} fresh processes)`, ['', 'ms', 'RSS', 'added by Modelwatch'], [
    ['import @modelwatch/exporter', fmtMs(importMs), '', `${fmtMs(importMs)} ms, ${fmtBytes(importRss)}`],
    ...['express', 'fastify'].flatMap((framework) => {
      const bare = [med(`${framework} bare`, 'ms'), med(`${framework} bare`, 'rss')];
      const instrumented = [med(`${framework} modelwatch`, 'ms'), med(`${framework} modelwatch`, 'rss')];
      const name = framework === 'express' ? 'Express 5' : 'Fastify 5';
      return [
        [`${name} bare: first request answered`, fmtMs(bare[0]), fmtBytes(bare[1]), ''],
        [`${name} + Modelwatch: first request answered`, fmtMs(instrumented[0]), fmtBytes(instrumented[1]), `${fmtMs(instrumented[0] - bare[0])} ms, ${fmtBytes(instrumented[1] - bare[1])}`],
      ];
    }),
    ['first priced AI call (loads the price table)', fmtMs(pricedMs), '', `${fmtMs(pricedMs)} ms, ${fmtBytes(pricedRss)}`],
  ]);

  const base = { suite: 'startup' };
  const appResult = (framework) => {
    const name = framework === 'express' ? 'Express 5' : 'Fastify 5';
    return [
      { ...base, name: `${name} + Modelwatch: process start to first answered request`, value: med(`${framework} modelwatch`, 'ms'), unit: 'ms', peers: { bare: med(`${framework} bare`, 'ms') } },
      { ...base, name: `${name} + Modelwatch: RSS after the first request`, value: med(`${framework} modelwatch`, 'rss'), unit: 'bytes', peers: { bare: med(`${framework} bare`, 'rss') } },
    ];
  };
  return {
    results: [
      { ...base, name: 'import @modelwatch/exporter', value: importMs, unit: 'ms', peers: {} },
      { ...base, name: 'RSS added by importing @modelwatch/exporter', value: importRss, unit: 'bytes', peers: {} },
      ...appResult('express'),
      ...appResult('fastify'),
      { ...base, name: 'first priced AI call (loads the price table)', value: pricedMs, unit: 'ms', peers: {} },
      { ...base, name: 'RSS added by the first priced AI call', value: pricedRss, unit: 'bytes', peers: {} },
    ],
    goals: [],
    info:
      `import ${fmtMs(importMs)} ms (+${fmtBytes(importRss)}); first request Express ${fmtMs(med('express modelwatch', 'ms'))} ms vs ${fmtMs(med('express bare', 'ms'))} bare, ` +
      `Fastify ${fmtMs(med('fastify modelwatch', 'ms'))} vs ${fmtMs(med('fastify bare', 'ms'))}; first priced call ${fmtMs(pricedMs)} ms (+${fmtBytes(pricedRss)})`,
  };
}
