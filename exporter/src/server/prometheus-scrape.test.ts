import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, SpanKind, trace, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { AlwaysOnSampler, BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModelwatch, type Modelwatch } from '../modelwatch';
import { startPrometheus, waitFor, type PrometheusInstance } from '@modelwatch/testkit';

/*
 * End to end against a real Prometheus (2.42, exemplar storage on): it scrapes
 * a Modelwatch app whose exemplars come from a real OpenTelemetry tracer, with
 * its own Accept header (OpenMetrics preferred). Exact values, exemplar trace
 * ids and a clean scrape prove the exposition is what Prometheus understands.
 */

const REQUESTS = 5;
const INPUT_TOKENS = 100;
const OUTPUT_TOKENS = 20;
const AI = { provider: 'openai', model: 'gpt-4o-mini' } as const;

interface RequestTrace {
  traceId: string;
  serverSpanId: string;
  aiSpanId: string;
}

describe('a real Prometheus scraping Modelwatch', () => {
  const spans = new InMemorySpanExporter();
  const contextManager = new AsyncLocalStorageContextManager();
  let tracer: Tracer;
  let mw: Modelwatch;
  let server: Server;
  let prometheus: PrometheusInstance;
  const traces: RequestTrace[] = [];
  const startedAt = Date.now() / 1000;

  beforeAll(async () => {
    context.setGlobalContextManager(contextManager.enable());
    const provider = new BasicTracerProvider({ sampler: new AlwaysOnSampler(), spanProcessors: [new SimpleSpanProcessor(spans)] });
    trace.setGlobalTracerProvider(provider);
    tracer = trace.getTracer('modelwatch-prometheus-e2e');

    // Default `exemplars: true`: the active OpenTelemetry span is read on every sample.
    mw = createModelwatch({ memoryLimitBytes: 1024 ** 3 });
    const app = mw.http(
      async (request, response) => {
        if (request.url === '/metrics') return mw.metricsHandler(request, response);
        // Modelwatch's own GenAI client span is the active span inside the call.
        let aiSpanId = '';
        await mw.observeAiCall(AI, async () => {
          aiSpanId = trace.getActiveSpan()!.spanContext().spanId;
          await new Promise((resolve) => setTimeout(resolve, 20));
          return { usage: { prompt_tokens: INPUT_TOKENS, completion_tokens: OUTPUT_TOKENS, total_tokens: INPUT_TOKENS + OUTPUT_TOKENS } };
        });
        response.writeHead(200, { 'Content-Type': 'text/plain', 'x-ai-span-id': aiSpanId }).end('ok\n');
      },
      { routes: ['/chat'] },
    );
    // What @opentelemetry/instrumentation-http does: a server span active around the whole listener.
    server = createServer((request, response) => {
      tracer.startActiveSpan(`${request.method} ${request.url}`, { kind: SpanKind.SERVER }, (span) => {
        response.setHeader('x-trace-id', span.spanContext().traceId);
        response.setHeader('x-span-id', span.spanContext().spanId);
        response.once('close', () => span.end());
        app(request, response);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;

    prometheus = await startPrometheus({ targets: [`127.0.0.1:${port}`], jobName: 'modelwatch-e2e' });

    for (let i = 0; i < REQUESTS; i++) {
      const response = await fetch(`http://127.0.0.1:${port}/chat`, { method: 'POST' });
      await response.text();
      expect(response.status).toBe(200);
      traces.push({ traceId: response.headers.get('x-trace-id')!, serverSpanId: response.headers.get('x-span-id')!, aiSpanId: response.headers.get('x-ai-span-id')! });
    }
  });

  afterAll(async () => {
    await prometheus?.stop();
    await new Promise((resolve) => server?.close(resolve));
    trace.disable();
    context.disable();
  });

  it('stores the exact counter and histogram values', async () => {
    const input = `modelwatch_gen_ai_tokens_total{job="modelwatch-e2e",gen_ai_token_type="input"}`;
    await waitFor(async () => (await prometheus.queryValue(`http_server_request_duration_seconds_count{http_route="/chat"}`)) === REQUESTS, 20_000, {
      description: 'all requests scraped',
    });
    await waitFor(async () => (await prometheus.queryValue(input)) === REQUESTS * INPUT_TOKENS, 10_000, { description: 'input tokens scraped' });
    expect(await prometheus.queryValue(input)).toBe(REQUESTS * INPUT_TOKENS);
    expect(await prometheus.queryValue(`modelwatch_gen_ai_tokens_total{gen_ai_token_type="output"}`)).toBe(REQUESTS * OUTPUT_TOKENS);
    expect(await prometheus.queryValue(`gen_ai_client_operation_duration_seconds_count{gen_ai_provider_name="openai",gen_ai_request_model="gpt-4o-mini",error_type=""}`)).toBe(REQUESTS);
    expect(await prometheus.queryValue(`gen_ai_client_operation_duration_seconds_bucket{le="+Inf"}`)).toBe(REQUESTS);
    expect(await prometheus.queryValue(`gen_ai_client_token_usage_sum{gen_ai_token_type="input"}`)).toBe(REQUESTS * INPUT_TOKENS);
    expect(await prometheus.queryValue(`http_server_request_duration_seconds_count{http_request_method="POST",http_route="/chat",http_response_status_code="200"}`)).toBe(REQUESTS);
    // Scrapes of /metrics are not recorded as traffic.
    expect(await prometheus.query(`http_server_request_duration_seconds_count{http_route!="/chat"}`)).toEqual([]);
    expect(await prometheus.queryValue('modelwatch_process_memory_limit_bytes')).toBe(1024 ** 3);
  });

  it('stores exemplars whose trace ids are those of the spans the calls ran in', async () => {
    const traceIds = new Set(traces.map((t) => t.traceId));
    const exemplarsOf = async (metric: string) => {
      const series = await prometheus.queryExemplars(metric, startedAt - 60, Date.now() / 1000 + 60);
      return series.flatMap((s) => s.exemplars.map((e) => e.labels));
    };
    const last = traces[traces.length - 1]!;

    // The newest exemplar of a bucket is the last request's; Prometheus stores it at the next scrape.
    const ai = await waitFor(async () => {
      const labels = await exemplarsOf('gen_ai_client_operation_duration_seconds_bucket');
      return labels.some((l) => l.trace_id === last.traceId) ? labels : undefined;
    }, 10_000, { description: 'AI exemplar of the last request' });
    for (const labels of ai) {
      expect(traceIds).toContain(labels.trace_id);
      // The AI sample points at the client span around the call, inside the request's trace.
      expect(labels.span_id).toBe(traces.find((t) => t.traceId === labels.trace_id)!.aiSpanId);
    }

    const http = await waitFor(async () => {
      const labels = await exemplarsOf('http_server_request_duration_seconds_bucket');
      return labels.some((l) => l.trace_id === last.traceId) ? labels : undefined;
    }, 10_000, { description: 'HTTP exemplar of the last request' });
    for (const labels of http) {
      expect(traceIds).toContain(labels.trace_id);
      expect(labels.span_id).toBe(traces.find((t) => t.traceId === labels.trace_id)!.serverSpanId);
    }

    // Those are real, sampled spans the SDK finished, not ids made up along the way.
    const finished = new Set(spans.getFinishedSpans().map((span) => span.spanContext().traceId));
    for (const { traceId } of traces) expect(finished).toContain(traceId);
  });

  it('scrapes the target cleanly (up, samples, no scrape error)', async () => {
    const [target, ...others] = (await prometheus.targets()).filter((t) => t.scrapePool === 'modelwatch-e2e');
    expect(others).toEqual([]);
    expect(target).toMatchObject({ health: 'up', lastError: '' });
    expect(await prometheus.queryValue('up{job="modelwatch-e2e"}')).toBe(1);
    // Every scrape so far succeeded, not only the last one.
    expect(await prometheus.queryValue('min_over_time(up{job="modelwatch-e2e"}[5m])')).toBe(1);
    expect(await prometheus.queryValue('scrape_samples_scraped{job="modelwatch-e2e"}')).toBeGreaterThan(0);
    // Nothing Prometheus dropped while appending (duplicate or out-of-order samples, bad exemplars).
    expect(prometheus.logs()).not.toMatch(/level=(warn|error).*(scrape|append)/i);
  });
});
