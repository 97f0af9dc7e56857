import { createServer, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createModelwatch } from '../modelwatch';
import type { NodeHttpOptions } from './node-http';
import { routeMatcher } from './node-http';
import { seriesOf, valueOf } from '@modelwatch/testkit';
import { closeServer, listenLoopback, send } from '../test-support/http-client';
import { scrape } from '../test-support/scrape';

const DURATION = 'http_server_request_duration_seconds';

describe('node:http wrapper', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map(closeServer));
  });

  /** A plain listener: /metrics serves the exposition, everything else answers 200. */
  async function start(options: NodeHttpOptions) {
    const mw = createModelwatch({ defaultMetrics: false });
    const listener: RequestListener = (request, response) => {
      if (request.url === '/metrics') return mw.metricsHandler(request, response);
      response.end('ok');
    };
    const server = createServer(mw.http(listener, options));
    servers.push(server);
    const base = await listenLoopback(server);
    return { base, scrape: () => scrape(`${base}/metrics`) };
  }

  const ROUTES = ['/users/:id', '/users/:id/orders/:orderId', '/static/*', '/'];

  it.each([
    { requests: 'two user ids', paths: ['/users/1', '/users/2'], route: '/users/:id' },
    { requests: 'query strings', paths: ['/users/1?tab=orders&x=%2F', '/users/2?'], route: '/users/:id' },
    { requests: 'a trailing slash', paths: ['/users/1/'], route: '/users/:id' },
    { requests: 'two parameters', paths: ['/users/1/orders/9', '/users/2/orders/10'], route: '/users/:id/orders/:orderId' },
    { requests: 'a wildcard of any depth', paths: ['/static/app.js', '/static/img/logo.svg'], route: '/static/*' },
    { requests: 'the root', paths: ['/', '/?ref=home'], route: '/' },
    { requests: 'paths no template matches', paths: ['/users', '/users/1/avatar', '/nothing/1', '/static'], route: '_unmatched' },
  ])('labels $requests with $route', async ({ paths, route }) => {
    const app = await start({ routes: ROUTES });
    for (const path of paths) expect((await send(app.base + path)).status).toBe(200);

    const samples = await app.scrape();
    expect(seriesOf(samples, DURATION)).toEqual([{ http_request_method: 'GET', http_route: route, http_response_status_code: '200' }]);
    expect(valueOf(samples, `${DURATION}_count`)).toBe(paths.length);
  });

  it('records every request as _unmatched when no routes are given', async () => {
    const app = await start({});
    await send(`${app.base}/users/1`);
    await send(`${app.base}/users/2`);

    const samples = await app.scrape();
    expect(seriesOf(samples, DURATION)).toEqual([{ http_request_method: 'GET', http_route: '_unmatched', http_response_status_code: '200' }]);
    expect(valueOf(samples, `${DURATION}_count`)).toBe(2);
  });

  it('prefers the route option over the templates, and falls back to them when it returns undefined', async () => {
    const route = (request: IncomingMessage) => (request.url?.startsWith('/v2/') ? '/v2/{resource}' : undefined);
    const app = await start({ routes: ROUTES, route });
    await send(`${app.base}/v2/users/1`);
    await send(`${app.base}/v2/anything`);
    await send(`${app.base}/users/3`);

    const samples = await app.scrape();
    expect(valueOf(samples, `${DURATION}_count`, { http_route: '/v2/{resource}' })).toBe(2);
    expect(valueOf(samples, `${DURATION}_count`, { http_route: '/users/:id' })).toBe(1);
    expect(seriesOf(samples, DURATION)).toHaveLength(2);
  });

  it('records status codes the listener sets, with the route template', async () => {
    const mw = createModelwatch({ defaultMetrics: false });
    const server = createServer(
      mw.http(
        (request, response) => {
          if (request.url === '/metrics') return mw.metricsHandler(request, response);
          response.writeHead(request.method === 'POST' ? 201 : 503).end();
        },
        { routes: ['/jobs/:id'] },
      ),
    );
    servers.push(server);
    const base = await listenLoopback(server);
    await send(`${base}/jobs/1`, { method: 'POST' });
    await send(`${base}/jobs/2`);
    await send(`${base}/jobs/3`, { method: 'PURGE' });

    const samples = await scrape(`${base}/metrics`);
    expect(seriesOf(samples, DURATION)).toEqual([
      { http_request_method: 'POST', http_route: '/jobs/:id', http_response_status_code: '201' },
      { http_request_method: 'GET', http_route: '/jobs/:id', http_response_status_code: '503' },
      { http_request_method: '_OTHER', http_route: '/jobs/:id', http_response_status_code: '503' },
    ]);
  });
});

describe('routeMatcher', () => {
  it.each([
    { url: '/a.b/1', expected: '/a.b/:id' },
    { url: '/axb/1', expected: undefined },
    { url: '/files/x/y/z?download=1', expected: '/files/*' },
    { url: undefined, expected: undefined },
  ])('matches $url to $expected, treating template characters literally', ({ url, expected }) => {
    const match = routeMatcher(['/a.b/:id', '/files/*']);
    expect(match(url)).toBe(expected);
  });

  it('returns the first template that matches, in the order given', () => {
    expect(routeMatcher(['/users/me', '/users/:id'])('/users/me')).toBe('/users/me');
    expect(routeMatcher(['/users/:id', '/users/me'])('/users/me')).toBe('/users/:id');
  });
});
