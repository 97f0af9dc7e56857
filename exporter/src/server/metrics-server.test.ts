import { afterEach, describe, expect, it } from 'vitest';
import { createModelwatch } from '../modelwatch';
import type { MetricsServer } from './metrics-server';
import { parseExposition, valueOf } from '@modelwatch/testkit';
import { send } from '../test-support/http-client';

describe('standalone metrics server', () => {
  const running: MetricsServer[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).filter((s) => s.server.listening).map((s) => s.close()));
  });

  async function start(options: Parameters<ReturnType<typeof createModelwatch>['startMetricsServer']>[0]) {
    const mw = createModelwatch({ defaultMetrics: false, memoryLimitBytes: 512 * 1024 * 1024 });
    const server = await mw.startMetricsServer(options);
    running.push(server);
    return { mw, server };
  }

  it('listens on loopback only unless a host is given, so the metrics stay off the network by default', async () => {
    const { server } = await start({ port: 0 });
    expect(server.server.address()).toMatchObject({ address: '127.0.0.1' });
    const { server: widened } = await start({ port: 0, host: '0.0.0.0' });
    expect(widened.server.address()).toMatchObject({ address: '0.0.0.0' });
  });

  it('listens on the given host and a free port, and reports the metrics URL', async () => {
    const { server } = await start({ port: 0, host: '127.0.0.1' });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    expect(server.url).not.toBe('http://127.0.0.1:0/metrics');
  });

  it.each([
    { request: 'the metrics path', path: '/metrics' },
    { request: 'the metrics path with a query string', path: '/metrics?name[]=up' },
  ])('serves the exposition at $request', async ({ path }) => {
    const { mw, server } = await start({ port: 0, host: '127.0.0.1' });
    mw.observeCache('answers').miss();
    const response = await send(new URL(path, server.url).href);

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    const samples = parseExposition(response.text).samples;
    expect(valueOf(samples, 'modelwatch_process_memory_limit_bytes')).toBe(536870912);
    expect(valueOf(samples, 'modelwatch_cache_requests_total', { cache_name: 'answers', cache_result: 'miss' })).toBe(1);
  });

  it.each(['/', '/metrics/', '/metricsx', '/other'])('answers %s with 404 and where the metrics are', async (path) => {
    const { server } = await start({ port: 0, host: '127.0.0.1' });
    const response = await send(new URL(path, server.url).href);

    expect(response.status).toBe(404);
    expect(response.text).toBe('Not Found: metrics are at /metrics\n');
  });

  it('serves a custom path, and 404s the default one', async () => {
    const { server } = await start({ port: 0, host: '127.0.0.1', path: '/prometheus' });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/prometheus$/);

    expect((await send(server.url)).status).toBe(200);
    expect((await send(new URL('/metrics', server.url).href)).status).toBe(404);
  });

  it('applies the instance metricsEndpoint options (auth)', async () => {
    const mw = createModelwatch({ defaultMetrics: false, metricsEndpoint: { auth: { bearerToken: 'scrape-me' } } });
    const server = await mw.startMetricsServer({ port: 0, host: '127.0.0.1' });
    running.push(server);

    expect((await send(server.url)).status).toBe(401);
    expect((await send(server.url, { headers: { Authorization: 'Bearer scrape-me' } })).status).toBe(200);
  });

  it('stops accepting connections once close() resolves', async () => {
    const { server } = await start({ port: 0, host: '127.0.0.1' });
    expect((await send(server.url)).status).toBe(200);

    await server.close();
    expect(server.server.listening).toBe(false);
    await expect(send(server.url)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('rejects when the port is taken, naming the error', async () => {
    const { server } = await start({ port: 0, host: '127.0.0.1' });
    const port = Number(new URL(server.url).port);

    await expect(createModelwatch({ defaultMetrics: false }).startMetricsServer({ port, host: '127.0.0.1' })).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });
});
