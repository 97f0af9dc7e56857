import type { RequestHandler } from 'express';

/** The body of a response the `http_errors` fault produced. */
export const INJECTED_ERROR_BODY = { error: 'Internal server error (injected http_errors fault)' } as const;

/**
 * The `http_errors` fault: a route-level gate in front of each handler answers
 * 500 on a route under fault. It sits on the route itself (not in front of the
 * router) so the request is recorded under its route template, as a real bug would be.
 */
export class RouteFaults {
  private readonly active = new Map<symbol, { route: string; probability: number }>();

  add(route: string, probability: number): () => void {
    const key = Symbol(route);
    this.active.set(key, { route, probability });
    return () => this.active.delete(key);
  }

  /** The share of requests to `route` that fail now (the strongest fault wins). */
  probability(route: string): number {
    let max = 0;
    for (const fault of this.active.values()) if (fault.route === route) max = Math.max(max, fault.probability);
    return max;
  }

  gate(route: string): RequestHandler {
    return (_req, res, next) => {
      const probability = this.probability(route);
      if (probability > 0 && Math.random() < probability) {
        res.status(500).json(INJECTED_ERROR_BODY);
        return;
      }
      next();
    };
  }
}
