import express from 'express';
import express4 from 'express4';
import type { Express } from 'express';
import { describe, expect, it } from 'vitest';
import { createModelwatch } from '../modelwatch';
import { loopbackServers, send } from '../test-support/http-client';
import { WARNING_CODE, type ModelwatchWarning } from '../warnings/warnings';

const EXPRESS_VERSIONS = [
  { version: 'Express 5', createApp: () => express(), createRouter: () => express.Router() },
  { version: 'Express 4', createApp: () => express4() as unknown as Express, createRouter: () => express4.Router() as unknown as express.Router },
];

describe.each(EXPRESS_VERSIONS)('$version: routes mounted before the middleware', ({ createApp, createRouter }) => {
  const serve = loopbackServers();

  /** An instance whose route-order warnings land in `warnings` (other codes, such as a second instance, are not this test's). */
  function instance() {
    const warnings: ModelwatchWarning[] = [];
    const warn = (warning: ModelwatchWarning) => void (warning.code === WARNING_CODE.expressRoutesBeforeMiddleware && warnings.push(warning));
    return { mw: createModelwatch({ defaultMetrics: false, warn }), warnings };
  }

  it('are named in one warning when the first scrape arrives, even though no request reached the middleware', async () => {
    const { mw, warnings } = instance();
    const app = createApp();
    app.get('/metrics', mw.metricsHandler);
    app.get('/users/:id', (req, res) => void res.json({ id: req.params.id }));
    const orders = createRouter();
    orders.post('/:orderId', (_req, res) => void res.end());
    app.use('/orders', orders);
    app.use(mw.express());
    const base = await serve(app);
    await send(`${base}/users/1`);
    expect(warnings).toEqual([]); // nothing has reached Modelwatch yet
    await send(`${base}/metrics`);
    await send(`${base}/metrics`);
    expect(warnings).toEqual([
      {
        code: 'MODELWATCH_EXPRESS_ROUTES_BEFORE_MIDDLEWARE',
        message:
          'Express routes registered before app.use(mw.express()) are never recorded: GET /users/:id, POST /:orderId. ' +
          'Mount the middleware before the routes (and routers). To leave a route out on purpose, list its path in ignorePaths.',
      },
    ]);
  });

  it('are found by the middleware itself on the first request it sees', async () => {
    const { mw, warnings } = instance();
    const app = createApp();
    app.get('/healthz', (_req, res) => void res.end('ok'));
    app.use(mw.express());
    app.get('/users/:id', (req, res) => void res.json({ id: req.params.id }));
    await send(`${await serve(app)}/users/1`);
    expect(warnings.map((w) => w.message)).toEqual([expect.stringContaining('never recorded: GET /healthz.')]);
  });

  it('are not reported when they are on ignored paths (the metrics route by default)', async () => {
    const { mw, warnings } = instance();
    const app = createApp();
    app.get('/metrics', mw.metricsHandler);
    app.get('/healthz', (_req, res) => void res.end('ok'));
    app.use(mw.express({ ignorePaths: ['/metrics', '/healthz'] }));
    app.get('/users/:id', (req, res) => void res.json({ id: req.params.id }));
    const base = await serve(app);
    await send(`${base}/users/1`);
    await send(`${base}/metrics`);
    expect(warnings).toEqual([]);
  });

  it('are not reported when the middleware comes first', async () => {
    const { mw, warnings } = instance();
    const app = createApp();
    app.use(mw.express());
    app.get('/metrics', mw.metricsHandler);
    app.get('/users/:id', (req, res) => void res.json({ id: req.params.id }));
    const base = await serve(app);
    await send(`${base}/users/1`);
    await send(`${base}/metrics`);
    expect(warnings).toEqual([]);
  });
});
