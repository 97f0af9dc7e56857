import type { RequestHandler } from 'express';
import type { DemoStore } from '../../db/store';
import type { Lifecycle } from '../lifecycle';

/** `GET /healthz`: the process is alive (no dependency checked, so a slow database never gets it restarted). */
export const healthzRoute: RequestHandler = (_req, res) => {
  res.json({ status: 'ok' });
};

/** `GET /readyz`: 200 once started and until shutdown begins, and while the database answers. The cache is optional, so not checked. */
export function readyzRoute(lifecycle: Lifecycle, store: DemoStore, cacheBackend: string): RequestHandler {
  return async (_req, res) => {
    if (!lifecycle.ready) {
      res.status(503).json({ status: lifecycle.draining ? 'draining' : 'starting' });
      return;
    }
    try {
      await store.ping();
    } catch {
      res.status(503).json({ status: 'database unavailable', db: store.system });
      return;
    }
    res.json({ status: 'ready', db: store.system, cache: cacheBackend });
  };
}
