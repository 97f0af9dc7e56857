import { createServer, type Server } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createModelwatch, type Modelwatch, type ModelwatchOptions } from '../modelwatch';
import { createMetricsHandler } from './metrics-handler';
import { parseExposition, sampleOf, select, valueOf } from '@modelwatch/testkit';
import { closeServer, listenLoopback, send, startRequest } from '../test-support/http-client';

const TEXT = 'text/plain; version=0.0.4; charset=utf-8';
const OPENMETRICS = 'application/openmetrics-text; version=1.0.0; charset=utf-8';
/** The Accept header Prometheus 2.x sends on every scrape. */
const PROMETHEUS_ACCEPT = 'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';
const TRACE = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331' };

describe('metrics handler', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map(closeServer));
  });

  /** The handler alone on a node:http server, after one cache hit so a counter has a series. */
  async function serve(options: ModelwatchOptions = {}): Promise<{ mw: Modelwatch; url: string }> {
    const mw = createModelwatch({ defaultMetrics: false, ...options });
    mw.observeCache('answers').hit();
    const server = createServer(mw.metricsHandler);
    servers.push(server);
    return { mw, url: `${await listenLoopback(server)}/metrics` };
  }

  describe('content negotiation', () => {
    it.each([
      { client: 'no Accept header', accept: undefined, format: 'text' },
      { client: 'Accept: text/plain', accept: 'text/plain', format: 'text' },
      { client: 'Accept: */*', accept: '*/*', format: 'text' },
      { client: "Prometheus' own Accept header", accept: PROMETHEUS_ACCEPT, format: 'openmetrics' },
      { client: 'a bare OpenMetrics Accept', accept: 'application/openmetrics-text', format: 'openmetrics' },
      { client: 'OpenMetrics refused with q=0', accept: 'application/openmetrics-text;version=1.0.0;q=0,text/plain;version=0.0.4;q=0.5', format: 'text' },
    ])('answers $client with the $format format', async ({ accept, format }) => {
      const { url } = await serve();
      const response = await send(url, { headers: accept === undefined ? {} : { Accept: accept } });

      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toBe(format === 'text' ? TEXT : OPENMETRICS);
      const exposition = parseExposition(response.text);
      expect(valueOf(exposition.samples, 'modelwatch_cache_requests_total', { cache_name: 'answers', cache_result: 'hit' })).toBe(1);
      if (format === 'openmetrics') {
        expect(exposition.lines.at(-1)).toBe('# EOF');
        expect(exposition.types.get('modelwatch_cache_requests')).toBe('counter');
        expect(exposition.types.has('modelwatch_cache_requests_total')).toBe(false);
      } else {
        expect(exposition.lines).not.toContain('# EOF');
        expect(exposition.types.get('modelwatch_cache_requests_total')).toBe('counter');
        expect(exposition.types.has('modelwatch_cache_requests')).toBe(false);
      }
    });
  });

  describe('compression', () => {
    it.each([
      { client: 'gzip alone', acceptEncoding: 'gzip' },
      { client: 'what browsers and fetch send', acceptEncoding: 'gzip, deflate, br' },
      { client: 'gzip with a q-value', acceptEncoding: 'br;q=1.0, gzip;q=0.8' },
      { client: 'any coding (*)', acceptEncoding: '*' },
      { client: 'the x-gzip alias', acceptEncoding: 'x-gzip' },
    ])('gzips the body for $client, and it decompresses to the uncompressed body', async ({ acceptEncoding }) => {
      const { url } = await serve();
      const plain = await send(url);
      const gzipped = await send(url, { headers: { 'Accept-Encoding': acceptEncoding } });

      expect(gzipped.headers['content-encoding']).toBe('gzip');
      expect(gzipped.body.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
      expect(gunzipSync(gzipped.body).toString('utf8')).toBe(plain.text);
    });

    it.each([
      { client: 'no Accept-Encoding', acceptEncoding: undefined },
      { client: 'Accept-Encoding: identity', acceptEncoding: 'identity' },
      { client: 'gzip refused with q=0', acceptEncoding: 'gzip;q=0, identity' },
      { client: 'gzip refused with q=0 next to *', acceptEncoding: 'gzip; q=0, *' },
      { client: 'deflate only', acceptEncoding: 'deflate' },
    ])('sends the body uncompressed for $client', async ({ acceptEncoding }) => {
      const { url } = await serve();
      const response = await send(url, { headers: acceptEncoding === undefined ? {} : { 'Accept-Encoding': acceptEncoding } });

      expect(response.headers['content-encoding']).toBeUndefined();
      expect(valueOf(parseExposition(response.text).samples, 'modelwatch_cache_requests_total', { cache_result: 'hit' })).toBe(1);
    });

    it('sends the body uncompressed when compression is off, even to a gzip client', async () => {
      const { url } = await serve({ metricsEndpoint: { compression: false } });
      const response = await send(url, { headers: { 'Accept-Encoding': 'gzip' } });

      expect(response.headers['content-encoding']).toBeUndefined();
      expect(valueOf(parseExposition(response.text).samples, 'modelwatch_cache_requests_total', { cache_result: 'hit' })).toBe(1);
    });
  });

  describe('methods', () => {
    it('answers HEAD with the headers of a GET and no body', async () => {
      const { url } = await serve();
      const response = await send(url, { method: 'HEAD' });

      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toBe(TEXT);
      expect(response.body.length).toBe(0);
    });

    it.each(['POST', 'PUT', 'DELETE'])('refuses %s with 405 and an Allow header', async (method) => {
      const { url } = await serve();
      const response = await send(url, { method, body: 'x' });

      expect(response.status).toBe(405);
      expect(response.headers.allow).toBe('GET, HEAD');
    });
  });

  describe('authentication', () => {
    const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

    it.each([
      {
        scheme: 'bearer',
        auth: { bearerToken: 's3cret-token' },
        challenge: 'Bearer realm="metrics"',
        wrong: ['Bearer wrong-token', 'Bearer s3cret-token2', 'Bearer', 's3cret-token', basic('s3cret-token', '')],
        right: 'Bearer s3cret-token',
      },
      {
        scheme: 'basic',
        auth: { username: 'prometheus', password: 'pa:ss' },
        challenge: 'Basic realm="metrics", charset="UTF-8"',
        wrong: [basic('prometheus', 'wrong'), basic('other', 'pa:ss'), basic('prometheus', 'pa:s'), 'Bearer pa:ss', 'Basic'],
        right: basic('prometheus', 'pa:ss'),
      },
    ])('with $scheme auth: 401 and a challenge without or with wrong credentials, 200 with the right ones', async ({ auth, challenge, wrong, right }) => {
      const { url } = await serve({ metricsEndpoint: { auth } });

      for (const authorization of [undefined, ...wrong]) {
        const response = await send(url, { headers: authorization === undefined ? {} : { Authorization: authorization } });
        expect({ authorization, status: response.status, challenge: response.headers['www-authenticate'] }).toEqual({ authorization, status: 401, challenge });
        expect(response.text).toBe('Unauthorized\n');
      }

      const response = await send(url, { headers: { Authorization: right } });
      expect(response.status).toBe(200);
      expect(response.headers['www-authenticate']).toBeUndefined();
      expect(valueOf(parseExposition(response.text).samples, 'modelwatch_cache_requests_total', { cache_result: 'hit' })).toBe(1);
    });
  });

  describe('exemplars', () => {
    it('puts the trace of a request on its bucket line in OpenMetrics, and nowhere in the text format', async () => {
      const mw = createModelwatch({ defaultMetrics: false, exemplars: () => TRACE });
      const server = createServer(mw.http((request, response) => (request.url === '/metrics' ? mw.metricsHandler(request, response) : response.end('ok')), { routes: ['/work'] }));
      servers.push(server);
      const base = await listenLoopback(server);
      const before = Date.now() / 1000;
      await send(`${base}/work`);
      const after = Date.now() / 1000;

      const openMetrics = parseExposition((await send(`${base}/metrics`, { headers: { Accept: PROMETHEUS_ACCEPT } })).text);
      const buckets = select(openMetrics.samples, 'http_server_request_duration_seconds_bucket', { http_route: '/work' });
      const withExemplar = buckets.filter((bucket) => bucket.exemplar !== undefined);
      expect(withExemplar).toHaveLength(1);
      const { exemplar, labels } = withExemplar[0]!;
      expect(exemplar!.labels).toEqual({ trace_id: TRACE.traceId, span_id: TRACE.spanId });
      // One observation: the exemplar's value is the sum, and it lies within its bucket.
      const sum = valueOf(openMetrics.samples, 'http_server_request_duration_seconds_sum', { http_route: '/work' });
      expect(exemplar!.value).toBe(sum);
      expect(exemplar!.value).toBeLessThanOrEqual(Number(labels.le));
      expect(exemplar!.timestamp).toBeGreaterThanOrEqual(Math.floor(before * 1000) / 1000);
      expect(exemplar!.timestamp).toBeLessThanOrEqual(Math.ceil(after * 1000) / 1000);
      const line = openMetrics.lines.find((l) => l.includes(' # {'))!;
      expect(line).toMatch(/^http_server_request_duration_seconds_bucket\{[^}]*\} 1 # \{trace_id="0af7651916cd43dd8448eb211c80319c",span_id="b7ad6b7169203331"\} [0-9.e-]+ \d+\.\d{3}$/);

      const text = parseExposition((await send(`${base}/metrics`)).text);
      expect(text.samples.filter((s) => s.exemplar !== undefined)).toEqual([]);
      expect(text.lines.filter((l) => l.includes(TRACE.traceId))).toEqual([]);
      expect(sampleOf(text.samples, 'http_server_request_duration_seconds_count', { http_route: '/work' }).value).toBe(1);
    });

    it('writes no exemplars when exemplars is false', async () => {
      const mw = createModelwatch({ defaultMetrics: false, exemplars: false });
      const server = createServer(mw.http((request, response) => (request.url === '/metrics' ? mw.metricsHandler(request, response) : response.end('ok'))));
      servers.push(server);
      const base = await listenLoopback(server);
      await send(`${base}/work`);

      const openMetrics = parseExposition((await send(`${base}/metrics`, { headers: { Accept: PROMETHEUS_ACCEPT } })).text);
      expect(valueOf(openMetrics.samples, 'http_server_request_duration_seconds_count')).toBe(1);
      expect(openMetrics.samples.filter((s) => s.exemplar !== undefined)).toEqual([]);
    });
  });

  describe('large scrapes', () => {
    it.each<{ encoding: string; headers: Record<string, string> }>([
      { encoding: 'plain', headers: {} },
      { encoding: 'gzip', headers: { 'Accept-Encoding': 'gzip' } },
    ])('streams an exposition of many MB ($encoding) with the same bytes as mw.metrics()', async ({ headers }) => {
      // ~8 MB: far more than the socket and zlib buffer, so chunks are written, handed back and reused many times over.
      const { mw, url } = await serve({ seriesCaps: { genAiOperationDuration: 5000 } });
      const { aiDuration } = mw.instruments;
      for (let i = 0; i < 3000; i++) aiDuration.observe(aiDuration.series(['chat', 'openai', `model-${i}`, '']), (i % 100) / 10);
      const expected = await mw.metrics();
      expect(expected.length).toBeGreaterThan(8_000_000);

      const response = await send(url, { headers });
      const body = response.headers['content-encoding'] === 'gzip' ? gunzipSync(response.body) : response.body;
      expect(body.toString('utf8')).toBe(expected);
    });

    it('stops serialising when the scraper hangs up mid-body', async () => {
      let yielded = 0;
      let closed = false;
      async function* endless(): AsyncGenerator<string> {
        try {
          for (;;) {
            yielded++;
            yield `# ${'x'.repeat(64 * 1024)}\n`;
          }
        } finally {
          closed = true;
        }
      }
      const server = createServer(createMetricsHandler(endless));
      servers.push(server);
      const url = `${await listenLoopback(server)}/metrics`;

      const pending = startRequest(url);
      await vi.waitUntil(() => yielded > 20);
      await pending.abort();
      await vi.waitUntil(() => closed);
      const atClose = yielded;
      // Once the server has let go of the connection, the handler has nothing left to pull.
      await vi.waitUntil(() => new Promise<boolean>((resolve) => server.getConnections((_error, count) => resolve(count === 0))));
      expect(yielded).toBe(atClose);
    });
  });

  describe('failures', () => {
    it.each([
      { stage: 'before the first chunk', answer: 'status 500' },
      { stage: 'after the first chunk', answer: 'a cut connection (ECONNRESET)' },
    ])('answers a serialisation failure $stage with $answer, and the next scrape still works', async ({ stage, answer }) => {
      let failing = true;
      async function* source(): AsyncGenerator<string> {
        if (!failing) return yield 'up 1\n';
        if (stage === 'after the first chunk') yield 'partial 1\n';
        throw new Error('serialisation failed');
      }
      const server = createServer(createMetricsHandler(source));
      servers.push(server);
      const url = `${await listenLoopback(server)}/metrics`;

      const failed = await send(url, { headers: { 'Accept-Encoding': 'gzip' } }).then(
        (response) => `status ${response.status}`,
        (error: NodeJS.ErrnoException) => `a cut connection (${String(error.code)})`,
      );
      expect(failed).toBe(answer);

      failing = false;
      const response = await send(url);
      expect(response.status).toBe(200);
      expect(response.text).toBe('up 1\n');
      expect(response.headers['content-encoding']).toBeUndefined();
    });
  });
});
