import { createServer, request as httpRequest, type Server } from 'node:http';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import express from 'express';
import express4 from 'express4';
import type { Express, NextFunction, Request, Response } from 'express';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { modelwatchFastify } from '../fastify';
import { createModelwatch, type Modelwatch } from '../modelwatch';
import { parseExposition, type Sample } from '@modelwatch/testkit';
import { closeServer, deferred, listenLoopback, send, startRequest } from '../test-support/http-client';
import { registerTestSdk, summarize, waitForSpans, type TestSdk } from './__fixtures__/otel-sdk';
import { parseHost, pathOf } from './http-server-span';

const USER_AGENT = 'modelwatch-test/1.0';
const AI = { provider: 'openai', model: 'gpt-4o-mini', serverAddress: 'api.openai.com', serverPort: 443, requestAttributes: { maxTokens: 256, temperature: 0.2 } };
/** An OpenAI Chat Completions response, as the SDK returns it. */
const OPENAI_RESPONSE = {
  id: 'chatcmpl-42',
  object: 'chat.completion',
  model: 'gpt-4o-mini-2024-07-18',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Hello!' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 1000, completion_tokens: 200, total_tokens: 1200, prompt_tokens_details: { cached_tokens: 400 } },
};
const AI_SPAN_ATTRIBUTES = {
  'gen_ai.operation.name': 'chat',
  'gen_ai.provider.name': 'openai',
  'gen_ai.request.model': 'gpt-4o-mini',
  'server.address': 'api.openai.com',
  'server.port': 443,
  'gen_ai.request.max_tokens': 256,
  'gen_ai.request.temperature': 0.2,
  'gen_ai.response.id': 'chatcmpl-42',
  'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
  'gen_ai.response.finish_reasons': ['stop'],
  'gen_ai.usage.input_tokens': 1000,
  'gen_ai.usage.output_tokens': 200,
  'gen_ai.usage.cache_read.input_tokens': 400,
};
const TRACEPARENT_TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const TRACEPARENT_SPAN_ID = '00f067aa0ba902b7';

let sdk: TestSdk;
beforeAll(() => {
  sdk = registerTestSdk();
});
afterAll(async () => {
  await sdk.shutdown();
});
beforeEach(() => {
  sdk.exporter.reset();
});

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map(closeServer));
});

async function listen(server: Server): Promise<{ base: string; port: number }> {
  servers.push(server);
  const base = await listenLoopback(server);
  return { base, port: Number(new URL(base).port) };
}

/** What the handler saw: the active span in the handler, and inside the AI call. */
interface Seen {
  handlerSpanId?: string;
  aiCallSpanId?: string;
}

/** The handler of every framework: one AI call through the generic wrapper. */
async function chat(mw: Modelwatch, seen: Seen): Promise<string> {
  seen.handlerSpanId = trace.getActiveSpan()?.spanContext().spanId;
  const response = await mw.observeAiCall(AI, async () => {
    seen.aiCallSpanId = trace.getActiveSpan()?.spanContext().spanId;
    await new Promise((resolve) => setTimeout(resolve, 5));
    return OPENAI_RESPONSE;
  });
  return response.choices[0]!.message.content;
}

function serverAttributes(port: number, path: string, route: string | undefined, status: number) {
  return {
    'http.request.method': 'GET',
    'url.path': path,
    'url.scheme': 'http',
    'server.address': '127.0.0.1',
    'server.port': port,
    'user_agent.original': USER_AGENT,
    ...(route === undefined ? {} : { 'http.route': route }),
    'http.response.status_code': status,
  };
}

/** The one SERVER span and the one CLIENT span of a request, checked to be parent and child. */
async function requestSpans() {
  const spans = (await waitForSpans(sdk, 2)).map(summarize);
  expect(spans).toHaveLength(2);
  const server = spans.find((span) => span.kind === SpanKind.SERVER)!;
  const client = spans.find((span) => span.kind === SpanKind.CLIENT)!;
  expect(client.parentSpanId).toBe(server.spanId);
  expect(client.traceId).toBe(server.traceId);
  return { server, client };
}

/** A JSON POST whose body leaves well after its headers, so the server reads it in a later turn (from the socket, not the first packet). */
function postLate(url: string, body: unknown): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', headers: { 'content-type': 'application/json' }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    });
    req.on('error', reject);
    req.flushHeaders();
    setTimeout(() => req.end(JSON.stringify(body)), 30);
  });
}

function exemplarOf(samples: readonly Sample[], name: string) {
  const withExemplar = samples.filter((sample) => sample.name === name && sample.exemplar !== undefined);
  expect(withExemplar.length).toBeGreaterThan(0);
  return withExemplar.map((sample) => sample.exemplar!.labels);
}

describe.each([
  { version: 'Express 5', createApp: () => express() },
  { version: 'Express 4', createApp: () => express4() },
])('$version: server span from the middleware', ({ createApp }) => {
  async function start(seen: Seen) {
    const mw = createModelwatch({ defaultMetrics: false });
    const app: Express = createApp();
    app.use(mw.express());
    app.use(express.json());
    app.get('/chat/:id', async (_req, res) => {
      res.json({ text: await chat(mw, seen) });
    });
    app.post('/chat/:id', async (req, res) => {
      res.json({ echo: (req.body as { q?: string }).q, text: await chat(mw, seen) });
    });
    app.get('/boom', () => {
      throw new Error('boom');
    });
    app.use((_error: unknown, _req: Request, res: Response, _next: NextFunction) => {
      res.status(503).send('failed');
    });
    return { mw, ...(await listen(createServer(app))) };
  }

  it('makes exactly a SERVER span and the AI CLIENT span as its child, with exact attributes and exemplars', async () => {
    const seen: Seen = {};
    const { mw, base, port } = await start(seen);
    const response = await send(`${base}/chat/42?verbose=1`, { headers: { 'user-agent': USER_AGENT } });
    expect(response.status).toBe(200);

    const { server, client } = await requestSpans();
    expect(server.name).toBe('GET /chat/:id');
    expect(server.attributes).toEqual(serverAttributes(port, '/chat/42', '/chat/:id', 200));
    expect(server.status).toEqual({ code: SpanStatusCode.UNSET });
    expect(server.parentSpanId).toBeUndefined();
    expect(client.name).toBe('chat gpt-4o-mini');
    expect(client.attributes).toEqual(AI_SPAN_ATTRIBUTES);
    expect(client.status).toEqual({ code: SpanStatusCode.UNSET });
    // The handler ran inside the server span, the AI call inside its own span.
    expect(seen).toEqual({ handlerSpanId: server.spanId, aiCallSpanId: client.spanId });

    const samples = parseExposition(await mw.metrics('openmetrics')).samples;
    expect(exemplarOf(samples, 'gen_ai_client_operation_duration_seconds_bucket')).toEqual([{ trace_id: client.traceId, span_id: client.spanId }]);
    expect(exemplarOf(samples, 'http_server_request_duration_seconds_bucket')).toEqual([{ trace_id: server.traceId, span_id: server.spanId }]);
  });

  it('continues the trace of an incoming traceparent header', async () => {
    const { base } = await start({});
    await send(`${base}/chat/1`, { headers: { traceparent: `00-${TRACEPARENT_TRACE_ID}-${TRACEPARENT_SPAN_ID}-01` } });
    const { server, client } = await requestSpans();
    expect(server.traceId).toBe(TRACEPARENT_TRACE_ID);
    expect(server.parentSpanId).toBe(TRACEPARENT_SPAN_ID);
    expect(client.traceId).toBe(TRACEPARENT_TRACE_ID);
  });

  it('keeps the span active in a handler reached after the body parser read the body', async () => {
    const seen: Seen = {};
    const { base } = await start(seen);
    expect(JSON.parse(await postLate(`${base}/chat/7`, { q: 'hi' }))).toEqual({ echo: 'hi', text: 'Hello!' });
    const { server, client } = await requestSpans();
    expect(server.name).toBe('POST /chat/:id');
    expect(seen).toEqual({ handlerSpanId: server.spanId, aiCallSpanId: client.spanId });
  });

  it('marks a 5xx as an error with error.type = the status code', async () => {
    const { base, port } = await start({});
    expect((await send(`${base}/boom`, { headers: { 'user-agent': USER_AGENT } })).status).toBe(503);
    const [span] = (await waitForSpans(sdk, 1)).map(summarize);
    expect(span!.name).toBe('GET /boom');
    expect(span!.attributes).toEqual({ ...serverAttributes(port, '/boom', '/boom', 503), 'error.type': '503' });
    expect(span!.status).toEqual({ code: SpanStatusCode.ERROR });
  });

  it('names an unmatched request by its method alone and leaves a 404 unset (a client error, not the server’s)', async () => {
    const { base, port } = await start({});
    expect((await send(`${base}/nowhere/5`, { headers: { 'user-agent': USER_AGENT } })).status).toBe(404);
    const [span] = (await waitForSpans(sdk, 1)).map(summarize);
    expect(span!.name).toBe('GET');
    expect(span!.attributes).toEqual(serverAttributes(port, '/nowhere/5', undefined, 404));
    expect(span!.status).toEqual({ code: SpanStatusCode.UNSET });
  });

  it('takes server.address and server.port from each request’s own Host header', async () => {
    const { base } = await start({});
    for (const host of ['api.example.com:8443', 'other.example.com', 'api.example.com:8443']) {
      await new Promise<void>((resolve, reject) => {
        httpRequest(`${base}/nowhere/1`, { headers: { host }, agent: false }, (res) => {
          res.resume();
          res.on('end', resolve);
        })
          .on('error', reject)
          .end();
      });
    }
    const spans = (await waitForSpans(sdk, 3)).map(summarize);
    expect(spans.map((span) => [span.attributes['server.address'], span.attributes['server.port']])).toEqual([
      ['api.example.com', 8443],
      ['other.example.com', 80],
      ['api.example.com', 8443],
    ]);
  });
});

describe('server span edge cases (node:http)', () => {
  it('ends the span of a request the client aborted with error.type aborted, once, and no status code', async () => {
    const mw = createModelwatch({ defaultMetrics: false });
    const reached = deferred();
    const { base, port } = await listen(
      createServer(
        mw.http(
          () => {
            reached.resolve();
            // Never answers.
          },
          { routes: ['/slow/:id'] },
        ),
      ),
    );
    const pending = startRequest(`${base}/slow/1`, { headers: { 'user-agent': USER_AGENT } });
    await reached.promise;
    await pending.abort();
    const [span] = (await waitForSpans(sdk, 1)).map(summarize);
    expect(span!.name).toBe('GET /slow/:id');
    const { 'http.response.status_code': _status, ...withoutStatus } = serverAttributes(port, '/slow/1', '/slow/:id', 0);
    expect(span!.attributes).toEqual({ ...withoutStatus, 'error.type': 'aborted' });
    expect(span!.status).toEqual({ code: SpanStatusCode.ERROR });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(sdk.spans()).toHaveLength(1);
  });

  it('records an unknown method as _OTHER, names the span HTTP, and keeps the original method', async () => {
    const mw = createModelwatch({ defaultMetrics: false });
    const { base } = await listen(createServer(mw.http((_req, res) => res.end('ok'), { routes: ['/x'] })));
    await send(`${base}/x`, { method: 'PURGE' });
    const [span] = (await waitForSpans(sdk, 1)).map(summarize);
    expect(span!.name).toBe('HTTP /x');
    expect(span!.attributes['http.request.method']).toBe('_OTHER');
    expect(span!.attributes['http.request.method_original']).toBe('PURGE');
  });

  it('makes no span for ignored paths (the metrics scrape)', async () => {
    const mw = createModelwatch({ defaultMetrics: false });
    const { base } = await listen(createServer(mw.http((_req, res) => res.end('ok'))));
    await send(`${base}/metrics`);
    await send(`${base}/other`);
    const spans = await waitForSpans(sdk, 1);
    expect(spans.map((span) => span.attributes['url.path'])).toEqual(['/other']);
  });

  it('makes no server span with httpServerSpans: false, and still traces AI calls', async () => {
    const mw = createModelwatch({ defaultMetrics: false, tracing: { httpServerSpans: false } });
    const seen: Seen = {};
    const { base } = await listen(createServer(mw.http(async (_req, res) => res.end(await chat(mw, seen)))));
    await send(`${base}/chat`);
    const spans = (await waitForSpans(sdk, 1)).map(summarize);
    expect(spans.map((span) => [span.kind, span.parentSpanId])).toEqual([[SpanKind.CLIENT, undefined]]);
    expect(seen.handlerSpanId).toBeUndefined();
  });
});

describe('node:http: server span around the listener', () => {
  it('runs the listener inside the server span; the AI span is its child', async () => {
    const mw = createModelwatch({ defaultMetrics: false });
    const seen: Seen = {};
    const { base, port } = await listen(
      createServer(mw.http(async (_req, res) => res.end(await chat(mw, seen)), { routes: ['/chat/:id'] })),
    );
    const response = await send(`${base}/chat/9`, { headers: { 'user-agent': USER_AGENT } });
    expect(response.text).toBe('Hello!');
    const { server, client } = await requestSpans();
    expect(server.name).toBe('GET /chat/:id');
    expect(server.attributes).toEqual(serverAttributes(port, '/chat/9', '/chat/:id', 200));
    expect(client.attributes).toEqual(AI_SPAN_ATTRIBUTES);
    expect(seen).toEqual({ handlerSpanId: server.spanId, aiCallSpanId: client.spanId });
  });
});

describe("node:http: the response's own listeners", () => {
  it("run inside the server span, as a logger adding trace ids when it writes a 'finish' or 'close' line needs", async () => {
    const mw = createModelwatch({ defaultMetrics: false });
    const activeIn: Record<string, string | undefined> = {};
    const answerLater: (() => void)[] = [];
    const { base } = await listen(
      createServer(
        mw.http((_req, res) => {
          for (const event of ['finish', 'close']) res.on(event, () => (activeIn[event] = trace.getActiveSpan()?.spanContext().spanId));
          // Answered from a timer made outside the request's context, as a pooled connection's callback would be.
          answerLater.push(() => res.end('ok'));
        }),
      ),
    );
    const outside = setInterval(() => answerLater.splice(0).forEach((answer) => answer()), 5);
    try {
      expect((await send(`${base}/x`)).status).toBe(200);
    } finally {
      clearInterval(outside);
    }
    const [server] = (await waitForSpans(sdk, 1)).map(summarize);
    expect(activeIn).toEqual({ finish: server!.spanId, close: server!.spanId });
  });
});

describe('node:http: a listener reading the body itself', () => {
  it('sees the server span in its request event listeners, even for a body arriving later', async () => {
    const mw = createModelwatch({ defaultMetrics: false });
    const seen: Seen = {};
    const { base } = await listen(
      createServer(
        mw.http((req, res) => {
          const chunks: Buffer[] = [];
          req.on('data', (chunk: Buffer) => chunks.push(chunk));
          req.on('end', () => {
            void chat(mw, seen).then((text) => res.end(`${Buffer.concat(chunks).toString('utf8')} ${text}`));
          });
        }),
      ),
    );
    expect(await postLate(`${base}/upload`, 'data')).toBe('"data" Hello!');
    const { server, client } = await requestSpans();
    expect(seen).toEqual({ handlerSpanId: server.spanId, aiCallSpanId: client.spanId });
  });
});

describe('Fastify: server span from the plugin', () => {
  let app: FastifyInstance;
  afterEach(async () => {
    await app?.close();
  });

  async function start(seen: Seen) {
    const mw = createModelwatch({ defaultMetrics: false });
    app = Fastify();
    await app.register(modelwatchFastify(mw));
    app.get('/chat/:id', async () => ({ text: await chat(mw, seen) }));
    app.post('/chat/:id', async (request) => ({ echo: (request.body as { q?: string }).q, text: await chat(mw, seen) }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address() as { port: number };
    return { base: `http://127.0.0.1:${address.port}`, port: address.port };
  }

  it('runs the handler inside the server span; the AI span is its child', async () => {
    const seen: Seen = {};
    const { base, port } = await start(seen);
    const response = await send(`${base}/chat/3`, { headers: { 'user-agent': USER_AGENT } });
    expect(JSON.parse(response.text)).toEqual({ text: 'Hello!' });
    const { server, client } = await requestSpans();
    expect(server.name).toBe('GET /chat/:id');
    expect(server.attributes).toEqual(serverAttributes(port, '/chat/3', '/chat/:id', 200));
    expect(client.attributes).toEqual(AI_SPAN_ATTRIBUTES);
    expect(seen).toEqual({ handlerSpanId: server.spanId, aiCallSpanId: client.spanId });
  });

  it('keeps the span active in a handler that waited for the request body', async () => {
    const seen: Seen = {};
    const { base } = await start(seen);
    expect(JSON.parse(await postLate(`${base}/chat/4`, { q: 'hey' }))).toEqual({ echo: 'hey', text: 'Hello!' });
    const { server, client } = await requestSpans();
    expect(server.name).toBe('POST /chat/:id');
    expect(seen).toEqual({ handlerSpanId: server.spanId, aiCallSpanId: client.spanId });
  });

  it('continues the trace of an incoming traceparent header', async () => {
    const { base } = await start({});
    await send(`${base}/chat/1`, { headers: { traceparent: `00-${TRACEPARENT_TRACE_ID}-${TRACEPARENT_SPAN_ID}-01` } });
    const { server } = await requestSpans();
    expect(server.traceId).toBe(TRACEPARENT_TRACE_ID);
    expect(server.parentSpanId).toBe(TRACEPARENT_SPAN_ID);
  });
});

describe('request target helpers', () => {
  it.each([
    ['/a/b?x=1', '/a/b'],
    ['/a#frag', '/a'],
    ['/a?x=1#frag', '/a'],
    ['/a#frag?x=1', '/a'],
    ['http://example.com:8080/p/q?s=1', '/p/q'],
    ['*', '*'],
    ['', '/'],
    [undefined, '/'],
  ])('url.path of %j is %j', (url, path) => {
    expect(pathOf(url)).toBe(path);
  });

  it.each([
    ['example.com', { address: 'example.com', port: undefined }],
    ['example.com:8080', { address: 'example.com', port: 8080 }],
    ['[::1]:3000', { address: '::1', port: 3000 }],
    ['[::1]', { address: '::1', port: undefined }],
    ['example.com:99999', { address: 'example.com', port: undefined }],
    ['example.com:abc', { address: 'example.com', port: undefined }],
    [':80', undefined],
    ['[::1', undefined],
    [undefined, undefined],
  ])('Host %j is %j', (host, parsed) => {
    expect(parseHost(host)).toEqual(parsed);
  });
});
