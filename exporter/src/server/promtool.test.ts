import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LATEST_GEN_AI_METRICS, METRICS } from '@modelwatch/conventions';
import { createModelwatch, type Modelwatch } from '../modelwatch';
import { parseExposition, valueOf } from '@modelwatch/testkit';
import { recordRateLimitHeaders } from '../ai/rate-limits';
import { createFailover } from '../failover';
import { closeServer, listenLoopback, send } from '../test-support/http-client';

interface PromtoolResult {
  /** 0: clean; 1: the exposition does not parse; 3: it parses but has lint problems. */
  code: number | null;
  /** One line per problem, `<metric> <problem>`. */
  problems: string[];
}

/** Pipes an exposition into `promtool check metrics` (parser plus its default lint rules). */
function promtoolCheckMetrics(exposition: string): Promise<PromtoolResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('promtool', ['check', 'metrics'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', (error: NodeJS.ErrnoException) => {
      reject(error.code === 'ENOENT' ? new Error('promtool is not on PATH: install it with `apt-get install prometheus` (the Debian package that ships promtool)') : error);
    });
    child.on('close', (code) => resolve({ code, problems: output.split('\n').filter((line) => line !== '') }));
    child.stdin.on('error', () => undefined); // promtool may exit before reading everything; its output says why
    child.stdin.end(exposition);
  });
}

/** One DB series only, so a second operation folds and `modelwatch_dropped_series_total` has a series too; attribution on, so its counters are checked too. */
const OPTIONS = { seriesCaps: { dbOperationDuration: 1 }, attribution: true, service: { name: 'checkout', version: '1.2.0' } };

/** HTTP, AI, cache and DB activity: every Modelwatch family gets at least one series. */
async function exerciseAndScrape(mw: Modelwatch, servers: Server[]): Promise<string> {
  const server = createServer(
    mw.http(
      (request, response) => {
        if (request.url === '/metrics') return mw.metricsHandler(request, response);
        response.statusCode = request.url === '/fail' ? 500 : 200;
        response.end('ok');
      },
      { routes: ['/users/:id', '/fail'] },
    ),
  );
  servers.push(server);
  const base = await listenLoopback(server);
  await send(`${base}/users/1`);
  await send(`${base}/users/2`, { method: 'POST' });
  await send(`${base}/fail`);
  await send(`${base}/nowhere`, { method: 'PURGE' });

  mw.recordAiCall({ provider: 'openai', model: 'gpt-4o-mini' }, { durationSeconds: 1.2, usage: { prompt_tokens: 100, completion_tokens: 20 } });
  mw.recordAiCall({ provider: 'anthropic', model: 'claude-sonnet-4-5' }, { durationSeconds: 0.4, errorType: 'rate_limited' });
  mw.recordAiCall({ provider: 'acme', model: 'in-house-7b' }, { durationSeconds: 0.3, timeToFirstChunkSeconds: 0.05, usage: { prompt_tokens: 10, completion_tokens: 5 } });
  mw.recordAiCall({ provider: 'openai', model: 'gpt-4o-mini' }, { durationSeconds: -1 });
  recordRateLimitHeaders(mw, { provider: 'openai', model: 'gpt-4o-mini' }, { 'x-ratelimit-limit-requests': '10000', 'x-ratelimit-remaining-requests': '9999', 'x-ratelimit-reset-requests': '6ms' });
  mw.attribute({ tenant: 'acme', feature: 'support-bot' }, () =>
    mw.recordAiCall({ provider: 'openai', model: 'gpt-4o' }, { durationSeconds: 2, responseModel: 'gpt-4o-mini', usage: { prompt_tokens: 100, completion_tokens: 20 } }),
  );

  const cache = mw.observeCache('answers');
  cache.hit(0.0004);
  cache.miss();
  cache.error();
  await cache.time('get', () => 'value');
  await mw.observeDb({ system: 'postgresql', operation: 'SELECT' }, async () => 1);
  // The DB histogram is capped at one series: this one folds into `_other` and counts a dropped series.
  await mw.observeDb({ system: 'postgresql', operation: 'INSERT' }, async () => 1);
  // A failover receiver publishes its circuits' gauges.
  createFailover(mw, { token: 'promtool-check-token-0000', routes: [{ provider: 'openai', model: 'gpt-4o', fallback: { provider: 'anthropic', model: 'claude-sonnet-4-5' } }] }).close();

  return (await send(`${base}/metrics`)).text;
}

describe('promtool check metrics', () => {
  const servers: Server[] = [];
  let withDefaults: string;
  let ownMetricsOnly: string;
  /** The GenAI semconv v0.1 names instead of the legacy ones, and both side by side. */
  let latestNames: string;
  let bothNames: string;

  beforeAll(async () => {
    withDefaults = await exerciseAndScrape(createModelwatch({ ...OPTIONS, defaultMetrics: true }), servers);
    ownMetricsOnly = await exerciseAndScrape(createModelwatch({ ...OPTIONS, defaultMetrics: false }), servers);
    latestNames = await exerciseAndScrape(createModelwatch({ ...OPTIONS, defaultMetrics: false, semconv: 'latest' }), servers);
    bothNames = await exerciseAndScrape(createModelwatch({ ...OPTIONS, defaultMetrics: false, semconv: 'both' }), servers);
  });

  afterAll(async () => {
    await Promise.all(servers.map(closeServer));
  });

  it('checks an exposition that holds HTTP, AI, cache, DB and runtime families', () => {
    const { samples, types } = parseExposition(withDefaults);
    expect(valueOf(samples, 'http_server_request_duration_seconds_count', { http_route: '/users/:id', http_request_method: 'GET' })).toBe(1);
    expect(valueOf(samples, 'gen_ai_client_operation_duration_seconds_count', { gen_ai_provider_name: 'openai', gen_ai_request_model: 'gpt-4o-mini' })).toBe(1);
    expect(valueOf(samples, 'modelwatch_gen_ai_tokens_total', { gen_ai_request_model: 'gpt-4o-mini', gen_ai_token_type: 'input' })).toBe(100);
    expect(valueOf(samples, 'modelwatch_cache_requests_total', { cache_name: 'answers', cache_result: 'hit' })).toBe(1);
    expect(valueOf(samples, 'db_client_operation_duration_seconds_count', { db_system_name: 'postgresql', db_operation_name: 'SELECT' })).toBe(1);
    expect(valueOf(samples, 'modelwatch_instrumentation_errors_total', { reason: 'invalid_duration' })).toBe(1);
    expect(valueOf(samples, 'modelwatch_dropped_series_total', { metric_name: 'db_client_operation_duration_seconds' })).toBe(1);
    // Every metric of the contract is in the checked exposition (the cluster one only a cluster primary writes).
    const singleProcess = Object.values(METRICS).filter((m) => m !== METRICS.clusterWorkers);
    expect(singleProcess.map((m) => m.name).filter((name) => !types.has(name))).toEqual([]);
    for (const runtime of ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_p99_seconds', 'nodejs_gc_duration_seconds']) {
      expect(types.has(runtime)).toBe(true);
    }
  });

  it('finds no problem at all in Modelwatch’s own metrics', async () => {
    expect(await promtoolCheckMetrics(ownMetricsOnly)).toEqual({ code: 0, problems: [] });
  });

  it('finds no problem in the whole exposition, default runtime metrics included', async () => {
    expect(await promtoolCheckMetrics(withDefaults)).toEqual({ code: 0, problems: [] });
  });

  it('finds no problem with the GenAI semconv v0.1 names, alone or beside the legacy ones', async () => {
    const latest = Object.values(LATEST_GEN_AI_METRICS).map((m) => m.name);
    expect(latest.filter((name) => !parseExposition(latestNames).types.has(name))).toEqual([]);
    expect(latest.filter((name) => !parseExposition(bothNames).types.has(name))).toEqual([]);
    expect(parseExposition(latestNames).types.has(METRICS.genAiTokenUsage.name)).toBe(false);
    expect(await promtoolCheckMetrics(latestNames)).toEqual({ code: 0, problems: [] });
    expect(await promtoolCheckMetrics(bothNames)).toEqual({ code: 0, problems: [] });
  });
});
