import { execFileSync } from 'node:child_process';
import cluster, { type Worker } from 'node:cluster';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Modelwatch } from '../modelwatch';
import type { MetricsServer } from '../server/metrics-server';
import { command, killWorker, nextMessage, type FixtureMessage } from '../test-support/cluster-workers';
import { parseExposition, type PrometheusInstance, type Sample, startPrometheus, waitFor } from '@modelwatch/testkit';
import { clusterMetrics, type ClusterAggregator } from './index';

/*
 * Real node:cluster workers (__fixtures__/worker.mjs, running the built package)
 * answering a real aggregator in this process, which is the cluster primary.
 * The tests run in order and share the cluster: A and B start, B hangs, B is
 * killed and C replaces it.
 */

const exporterDir = join(__dirname, '..', '..');
const fixture = join(__dirname, '__fixtures__', 'worker.mjs');
const MEMORY_LIMIT = 512 * 1024 * 1024;
const TIMEOUT_MS = 1000;
const TRACE = { a: 'a'.repeat(32), b: 'b'.repeat(32), c: 'c'.repeat(32) };
const SPAN = '1'.repeat(16);

async function forkWorker(): Promise<{ worker: Worker; listening: FixtureMessage }> {
  const worker = cluster.fork({ MEMORY_LIMIT_BYTES: String(MEMORY_LIMIT) });
  // The worker announces itself to the aggregator before it starts listening, over the same ordered channel.
  const listening = await nextMessage(worker, (m) => m.fixture === 'listening');
  return { worker, listening };
}

function aiCalls(worker: Worker, calls: number, traceId: string): Promise<FixtureMessage> {
  return command(worker, { fixture: 'ai', calls, traceId, spanId: SPAN });
}

async function scrape(url: string, accept?: string): Promise<{ samples: Sample[]; text: string }> {
  const response = await fetch(url, accept ? { headers: { accept } } : {});
  const text = await response.text();
  expect(response.status).toBe(200);
  return { samples: parseExposition(text).samples, text };
}

function value(samples: readonly Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  const found = samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  expect(found.length, `${name} ${JSON.stringify(labels)} matches ${found.length} samples`).toBeLessThanOrEqual(1);
  return found[0]?.value;
}

const AI = { gen_ai_provider_name: 'openai', gen_ai_request_model: 'gpt-4o-mini' };

describe('cluster mode with real node:cluster workers', () => {
  let aggregator: ClusterAggregator;
  let server: MetricsServer;
  let workerA: Worker;
  let workerB: Worker;
  let sharedPort: number;
  let primaryErrorInWorker: string | undefined;
  const baseline = { message: 0, exit: 0 };

  beforeAll(() => {
    // The workers run plain Node on the built package.
    try {
      execFileSync('npx', ['tsc', '-b'], { cwd: exporterDir, stdio: 'pipe', encoding: 'utf8' });
    } catch (error) {
      const { stdout, stderr } = error as { stdout?: string; stderr?: string };
      throw new Error(`tsc -b failed, cannot build the package the cluster workers run:\n${stdout ?? ''}${stderr ?? ''}`);
    }
    baseline.message = cluster.listenerCount('message');
    baseline.exit = cluster.listenerCount('exit');
    cluster.setupPrimary({ exec: fixture, execArgv: [] });
  }, 120_000);

  beforeAll(async () => {
    aggregator = clusterMetrics.primary({ timeoutMs: TIMEOUT_MS });
    server = await aggregator.startMetricsServer({ port: 0, host: '127.0.0.1' });
    const [a, b] = await Promise.all([forkWorker(), forkWorker()]);
    workerA = a.worker;
    workerB = b.worker;
    sharedPort = a.listening.port!;
    primaryErrorInWorker = a.listening.primaryError;
    expect(b.listening.port).toBe(sharedPort);
  });

  afterAll(async () => {
    await aggregator?.close();
    await Promise.all(Object.values(cluster.workers ?? {}).flatMap((worker) => (worker ? [killWorker(worker)] : [])));
  });

  it('serves the exact sum of both workers; the memory limit is not summed', async () => {
    await aiCalls(workerA, 3, TRACE.a);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await aiCalls(workerB, 3, TRACE.b);
    // Ten requests on the port both workers share; the primary spreads them, the sum is what counts.
    for (let i = 0; i < 10; i++) await (await fetch(`http://127.0.0.1:${sharedPort}/work`)).text();

    const { samples } = await scrape(server.url);
    expect(value(samples, 'modelwatch_gen_ai_tokens_total', { ...AI, gen_ai_token_type: 'input' })).toBe(600);
    expect(value(samples, 'modelwatch_gen_ai_tokens_total', { ...AI, gen_ai_token_type: 'output' })).toBe(120);
    expect(value(samples, 'gen_ai_client_operation_duration_seconds_count', AI)).toBe(6);
    expect(value(samples, 'gen_ai_client_operation_duration_seconds_sum', AI)).toBe(3);
    expect(value(samples, 'gen_ai_client_operation_duration_seconds_bucket', { ...AI, le: '0.32' })).toBe(0);
    expect(value(samples, 'gen_ai_client_operation_duration_seconds_bucket', { ...AI, le: '0.64' })).toBe(6);
    expect(value(samples, 'gen_ai_client_operation_duration_seconds_bucket', { ...AI, le: '+Inf' })).toBe(6);
    expect(value(samples, 'gen_ai_client_token_usage_count', { ...AI, gen_ai_token_type: 'input' })).toBe(6);
    expect(value(samples, 'http_server_request_duration_seconds_count', { http_route: '/work', http_request_method: 'GET', http_response_status_code: '200' })).toBe(10);
    expect(value(samples, 'http_server_active_requests')).toBe(0);
    expect(value(samples, 'modelwatch_process_memory_limit_bytes')).toBe(MEMORY_LIMIT);
    expect(value(samples, 'modelwatch_cluster_workers', { state: 'answered' })).toBe(2);
    expect(value(samples, 'modelwatch_cluster_workers', { state: 'timed_out' })).toBe(0);
    // prom-client's own aggregators for its default metrics: start time omitted, version once.
    expect(value(samples, 'process_start_time_seconds')).toBeUndefined();
    expect(value(samples, 'nodejs_version_info')).toBe(1);
    expect(value(samples, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
  });

  it('keeps the newest exemplar across workers in OpenMetrics, none in the text format', async () => {
    const openMetrics = await scrape(server.url, 'application/openmetrics-text; version=1.0.0');
    const bucket = openMetrics.samples.find((s) => s.name === 'gen_ai_client_operation_duration_seconds_bucket' && s.labels.le === '0.64');
    expect(bucket?.exemplar?.labels).toEqual({ trace_id: TRACE.b, span_id: SPAN });
    expect(openMetrics.text.endsWith('# EOF\n')).toBe(true);
    const text = await scrape(server.url);
    expect(text.text).not.toContain('trace_id');
  });

  it('is parseable by a real Prometheus, which stores the summed values and the exemplars', async () => {
    let prometheus: PrometheusInstance | undefined;
    try {
      prometheus = await startPrometheus({ targets: [new URL(server.url).host], jobName: 'cluster' });
      const instance = prometheus;
      await waitFor(async () => (await instance.queryValue('modelwatch_gen_ai_tokens_total{gen_ai_token_type="input"}')) === 600, 20_000, { description: 'summed tokens scraped' });
      const [target] = await instance.targets();
      expect(target).toMatchObject({ health: 'up', lastError: '' });
      const now = Date.now() / 1000;
      const exemplars = await instance.queryExemplars('gen_ai_client_operation_duration_seconds_bucket', now - 300, now + 60);
      expect(exemplars.flatMap((series) => series.exemplars.map((e) => e.labels.trace_id))).toContain(TRACE.b);
    } finally {
      await prometheus?.stop();
    }
  });

  it('leaves a hung worker out after the timeout instead of blocking the scrape, still counting its totals', async () => {
    const hang = command(workerB, { fixture: 'hang', ms: 4 * TIMEOUT_MS });
    // The scrape answers while worker B is still hung, not after it recovers.
    const first = await Promise.race([scrape(server.url), hang.then(() => 'the hung worker recovered first' as const)]);
    if (typeof first === 'string') throw new Error(first);
    const { samples } = first;
    expect(value(samples, 'modelwatch_cluster_workers', { state: 'answered' })).toBe(1);
    expect(value(samples, 'modelwatch_cluster_workers', { state: 'timed_out' })).toBe(1);
    // Counters must not dip (Prometheus would read a reset): B's last answer still counts.
    expect(value(samples, 'modelwatch_gen_ai_tokens_total', { ...AI, gen_ai_token_type: 'input' })).toBe(600);
    expect(value(samples, 'http_server_request_duration_seconds_count', { http_route: '/work' })).toBe(10);
    expect(value(samples, 'modelwatch_process_memory_limit_bytes')).toBe(MEMORY_LIMIT);
    await hang;
    const after = await scrape(server.url);
    expect(value(after.samples, 'modelwatch_cluster_workers', { state: 'answered' })).toBe(2);
    expect(value(after.samples, 'modelwatch_cluster_workers', { state: 'timed_out' })).toBe(0);
  });

  it('keeps counters monotonic when a worker crashes and a new one replaces it', async () => {
    await killWorker(workerB);
    const { worker: workerC } = await forkWorker();
    await aiCalls(workerC, 3, TRACE.c);
    const { samples } = await scrape(server.url);
    // The dead worker is not waited for: no worker timed out.
    expect(value(samples, 'modelwatch_cluster_workers', { state: 'timed_out' })).toBe(0);
    expect(value(samples, 'modelwatch_gen_ai_tokens_total', { ...AI, gen_ai_token_type: 'input' })).toBe(900);
    expect(value(samples, 'gen_ai_client_operation_duration_seconds_count', AI)).toBe(9);
    expect(value(samples, 'http_server_request_duration_seconds_count', { http_route: '/work' })).toBe(10);
    expect(value(samples, 'modelwatch_process_memory_limit_bytes')).toBe(MEMORY_LIMIT);
    expect(value(samples, 'modelwatch_cluster_workers', { state: 'answered' })).toBe(2);
  });

  it('finds workers that attached before the aggregator was created', async () => {
    const late = clusterMetrics.primary({ timeoutMs: 5000 });
    try {
      const text = await waitFor(
        async () => {
          const exposition = await late.metrics();
          return exposition.includes('modelwatch_cluster_workers{state="answered"} 2') ? exposition : undefined;
        },
        5000,
        { description: 'late aggregator sees both workers' },
      );
      expect(value(parseExposition(text).samples, 'gen_ai_client_operation_duration_seconds_count', AI)).toBe(6);
    } finally {
      await late.close();
    }
  });

  it('protects and compresses the endpoint like the single-process handler; close() stops its server', async () => {
    const secured = clusterMetrics.primary({ timeoutMs: TIMEOUT_MS, metricsEndpoint: { auth: { bearerToken: 'scrape-secret' } } });
    const securedServer = await secured.startMetricsServer({ port: 0, host: '127.0.0.1' });
    try {
      const refused = await fetch(securedServer.url);
      expect(refused.status).toBe(401);
      expect(refused.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
      const accepted = await fetch(securedServer.url, {
        headers: { authorization: 'Bearer scrape-secret', accept: 'application/openmetrics-text; version=1.0.0', 'accept-encoding': 'gzip' },
      });
      expect(accepted.status).toBe(200);
      expect(accepted.headers.get('content-type')).toBe('application/openmetrics-text; version=1.0.0; charset=utf-8');
      expect(accepted.headers.get('content-encoding')).toBe('gzip');
      expect((await accepted.text()).endsWith('# EOF\n')).toBe(true);
    } finally {
      await secured.close();
    }
    await expect(fetch(securedServer.url)).rejects.toThrow();
    await expect(secured.metrics()).rejects.toThrow('clusterMetrics: the aggregator is closed');
  });

  it('adds one message and one exit listener per aggregator and removes them on close', async () => {
    expect(cluster.listenerCount('message')).toBe(baseline.message + 1);
    expect(cluster.listenerCount('exit')).toBe(baseline.exit + 1);
    for (let i = 0; i < 5; i++) await scrape(server.url);
    expect(cluster.listenerCount('message')).toBe(baseline.message + 1);
    for (const worker of Object.values(cluster.workers ?? {})) expect(worker!.listenerCount('message')).toBeLessThanOrEqual(1);
    const extra = clusterMetrics.primary();
    await extra.close();
    expect(cluster.listenerCount('message')).toBe(baseline.message + 1);
    expect(cluster.listenerCount('exit')).toBe(baseline.exit + 1);
  });

  it('refuses the wrong role with a message naming the right call', () => {
    expect(primaryErrorInWorker).toMatch(/must run in the node:cluster primary .* call clusterMetrics\.worker\(mw\) in the workers/);
    expect(() => clusterMetrics.worker({ instruments: undefined } as unknown as Modelwatch)).toThrow(/must run in a node:cluster worker/);
    expect(() => clusterMetrics.primary({ timeoutMs: 0 })).toThrow('clusterMetrics.primary: option "timeoutMs" must be a finite number > 0, got number 0');
  });
});
