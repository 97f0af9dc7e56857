import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { AlwaysOnSampler, BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createModelwatch } from '../modelwatch';
import { histogramOf, parseExposition } from '@modelwatch/testkit';
import { delay, loopbackServers, send, sendAndAbort } from '../test-support/http-client';
import { capture, type Capture } from './__fixtures__/capture';
import { accessLog, type AccessLogOptions } from './access-log';
import { createLogger } from './create-logger';

const tracer = new BasicTracerProvider({ sampler: new AlwaysOnSampler() }).getTracer('test');
const serve = loopbackServers();

beforeAll(() => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
});

afterAll(() => {
  context.disable();
});

/** An Express 5 app: [before], the access log, the routes every case uses, an error handler. */
async function start(options: AccessLogOptions = {}, before?: (app: Express) => void, level = 'debug') {
  const out = capture();
  const logger = createLogger({ transports: out.transport, level, service: 'web' });
  const log = vi.spyOn(logger, 'log');
  const app = express();
  before?.(app);
  app.use(accessLog(logger, options));
  app.get('/users/:id', (req, res) => {
    res.json({ id: req.params.id });
  });
  app.get('/slow', async (_req, res) => {
    await delay(60);
    res.send('done');
  });
  app.get(['/metrics', '/healthz', '/readyz', '/status'], (_req, res) => {
    res.send('ok');
  });
  app.get('/teapot', (_req, res) => {
    res.status(418).send('short and stout');
  });
  app.get('/hang', () => undefined);
  const api = express.Router();
  api.get('/items/:itemId', () => {
    throw new Error('item store down');
  });
  app.use('/api', api);
  app.use((_error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    res.status(500).send('failed');
  });
  const base = await serve(app);
  return { base, out, log, lines: () => linesOf(out) };
}

/** Polls until the lines satisfy `done` (a line is written when the response finishes, after the client has read it). */
async function waitFor(read: () => Promise<Record<string, unknown>[]>, done: (entries: Record<string, unknown>[]) => boolean): Promise<Record<string, unknown>[]> {
  const deadline = performance.now() + 5_000;
  for (;;) {
    const entries = await read();
    if (done(entries)) return entries;
    if (performance.now() > deadline) throw new Error(`timed out waiting for log lines; have ${JSON.stringify(entries)}`);
    await delay(10);
  }
}

async function linesOf(out: Capture): Promise<Record<string, unknown>[]> {
  await out.flush();
  return out.entries();
}

describe('accessLog with Express 5', () => {
  it('writes method, route template, status, path, masked query, user agent, size and duration', async () => {
    const { base, out, lines } = await start();
    const response = await send(`${base}/users/42?api_key=SECRETKEY1&page=2&q=sk-abcdefghijklmnopqrstuvwxyz`, { headers: { 'user-agent': 'probe/1.0' } });
    expect(response.status).toBe(200);

    const [line, ...rest] = await waitFor(() => lines(), (entries) => entries.length > 0);
    expect(rest).toEqual([]);
    expect(line).toEqual({
      timestamp: expect.any(String),
      level: 'info',
      message: 'http request',
      service: 'web',
      'http.request.method': 'GET',
      'http.route': '/users/:id',
      'http.response.status_code': 200,
      duration_ms: expect.any(Number),
      'url.path': '/users/42',
      'url.query': 'api_key=[REDACTED]&page=[REDACTED]&q=[REDACTED]',
      'user_agent.original': 'probe/1.0',
      'http.response.body.size': Number(response.headers['content-length']),
    });
    expect(out.lines.join('\n')).not.toContain('SECRETKEY1');
  });

  it.each([
    ['every value', true, 'page=2&q=[REDACTED]&email=jane%40example.com&api_key=[REDACTED]'],
    ['the listed values', ['page', 'api_key'], 'page=2&q=[REDACTED]&email=[REDACTED]&api_key=[REDACTED]'],
  ] as const)('writes %s with logQueryValues, secrets still masked', async (_, logQueryValues, query) => {
    const { base, lines } = await start({ logQueryValues });
    await send(`${base}/users/42?page=2&q=sk-abcdefghijklmnopqrstuvwxyz&email=jane%40example.com&api_key=SECRETKEY1`);
    const [line] = await waitFor(() => lines(), (entries) => entries.length > 0);
    expect(line!['url.query']).toBe(query);
  });

  it('masks personal data in the path when asked to', async () => {
    const { base, lines } = await start({ redact: { pii: ['email'] } });
    await send(`${base}/users/jane@example.com`);
    const [line] = await waitFor(() => lines(), (entries) => entries.length > 0);
    expect(line).toMatchObject({ 'url.path': '/users/[REDACTED]', 'http.route': '/users/:id' });
  });

  it('measures the duration of the response', async () => {
    const { base, lines } = await start();
    await send(`${base}/slow`);
    const [line] = await waitFor(() => lines(), (entries) => entries.length > 0);
    expect(line!.duration_ms).toBeGreaterThanOrEqual(55); // the route answers after 60 ms
  });

  it.each([
    { path: '/teapot', status: 418, level: 'warn', route: '/teapot' },
    { path: '/nowhere', status: 404, level: 'warn', route: '_unmatched' },
    { path: '/api/items/7', status: 500, level: 'error', route: '/api/items/:itemId' },
  ])('writes $path ($status) at $level with route $route', async ({ path, status, level, route }) => {
    const { base, lines } = await start();
    expect((await send(base + path)).status).toBe(status);
    const [line] = await waitFor(() => lines(), (entries) => entries.length > 0);
    expect(line).toMatchObject({ level, 'http.response.status_code': status, 'http.route': route, 'url.path': path });
  });

  it('takes the level from the configured function', async () => {
    const { base, lines } = await start({ level: (status) => (status >= 400 ? 'error' : 'debug') });
    await send(`${base}/users/1`);
    await send(`${base}/teapot`);
    const entries = await waitFor(() => lines(), (e) => e.length === 2);
    expect(entries.map((e) => [e['url.path'], e.level])).toEqual([
      ['/users/1', 'debug'],
      ['/teapot', 'error'],
    ]);
  });

  it('skips /metrics, /healthz and /readyz by default, and the configured paths otherwise', async () => {
    const byDefault = await start();
    for (const path of ['/metrics', '/healthz', '/readyz?probe=1', '/status']) await send(byDefault.base + path);
    const logged = await waitFor(() => byDefault.lines(), (e) => e.length > 0);
    await delay(20);
    expect((await byDefault.lines()).map((e) => e['url.path'])).toEqual(['/status']);
    expect(logged).toHaveLength(1);

    const configured = await start({ ignorePaths: ['/status'] });
    for (const path of ['/metrics', '/status']) await send(configured.base + path);
    await waitFor(() => configured.lines(), (e) => e.length > 0);
    await delay(20);
    expect((await configured.lines()).map((e) => e['url.path'])).toEqual(['/metrics']);
  });

  it('carries the ids of the span active when the request came in, though the line is written later', async () => {
    const spans: { traceId: string; spanId: string }[] = [];
    const { base, lines } = await start({}, (app) =>
      app.use((_req, res, next) => {
        tracer.startActiveSpan('GET', (span) => {
          spans.push(span.spanContext());
          res.on('finish', () => span.end());
          next();
        });
      }),
    );
    await send(`${base}/slow`);
    const [line] = await waitFor(() => lines(), (e) => e.length > 0);
    expect(line).toMatchObject({ trace_id: spans[0]!.traceId, span_id: spans[0]!.spanId, trace_flags: '01' });

    const untraced = await start();
    await send(`${untraced.base}/users/1`);
    const [plain] = await waitFor(() => untraced.lines(), (e) => e.length > 0);
    expect(plain).not.toHaveProperty('trace_id');
  });

  it('agrees with the metrics on the route of a failed request in a mounted router, when mw.express() comes first', async () => {
    const mw = createModelwatch({ defaultMetrics: false });
    const { base, lines } = await start({}, (app) => app.use(mw.express()));
    await send(`${base}/api/items/9`);
    await send(`${base}/users/3`);
    const entries = await waitFor(() => lines(), (e) => e.length === 2);
    expect(entries.map((e) => e['http.route'])).toEqual(['/api/items/:itemId', '/users/:id']);
    const samples = parseExposition(await mw.metrics()).samples;
    expect(histogramOf(samples, 'http_server_request_duration_seconds', { http_route: '/api/items/:itemId', http_response_status_code: '500' }).count).toBe(1);
    expect(histogramOf(samples, 'http_server_request_duration_seconds', { http_route: '/users/:id' }).count).toBe(1);
  });

  it('writes status 499 at warn when the client goes away first', async () => {
    const { base, lines } = await start();
    await sendAndAbort(`${base}/hang`, 50);
    const [line] = await waitFor(() => lines(), (e) => e.length > 0);
    expect(line).toMatchObject({ level: 'warn', 'http.response.status_code': 499, 'http.route': '/hang' });
  });

  it('does not build the lines of a level the logger drops: with LOG_LEVEL warn, only 4xx and 5xx reach it', async () => {
    const { base, log, lines } = await start({}, undefined, 'warn');
    expect((await send(`${base}/users/1`)).status).toBe(200);
    expect((await send(`${base}/teapot`)).status).toBe(418);
    const entries = await waitFor(() => lines(), (e) => e.length > 0);
    await delay(20);

    expect(entries.map((e) => e['url.path'])).toEqual(['/teapot']);
    expect(log.mock.calls.map(([level]) => level)).toEqual(['warn']);
  });

  it('never throws into the app, even when the level function does', async () => {
    const { base, lines } = await start({
      level: () => {
        throw new Error('bad level function');
      },
    });
    expect((await send(`${base}/users/1`)).status).toBe(200);
    expect((await send(`${base}/users/2`)).status).toBe(200);
    expect(await lines()).toEqual([]);
  });
});

describe('accessLog on node:http', () => {
  it('runs as a first step of a plain listener, with the route from the option', async () => {
    const out = capture();
    const log = accessLog(createLogger({ transports: out.transport }), { route: (req) => (req.url?.startsWith('/users/') ? '/users/:id' : undefined) });
    const base = await serve((req, res) => {
      log(req, res);
      res.setHeader('content-length', '2');
      res.end('ok');
    });
    await send(`${base}/users/5?token=abc`, { method: 'POST', headers: { 'content-length': '3' }, body: 'abc' });
    await send(`${base}/other`);
    const entries = await waitFor(() => linesOf(out), (e) => e.length === 2);
    expect(entries[0]).toMatchObject({
      'http.request.method': 'POST',
      'http.route': '/users/:id',
      'url.path': '/users/5',
      'url.query': 'token=[REDACTED]',
      'http.request.body.size': 3,
      'http.response.body.size': 2,
    });
    expect(entries[1]).toMatchObject({ 'http.route': '_unmatched', 'url.path': '/other' });
  });
});
