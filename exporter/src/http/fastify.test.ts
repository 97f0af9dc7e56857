import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { createModelwatch } from '../modelwatch';
import { modelwatchFastify, type FastifyOptions } from '../fastify';
import { parseExposition, seriesOf, valueOf, type Sample } from '@modelwatch/testkit';
import { deferred, delay, sendAndAbort } from '../test-support/http-client';
import { keysAdded, ownKeysOf, type OwnKeys } from '../test-support/own-keys';
import { scrape } from '../test-support/scrape';

const DURATION = 'http_server_request_duration_seconds';
const ACTIVE = 'http_server_active_requests';

describe('Fastify plugin', () => {
  const apps: FastifyInstance[] = [];
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });

  async function start(addRoutes: (app: FastifyInstance) => void | Promise<void>, options: FastifyOptions = { metricsPath: '/metrics' }) {
    const mw = createModelwatch({ defaultMetrics: false });
    const app = Fastify();
    apps.push(app);
    await app.register(modelwatchFastify(mw), options);
    await addRoutes(app);
    await app.ready();
    return {
      app,
      scrape: async (): Promise<Sample[]> => {
        const response = await app.inject({ method: 'GET', url: '/metrics' });
        expect(response.statusCode).toBe(200);
        return parseExposition(response.body).samples;
      },
    };
  }

  describe('route label', () => {
    it('labels requests with the route template from routeOptions.url, one series for all ids', async () => {
      const { app, scrape } = await start((a) => {
        a.get('/users/:id', async () => 'user');
      });
      for (const id of ['1', '2', '3?expand=true']) expect((await app.inject(`/users/${id}`)).statusCode).toBe(200);

      const samples = await scrape();
      expect(seriesOf(samples, DURATION)).toEqual([{ http_request_method: 'GET', http_route: '/users/:id', http_response_status_code: '200' }]);
      expect(valueOf(samples, `${DURATION}_count`)).toBe(3);
    });

    it('includes the prefix of an encapsulated plugin in the template', async () => {
      const { app, scrape } = await start(async (a) => {
        await a.register(
          async (child) => {
            child.get('/items/:itemId', async () => 'item');
          },
          { prefix: '/api' },
        );
      });
      await app.inject('/api/items/1');
      await app.inject('/api/items/2');

      const samples = await scrape();
      expect(seriesOf(samples, DURATION)).toEqual([{ http_request_method: 'GET', http_route: '/api/items/:itemId', http_response_status_code: '200' }]);
      expect(valueOf(samples, `${DURATION}_count`)).toBe(2);
    });

    it('folds 50 requests to random paths into one _unmatched series with status 404', async () => {
      const { app, scrape } = await start((a) => {
        a.get('/users/:id', async () => 'user');
      });
      for (let i = 0; i < 50; i++) expect((await app.inject(`/${randomUUID()}/${i}`)).statusCode).toBe(404);

      const samples = await scrape();
      expect(seriesOf(samples, DURATION)).toEqual([{ http_request_method: 'GET', http_route: '_unmatched', http_response_status_code: '404' }]);
      expect(valueOf(samples, `${DURATION}_count`)).toBe(50);
    });
  });

  describe('status codes and methods', () => {
    it.each([
      { request: 'a GET to a throwing handler', method: 'GET', url: '/boom', labels: ['GET', '/boom', '500'] },
      { request: 'a POST answered 201', method: 'POST', url: '/users', labels: ['POST', '/users', '201'] },
      { request: 'a DELETE answered 204', method: 'DELETE', url: '/users/4', labels: ['DELETE', '/users/:id', '204'] },
    ] as const)('records $request as method $labels.0, route $labels.1, status $labels.2', async ({ method, url, labels }) => {
      const { app, scrape } = await start((a) => {
        a.get('/boom', async () => {
          throw new Error('boom');
        });
        a.post('/users', async (_request, reply) => reply.code(201).send('created'));
        a.delete('/users/:id', async (_request, reply) => reply.code(204).send());
      });
      expect((await app.inject({ method, url })).statusCode).toBe(Number(labels[2]));

      const samples = await scrape();
      const [http_request_method, http_route, http_response_status_code] = labels;
      expect(seriesOf(samples, DURATION)).toEqual([{ http_request_method, http_route, http_response_status_code }]);
      expect(valueOf(samples, `${DURATION}_count`)).toBe(1);
    });
  });

  describe('per-route opt-out', () => {
    it('does not record a route configured with modelwatch: false and records its neighbours', async () => {
      const { app, scrape } = await start((a) => {
        a.get('/healthz', { config: { modelwatch: false } }, async () => 'ok');
        a.get('/users/:id', async () => 'user');
      });
      await app.inject('/healthz');
      await app.inject('/healthz');
      await app.inject('/users/1');

      const samples = await scrape();
      expect(seriesOf(samples, DURATION)).toEqual([{ http_request_method: 'GET', http_route: '/users/:id', http_response_status_code: '200' }]);
      expect(valueOf(samples, `${DURATION}_count`)).toBe(1);
    });
  });

  describe('metricsPath', () => {
    it('serves the exposition in the Prometheus text format', async () => {
      const { app } = await start(() => undefined);
      const response = await app.inject('/metrics');

      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
      const exposition = parseExposition(response.body);
      expect(exposition.types.get(ACTIVE)).toBe('gauge');
      expect(valueOf(exposition.samples, ACTIVE)).toBe(0);
    });

    it('is not recorded even when ignorePaths is empty (the route opts itself out)', async () => {
      const { scrape } = await start(() => undefined, { metricsPath: '/metrics', ignorePaths: [] });
      await scrape();
      await scrape();

      const samples = await scrape();
      expect(seriesOf(samples, DURATION)).toEqual([]);
      expect(valueOf(samples, ACTIVE)).toBe(0);
    });

    it('is not served when metricsPath is not set', async () => {
      const { app } = await start(() => undefined, {});
      expect((await app.inject('/metrics')).statusCode).toBe(404);
    });
  });

  describe('aborted requests', () => {
    it('records a request whose client left after 50 ms once, with status 499, on a real socket', async () => {
      const handlerDone = deferred();
      const { app } = await start((a) => {
        a.get('/slow', async (_request, reply) => {
          const closed = new Promise<void>((resolve) => reply.raw.once('close', () => resolve()));
          await delay(300);
          reply.send('too late');
          await closed;
          handlerDone.resolve();
          return reply;
        });
      });
      const base = await app.listen({ port: 0, host: '127.0.0.1' });

      await sendAndAbort(`${base}/slow`, 50);
      await handlerDone.promise;

      const samples = await scrape(`${base}/metrics`);
      expect(seriesOf(samples, DURATION)).toEqual([{ http_request_method: 'GET', http_route: '/slow', http_response_status_code: '499' }]);
      expect(valueOf(samples, `${DURATION}_count`)).toBe(1);
      expect(valueOf(samples, ACTIVE)).toBe(0);
    });
  });

  describe("the app's own objects", () => {
    /** Adds a route whose raw request and response own keys are read when the response finishes; returns the reader. */
    function keysRoute(app: FastifyInstance): () => OwnKeys | undefined {
      let keys: OwnKeys | undefined;
      app.get('/users/:id', (request, reply) => {
        reply.raw.on('finish', () => (keys = ownKeysOf(request.raw, reply.raw)));
        reply.send('user');
      });
      return () => keys;
    }

    async function ownKeysAtFinish(app: FastifyInstance, keys: () => OwnKeys | undefined): Promise<OwnKeys> {
      expect((await app.inject({ method: 'GET', url: '/users/1' })).statusCode).toBe(200);
      return keys() as OwnKeys;
    }

    it('adds no property to the raw request or response', async () => {
      const bareApp = Fastify();
      apps.push(bareApp);
      const bare = await ownKeysAtFinish(bareApp, keysRoute(bareApp));
      let instrumentedKeys: () => OwnKeys | undefined = () => undefined;
      const { app } = await start((a) => {
        instrumentedKeys = keysRoute(a);
      });
      const instrumented = await ownKeysAtFinish(app, instrumentedKeys);

      expect(keysAdded(bare, instrumented)).toEqual({ request: [], response: [] });
      expect(bare.request).toContain('url');
    });
  });
});
