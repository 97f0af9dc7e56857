import { createRequire } from 'node:module';
import type { Server } from 'node:http';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import express from 'express';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createModelwatch } from '../modelwatch';
import { parseExposition } from '@modelwatch/testkit';
import { closeServer, listenLoopback } from '../test-support/http-client';
import { registerTestSdk, summarize, waitForSpans, type TestSdk } from './__fixtures__/otel-sdk';

/*
 * With @opentelemetry/instrumentation-http the request already runs in its SERVER
 * span: Modelwatch must not add a second one, must nest the AI span under it,
 * and hands it the route. Its own file: the instrumentation patches node:http
 * for the whole process (vitest runs each file in a process of its own).
 */

const AI = { provider: 'openai', model: 'gpt-4o-mini' };
const OPENAI_RESPONSE = {
  id: 'chatcmpl-7',
  model: 'gpt-4o-mini-2024-07-18',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Hi' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 10, completion_tokens: 2 },
};

describe('next to @opentelemetry/instrumentation-http', () => {
  let sdk: TestSdk;
  let instrumentation: HttpInstrumentation;
  let server: Server;
  let base: string;
  const mw = createModelwatch({ defaultMetrics: false });
  const seen: { handlerSpanId?: string } = {};

  beforeAll(async () => {
    sdk = registerTestSdk();
    instrumentation = new HttpInstrumentation();
    instrumentation.setTracerProvider(sdk.provider);
    instrumentation.enable();
    // The patch applies when node:http is required after enable(); the server must come from the patched module.
    const http = createRequire(__filename)('node:http') as typeof import('node:http');
    const app = express();
    app.use(mw.express());
    app.get('/chat/:id', async (_req, res) => {
      seen.handlerSpanId = trace.getActiveSpan()?.spanContext().spanId;
      const response = await mw.observeAiCall(AI, async () => OPENAI_RESPONSE);
      res.send(response.choices[0]!.message.content);
    });
    server = http.createServer(app);
    base = await listenLoopback(server);
  });

  afterAll(async () => {
    await closeServer(server);
    instrumentation.disable();
    await sdk.shutdown();
  });

  beforeEach(() => sdk.exporter.reset());
  afterEach(() => {
    delete seen.handlerSpanId;
  });

  it('makes no second server span; the AI span is the child of instrumentation-http’s, which gets the route', async () => {
    // fetch (undici) is not what instrumentation-http patches: the client side makes no span.
    const response = await fetch(`${base}/chat/5`);
    expect(await response.text()).toBe('Hi');
    await waitForSpans(sdk, 2);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const spans = sdk.spans().map(summarize);
    const servers = spans.filter((span) => span.kind === SpanKind.SERVER);
    expect(servers).toHaveLength(1);
    const [serverSpan] = servers;
    const clients = spans.filter((span) => span.kind === SpanKind.CLIENT);
    expect(clients).toHaveLength(1);
    const [aiSpan] = clients;
    expect(spans).toHaveLength(2);

    expect(serverSpan!.scope).toBe('@opentelemetry/instrumentation-http');
    expect(serverSpan!.name).toBe('GET /chat/:id');
    expect(serverSpan!.attributes['http.route']).toBe('/chat/:id');
    expect(serverSpan!.status.code).toBe(SpanStatusCode.UNSET);
    expect(seen.handlerSpanId).toBe(serverSpan!.spanId);

    expect(aiSpan!.scope).toBe('@modelwatch/exporter');
    expect(aiSpan!.name).toBe('chat gpt-4o-mini');
    expect(aiSpan!.parentSpanId).toBe(serverSpan!.spanId);
    expect(aiSpan!.traceId).toBe(serverSpan!.traceId);

    // Exemplars: the request's duration points at instrumentation-http's span, the AI call's at its own.
    const samples = parseExposition(await mw.metrics('openmetrics')).samples;
    const exemplar = (name: string) => samples.find((sample) => sample.name === name && sample.exemplar)?.exemplar?.labels;
    expect(exemplar('http_server_request_duration_seconds_bucket')).toEqual({ trace_id: serverSpan!.traceId, span_id: serverSpan!.spanId });
    expect(exemplar('gen_ai_client_operation_duration_seconds_bucket')).toEqual({ trace_id: aiSpan!.traceId, span_id: aiSpan!.spanId });
  });
});
