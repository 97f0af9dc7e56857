import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { EXAMPLE_LANGUAGES } from '../src/test-support/example-languages';
import { histogramOf, parseExposition, select, valueOf, type Sample } from '@modelwatch/testkit';
import { send } from '../src/test-support/http-client';

// Each README example runs as a user would run it (importing the built package), as TypeScript and as
// plain JavaScript, and is scraped for real.
const examplesDir = fileURLToPath(new URL('.', import.meta.url));
const running: ChildProcess[] = [];

afterEach(() => {
  for (const child of running.splice(0)) child.kill('SIGKILL');
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

let lastOutput = '';

async function start(nodeArgs: string[], env: Record<string, string> = {}, port?: number): Promise<string> {
  port ??= await freePort();
  const file = nodeArgs.at(-1);
  const child = spawn(process.execPath, nodeArgs, { cwd: examplesDir, env: { ...process.env, ...env, PORT: String(port) }, stdio: 'pipe' });
  running.push(child);
  let output = '';
  child.stdout?.on('data', (d) => (output += d, lastOutput = output));
  child.stderr?.on('data', (d) => (output += d));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      await fetch(`${base}/`);
      return base;
    } catch {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`${file} did not start:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

async function scrape(url: string, headers: Record<string, string> = {}): Promise<Sample[]> {
  const response = await fetch(url, { headers });
  expect(response.status).toBe(200);
  return parseExposition(await response.text()).samples;
}

const HTTP = 'http_server_request_duration_seconds';

describe.each(EXAMPLE_LANGUAGES)('README examples as $language', ({ nodeArgs }) => {
  const runExample = (file: string, env?: Record<string, string>) => start(nodeArgs(file), env);

  it.each(['express.ts', 'fastify.ts', 'node-http.ts'])('%s records the route template of each request', async (file) => {
    const base = await runExample(file);
    for (const id of ['1', '2', '3']) expect((await fetch(`${base}/users/${id}`)).status).toBe(200);
    const samples = await scrape(`${base}/metrics`);
    expect(histogramOf(samples, HTTP, { http_route: '/users/:id', http_request_method: 'GET', http_response_status_code: '200' }).count).toBe(3);
    expect(select(samples, 'process_cpu_seconds_total')).toHaveLength(1);
  });

  it('fastify.ts leaves the opted-out route out', async () => {
    const base = await runExample('fastify.ts');
    await fetch(`${base}/internal/ping`);
    expect(select(await scrape(`${base}/metrics`), `${HTTP}_count`, { http_route: '/internal/ping' })).toEqual([]);
  });

  it('ai-calls.ts records calls, tokens, cost, cache and DB', async () => {
    const base = await runExample('ai-calls.ts');
    const samples = await scrape(`${base}/metrics`);
    const fineTune = { gen_ai_request_model: 'ft:gpt-4o-mini:acme:support:7' };
    // callModel('hello'), then the cache miss for 'faq'; the second 'faq' is a cache hit.
    expect(histogramOf(samples, 'gen_ai_client_operation_duration_seconds', { ...fineTune, error_type: '' }).count).toBe(2);
    // 2 × (20 uncached × 0.3 + 100 cached × 0.15 + 30 output × 1.2) per million
    expect(valueOf(samples, 'modelwatch_gen_ai_cost_usd_total', fineTune)).toBeCloseTo(0.000114, 12);
    expect(histogramOf(samples, 'gen_ai_client_operation_time_to_first_chunk_seconds', { gen_ai_request_model: 'claude-haiku-4-5' }).count).toBe(1);
    expect(valueOf(samples, 'modelwatch_gen_ai_tokens_total', { gen_ai_request_model: 'gemini-2.5-flash', gen_ai_token_type: 'reasoning' })).toBe(5);
    expect(valueOf(samples, 'modelwatch_cache_requests_total', { cache_name: 'answers', cache_result: 'hit' })).toBe(1);
    expect(valueOf(samples, 'modelwatch_cache_saved_cost_usd_total', { cache_name: 'answers' })).toBeCloseTo(0.000084, 12);
    expect(histogramOf(samples, 'db_client_operation_duration_seconds', { db_system_name: 'sqlite' }).count).toBe(1);
  });

  it('attribution.ts books spend by tenant and feature', async () => {
    const base = await runExample('attribution.ts');
    for (const tenant of ['acme', 'acme', 'initech']) {
      expect((await fetch(`${base}/support/answer`, { method: 'POST', headers: { 'x-tenant-id': tenant } })).status).toBe(200);
    }
    const samples = await scrape(`${base}/metrics`);
    // Each call: 1000 input tokens × $0.15 + 200 output tokens × $0.60 per million.
    const spend = (tenant: string, feature: string) => valueOf(samples, 'modelwatch_gen_ai_attributed_cost_usd_total', { tenant, feature });
    expect(spend('acme', 'support-bot')).toBeCloseTo(2 * 0.00027, 12);
    expect(spend('initech', 'support-bot')).toBeCloseTo(0.00027, 12);
    expect(spend('globex', 'digest')).toBeCloseTo(0.00027, 12);
    expect(valueOf(samples, 'modelwatch_gen_ai_attributed_tokens_total', { tenant: 'acme', feature: 'support-bot', gen_ai_token_type: 'output' })).toBe(400);
  });

  it('cluster.ts serves one /metrics summing both workers', async () => {
    const metricsPort = await freePort();
    const base = await runExample('cluster.ts', { METRICS_PORT: String(metricsPort) });
    const pids = new Set<number>();
    // A fresh connection per request, so the primary's round-robin spreads them over the workers; it only hands
    // connections to workers already listening, so requests go on until both have answered (the second may start later).
    let sent = 0;
    const deadline = Date.now() + 20_000;
    while (pids.size < 2 || sent < 20) {
      if (Date.now() > deadline) throw new Error(`only workers ${[...pids].join(', ')} answered ${sent} requests`);
      pids.add((JSON.parse((await send(`${base}/users/${sent}`)).text) as { worker: number }).worker);
      sent++;
    }
    expect(pids.size).toBe(2);
    const samples = await scrape(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(histogramOf(samples, HTTP, { http_route: '/users/:id' }).count).toBe(sent);
    expect(valueOf(samples, 'modelwatch_cluster_workers', { state: 'answered' })).toBe(2);
  });

  it('winston.ts logs AI calls and requests as JSON with secrets masked', async () => {
    const base = await runExample('winston.ts');
    const response = await send(`${base}/answers/billing?api_key=s3cret`, { headers: { Authorization: 'Bearer sk-proj-abcdefghijklmnop' } });
    expect(response.status).toBe(200);
    // The access log line is written when the response closes, possibly after the client has its answer.
    const logged = () => lastOutput.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    const deadline = Date.now() + 5_000;
    while (!logged().some((l) => l.message === 'http request' && l['http.route'] === '/answers/:topic') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    const lines = logged();
    expect(lines.find((l) => l.message === 'ai call')).toMatchObject({ 'gen_ai.request.model': 'gpt-4o-mini', tokens_input: 120 });
    expect(lines.find((l) => l.message === 'answered')).toMatchObject({ authorization: '[REDACTED]' });
    expect(lines.find((l) => l.message === 'http request' && l['http.route'] === '/answers/:topic')).toMatchObject({ 'http.response.status_code': 200 });
    expect(lastOutput).not.toContain('s3cret');
    expect(lastOutput).not.toContain('abcdefghijklmnop');
  });

  it('secured-metrics.ts refuses to start without METRICS_TOKEN instead of falling back to a known token', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, nodeArgs('secured-metrics.ts'), { cwd: examplesDir, env: { ...process.env, METRICS_TOKEN: '', PORT: String(port) }, stdio: 'pipe' });
    running.push(child);
    let output = '';
    child.stderr?.on('data', (d) => (output += d));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).not.toBe(0);
    expect(output).toContain('Set METRICS_TOKEN to the bearer token scrapers must send');
    await expect(fetch(`http://127.0.0.1:${port}/metrics`, { headers: { Authorization: 'Bearer change-me' } })).rejects.toThrow();
  });

  it('secured-metrics.ts refuses scrapes without the token', async () => {
    const base = await runExample('secured-metrics.ts', { METRICS_TOKEN: 'test-token' });
    expect((await fetch(`${base}/metrics`)).status).toBe(401);
    const samples = await scrape(`${base}/metrics`, { Authorization: 'Bearer test-token' });
    expect(valueOf(samples, 'modelwatch_process_memory_limit_bytes')).toBe(512 * 1024 * 1024);
  });
});
