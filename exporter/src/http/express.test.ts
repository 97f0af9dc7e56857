import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import express from 'express';
import express4 from 'express4';
import type { Express, NextFunction, Request, Response, Router } from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { HTTP_DURATION_BUCKETS } from '@modelwatch/conventions';
import { createModelwatch } from '../modelwatch';
import type { HttpOptions } from './options';
import { histogramOf, parseExposition, seriesOf, valueOf } from '@modelwatch/testkit';
import { closeServer, delay, listenLoopback, send, sendAndAbort, startRequest } from '../test-support/http-client';
import { keysAdded, ownKeysOf, type OwnKeys } from '../test-support/own-keys';
import { scrape, until } from '../test-support/scrape';

const DURATION = 'http_server_request_duration_seconds';
const ACTIVE = 'http_server_active_requests';

const EXPRESS_VERSIONS = [
  { version: 'Express 5', createApp: () => express(), createRouter: () => express.Router(), optionalParameterPath: '/orgs{/:orgId}' },
  { version: 'Express 4', createApp: () => express4(), createRouter: () => express4.Router(), optionalParameterPath: '/orgs/:orgId?' },
];

describe.each(EXPRESS_VERSIONS)('$version middleware', ({ createApp, createRouter, optionalParameterPath }) => {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map(closeServer));
  });

  /** An app with the middleware first, /metrics next, then the test's routes and an error handler. */
  async function start(addRoutes: (app: Express, router: () => Router) => void, http?: HttpOptions) {
    const mw = createModelwatch({ defaultMetrics: false });
    const app = createApp();
    app.use(mw.express(http));
    app.get('/metrics', mw.metricsHandler);
    addRoutes(app, createRouter);
    app.use((_error: unknown, _req: Request, res: Response, _next: NextFunction) => {
      res.status(500).send('failed');
    });
    const server = createServer(app);
    servers.push(server);
    const base = await listenLoopback(server);
    return { base, mw, scrape: () => scrape(`${base}/metrics`) };
  }

  /** Every routing shape the route-label cases hit. */
  function routingShapes(app: Express, router: () => Router) {
    const admin = createApp();
    admin.get('/stats/:day', (_req, res) => {
      res.send('stats');
    });
    app.use('/admin', admin);
    app.get('/users/:id', (_req, res) => {
      res.send('user');
    });
    const api = router();
    api.get('/', (_req, res) => {
      res.send('api root');
    });
    api.get('/items/:itemId', (_req, res) => {
      res.send('item');
    });
    const v1 = router();
    v1.get('/orders/:orderId', (_req, res) => {
      res.send('order');
    });
    api.use('/v1', v1);
    app.use('/api', api);
  }

  describe('route label', () => {
    it.each([
      { shape: 'a route with a parameter', paths: ['/users/1', '/users/2'], route: '/users/:id' },
      { shape: 'a route of a router mounted at /api', paths: ['/api/items/7', '/api/items/8?x=1'], route: '/api/items/:itemId' },
      { shape: 'a route of a router nested two levels deep', paths: ['/api/v1/orders/9', '/api/v1/orders/10'], route: '/api/v1/orders/:orderId' },
      { shape: 'the root route of a mounted router', paths: ['/api', '/api/'], route: '/api' },
      { shape: 'a route of a mounted sub-app', paths: ['/admin/stats/monday', '/admin/stats/tuesday'], route: '/admin/stats/:day' },
    ])('labels $shape with its full template, one series for all its paths', async ({ paths, route }) => {
      const app = await start(routingShapes);
      for (const path of paths) expect((await send(app.base + path)).status).toBe(200);

      const samples = await app.scrape();
      expect(seriesOf(samples, DURATION)).toEqual([{ http_request_method: 'GET', http_route: route, http_response_status_code: '200' }]);
      expect(valueOf(samples, `${DURATION}_count`, { http_route: route })).toBe(paths.length);
    });
  });

  describe('unmatched requests', () => {
    it('folds a flood of 50 random paths into one _unmatched series', async () => {
      const app = await start(routingShapes);
      // Half at the top level, half inside the mounted router (which matches none of them either).
      for (let i = 0; i < 50; i++) {
        const path = i % 2 === 0 ? `/${randomUUID()}` : `/api/${randomUUID()}/${i}`;
        expect((await send(app.base + path)).status).toBe(404);
      }

      const samples = await app.scrape();
      expect(seriesOf(samples, DURATION)).toEqual([{ http_request_method: 'GET', http_route: '_unmatched', http_response_status_code: '404' }]);
      expect(valueOf(samples, `${DURATION}_count`)).toBe(50);
    });
  });

  describe('status codes and methods', () => {
    function routes(app: Express, router: () => Router) {
      app.get('/boom', () => {
        throw new Error('boom');
      });
      const api = router();
      api.get('/fail/:n', () => {
        throw new Error('fail');
      });
      app.use('/api', api);
      app.get('/users/:id', (_req, res) => {
        res.send('user');
      });
      app.post('/users', (_req, res) => {
        res.status(201).send('created');
      });
      app.put('/users/:id', (_req, res) => {
        res.status(204).end();
      });
      app.all('/anything', (_req, res) => {
        res.send('any method');
      });
    }

    it.each([
      { request: 'a GET to a throwing handler', method: 'GET', path: '/boom', labels: ['GET', '/boom', '500'] },
      { request: 'a GET to a throwing handler of a mounted router', method: 'GET', path: '/api/fail/3', labels: ['GET', '/api/fail/:n', '500'] },
      { request: 'a POST', method: 'POST', path: '/users', labels: ['POST', '/users', '201'] },
      { request: 'a PUT', method: 'PUT', path: '/users/5', labels: ['PUT', '/users/:id', '204'] },
      { request: 'a HEAD to a GET route', method: 'HEAD', path: '/users/5', labels: ['HEAD', '/users/:id', '200'] },
      { request: 'a PURGE to an app.all route', method: 'PURGE', path: '/anything', labels: ['_OTHER', '/anything', '200'] },
      { request: 'a PURGE to no route', method: 'PURGE', path: '/users', labels: ['_OTHER', '_unmatched', '404'] },
    ])('records $request as method $labels.0, route $labels.1, status $labels.2', async ({ method, path, labels }) => {
      const app = await start(routes);
      const response = await send(app.base + path, { method });
      expect(response.status).toBe(Number(labels[2]));

      const samples = await app.scrape();
      const [http_request_method, http_route, http_response_status_code] = labels as [string, string, string];
      expect(seriesOf(samples, DURATION)).toEqual([{ http_request_method, http_route, http_response_status_code }]);
      expect(valueOf(samples, `${DURATION}_count`)).toBe(1);
    });
  });

  describe('aborted requests', () => {
    it('records a request whose client left after 50 ms once, with status 499', async () => {
      let handlerDone!: Promise<void>;
      const app = await start((a) => {
        a.get('/slow', (_req, res) => {
          const closed = new Promise<void>((resolve) => res.once('close', () => resolve()));
          handlerDone = delay(300).then(() => {
            res.send('too late');
            return closed;
          });
        });
      });

      await sendAndAbort(`${app.base}/slow`, 50);
      await handlerDone;

      const samples = await app.scrape();
      expect(seriesOf(samples, DURATION)).toEqual([{ http_request_method: 'GET', http_route: '/slow', http_response_status_code: '499' }]);
      expect(valueOf(samples, `${DURATION}_count`)).toBe(1);
      expect(valueOf(samples, ACTIVE)).toBe(0);
    });

    it('counts requests in flight and returns to exactly 0 after a mix of aborted and finished requests', async () => {
      const held = new Map<string, { release: () => void; closed: Promise<void> }>();
      const app = await start((a) => {
        a.get('/hold', (req, res) => {
          const closed = new Promise<void>((resolve) => res.once('close', () => resolve()));
          held.set(String(req.query.id), { release: () => res.send('released'), closed });
        });
      });
      const ids = ['a1', 'a2', 'a3', 'f1', 'f2', 'f3'];
      const clients = new Map(ids.map((id) => [id, startRequest(`${app.base}/hold?id=${id}`)]));
      await until(() => held.size === ids.length, 'six requests in their handler');

      expect(valueOf(await app.scrape(), ACTIVE)).toBe(6);

      const aborted = ['a1', 'a2', 'a3'];
      for (const id of aborted) await clients.get(id)!.abort();
      // The server saw each abort (the observer's close listener runs before the handler's) …
      await Promise.all(aborted.map((id) => held.get(id)!.closed));
      expect(valueOf(await app.scrape(), ACTIVE)).toBe(3);
      // … so releasing every handler now, aborted ones included, must not record anything twice.
      for (const entry of held.values()) entry.release();
      for (const id of ['f1', 'f2', 'f3']) expect((await clients.get(id)!.response).status).toBe(200);
      await Promise.all([...held.values()].map((entry) => entry.closed));

      const samples = await app.scrape();
      expect(valueOf(samples, ACTIVE)).toBe(0);
      expect(valueOf(samples, `${DURATION}_count`, { http_route: '/hold', http_response_status_code: '499' })).toBe(3);
      expect(valueOf(samples, `${DURATION}_count`, { http_route: '/hold', http_response_status_code: '200' })).toBe(3);
      expect(seriesOf(samples, DURATION)).toHaveLength(2);
    });
  });

  describe('the metrics endpoint itself', () => {
    it('is not recorded by default', async () => {
      const app = await start(() => undefined);
      await app.scrape();
      await app.scrape();

      const samples = await app.scrape();
      expect(seriesOf(samples, DURATION)).toEqual([]);
      expect(valueOf(samples, ACTIVE)).toBe(0);
    });

    it('is recorded when ignorePaths is empty', async () => {
      const app = await start(() => undefined, { ignorePaths: [] });
      const first = await app.scrape();
      // The first scrape is in flight while it is serialised.
      expect(valueOf(first, ACTIVE)).toBe(1);
      expect(seriesOf(first, DURATION)).toEqual([]);

      // Once the first scrape's response finished (read without an HTTP scrape, which would be recorded too) …
      const recorded = async () => seriesOf(parseExposition(await app.mw.metrics()).samples, DURATION).length === 1;
      await until(recorded, 'the first scrape to be recorded');
      // … the second scrape shows it, and is itself in flight.
      const second = await app.scrape();
      expect(seriesOf(second, DURATION)).toEqual([{ http_request_method: 'GET', http_route: '/metrics', http_response_status_code: '200' }]);
      expect(valueOf(second, `${DURATION}_count`)).toBe(1);
      expect(valueOf(second, ACTIVE)).toBe(1);
    });
  });

  describe('duration histogram', () => {
    it('puts three 30 ms requests above le=0.025 and in every bucket their client-side time bounds, with an exact count and a plausible sum', async () => {
      const app = await start((a) => {
        a.get('/wait', (_req, res) => {
          setTimeout(() => res.send('waited'), 30);
        });
      });
      // The server's time is within what the client waited, so a bucket the client's time fits must hold
      // the request; a loaded host stretches the client's time, never shrinks the server's below 30 ms.
      const clientSeconds: number[] = [];
      for (let i = 0; i < 3; i++) {
        const startedAt = performance.now();
        await send(`${app.base}/wait`);
        clientSeconds.push((performance.now() - startedAt) / 1000);
      }

      const histogram = histogramOf(await app.scrape(), DURATION, { http_route: '/wait' });
      expect([...histogram.buckets.keys()]).toEqual([...HTTP_DURATION_BUCKETS.map(String), '+Inf']);
      const cumulative = (le: string) => histogram.buckets.get(le)!;
      expect(['0.005', '0.01', '0.025'].map(cumulative)).toEqual([0, 0, 0]);
      for (const le of ['0.1', '0.25', '1', '10']) {
        expect(cumulative(le), `le=${le}`).toBeGreaterThanOrEqual(clientSeconds.filter((seconds) => seconds <= Number(le)).length);
      }
      expect(cumulative('+Inf')).toBe(3);
      expect(histogram.count).toBe(3);
      expect(histogram.sum).toBeGreaterThan(3 * 0.025);
      expect(histogram.sum).toBeLessThanOrEqual(clientSeconds.reduce((sum, seconds) => sum + seconds, 0));
    });
  });

  describe("the app's own objects", () => {
    /** Own keys of the request and response of one request, as they are when the response finishes. */
    async function ownKeysAtFinish(app: Express): Promise<OwnKeys> {
      let keys: OwnKeys | undefined;
      app.get('/users/:id', (req, res) => {
        res.on('finish', () => (keys = ownKeysOf(req, res)));
        res.send('user');
      });
      const server = createServer(app);
      servers.push(server);
      expect((await send(`${await listenLoopback(server)}/users/1`)).status).toBe(200);
      await until(() => keys !== undefined, 'the response to finish');
      return keys as OwnKeys;
    }

    it('adds no property to the request or the response (new keys would slow Express itself)', async () => {
      const bare = await ownKeysAtFinish(createApp());
      const instrumentedApp = createApp();
      instrumentedApp.use(createModelwatch({ defaultMetrics: false }).express());
      const instrumented = await ownKeysAtFinish(instrumentedApp);

      expect(keysAdded(bare, instrumented)).toEqual({ request: [], response: [] });
      // The comparison sees what Express itself adds, so it would see ours.
      expect(bare.request).toContain('params');
    });
  });

  describe('routers mounted at a path with parameters', () => {
    /** Sends each path (each must answer 200), then scrapes: the samples, and the route labels of the duration series, sorted. */
    async function routesAfter(served: Awaited<ReturnType<typeof start>>, paths: readonly string[]) {
      for (const path of paths) expect((await send(served.base + path)).status).toBe(200);
      const samples = await served.scrape();
      return { samples, routes: seriesOf(samples, DURATION).map((labels) => labels.http_route).sort() };
    }

    it('labels their routes with the mount template, never the ids in the path', async () => {
      const served = await start((app, router) => {
        const posts = router();
        posts.get('/posts/:postId', (_req, res) => {
          res.send('post');
        });
        const comments = router();
        comments.get('/', (_req, res) => {
          res.send('comments');
        });
        posts.use('/posts/:postId/comments', comments);
        // The same router under two mounts: each request gets the template of the mount it came through.
        app.use('/users/:userId', posts);
        app.use('/Teams/:teamId', posts);
        // A mount with an optional parameter is not read back: its label has the path matched, as documented.
        app.use(optionalParameterPath, posts);
      });

      const { samples, routes } = await routesAfter(served, ['/users/1/posts/2', '/users/3/posts/4', '/teams/5/posts/6', '/users/7/posts/8/comments', '/orgs/9/posts/10']);
      expect(routes).toEqual(['/Teams/:teamId/posts/:postId', '/orgs/9/posts/:postId', '/users/:userId/posts/:postId', '/users/:userId/posts/:postId/comments']);
      expect(valueOf(samples, `${DURATION}_count`, { http_route: '/users/:userId/posts/:postId' })).toBe(2);
    });

    it('labels the routes of sub-apps mounted there with the mount template too, at any depth', async () => {
      const served = await start((app, router) => {
        const tenant = createApp();
        tenant.get('/items/:itemId', (_req, res) => {
          res.send('item');
        });
        const reports = router();
        reports.get('/:year', (_req, res) => {
          res.send('report');
        });
        tenant.use('/reports/:kind', reports);
        const team = createApp();
        team.get('/', (_req, res) => {
          res.send('team');
        });
        tenant.use('/teams/:teamId', team);
        app.use('/tenants/:tenantId', tenant);
      });

      const { samples, routes } = await routesAfter(served, ['/tenants/acme/items/1', '/tenants/globex/items/2', '/tenants/acme/reports/sales/2026', '/tenants/acme/teams/red', '/tenants/initech/teams/blue']);
      expect(routes).toEqual(['/tenants/:tenantId/items/:itemId', '/tenants/:tenantId/reports/:kind/:year', '/tenants/:tenantId/teams/:teamId']);
      expect(valueOf(samples, `${DURATION}_count`, { http_route: '/tenants/:tenantId/teams/:teamId' })).toBe(2);
    });
  });
});
