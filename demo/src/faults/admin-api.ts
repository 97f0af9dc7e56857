import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type Request, type RequestHandler, type Router } from 'express';
import { FaultRequestError, parseFaultRequest, type FaultTargets } from './parse-request';
import { FaultUnavailableError, type FaultRegistry } from './registry';

/**
 * `/admin/faults`: inject (POST), list (GET) and heal (DELETE /:id) faults.
 * Requires `Authorization: Bearer <ADMIN_TOKEN>`; without a configured token
 * the whole admin API answers 404, as if it did not exist.
 */
export function adminRouter(registry: FaultRegistry, targets: FaultTargets, token: string | undefined): Router {
  const router = express.Router();
  if (!token) {
    router.use((_req, res) => {
      res.status(404).json({ error: 'Admin API disabled: set ADMIN_TOKEN to enable it' });
    });
    return router;
  }
  router.use(requireBearer(token));
  router.use(express.json({ limit: '16kb' }));

  router.post('/faults', async (req, res) => {
    try {
      const fault = await registry.inject(parseFaultRequest(req.body, targets));
      res.status(201).json(fault);
    } catch (error) {
      if (error instanceof FaultRequestError) res.status(400).json({ error: error.message });
      else if (error instanceof FaultUnavailableError) res.status(409).json({ error: error.message });
      else throw error;
    }
  });
  router.get('/faults', (_req, res) => {
    res.json({ faults: registry.list() });
  });
  router.delete('/faults/:id', (req, res) => {
    if (registry.heal(req.params.id)) res.status(204).end();
    else res.status(404).json({ error: `No active fault ${JSON.stringify(req.params.id)}` });
  });
  return router;
}

/** Compares digests in constant time, so response timing reveals nothing about the token. */
function requireBearer(token: string): RequestHandler {
  const expected = digest(token);
  return (req: Request, res, next) => {
    const match = /^Bearer\s+(.+)$/i.exec(req.get('authorization') ?? '');
    if (match?.[1] && timingSafeEqual(digest(match[1].trim()), expected)) {
      next();
      return;
    }
    res.status(401).set('WWW-Authenticate', 'Bearer realm="modelwatch-demo-admin"').json({ error: 'Missing or invalid admin token (Authorization: Bearer <ADMIN_TOKEN>)' });
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
