import type { RequestHandler } from 'express';
import { sleep } from '../shared/sleep';

/** Paths served while draining: Prometheus gets its last scrape, the orchestrator its liveness answer. */
const SERVED_WHILE_DRAINING = new Set(['/metrics', '/healthz', '/readyz']);

/**
 * Readiness and graceful shutdown. While draining, `/readyz` says 503 so load
 * balancers stop sending traffic, new business requests get 503 with
 * `Connection: close`, `/metrics` keeps answering, and in-flight requests
 * finish (up to a bound).
 */
export class Lifecycle {
  private state: 'starting' | 'ready' | 'draining' = 'starting';
  private inFlight = 0;

  get ready(): boolean {
    return this.state === 'ready';
  }

  get draining(): boolean {
    return this.state === 'draining';
  }

  get inFlightRequests(): number {
    return this.inFlight;
  }

  markReady(): void {
    if (this.state === 'starting') this.state = 'ready';
  }

  /** Counts business requests in flight and turns new ones away while draining. */
  readonly middleware: RequestHandler = (req, res, next) => {
    if (SERVED_WHILE_DRAINING.has(req.path)) return next();
    if (this.state === 'draining') {
      res.status(503).set({ Connection: 'close', 'Retry-After': '5' }).json({ error: 'Service is shutting down; retry on another instance' });
      return;
    }
    this.inFlight++;
    let counted = true;
    res.once('close', () => {
      if (counted) this.inFlight--;
      counted = false;
    });
    next();
  };

  /** Starts draining and resolves when no request is in flight or `timeoutMs` passed; true when all finished. */
  async drain(timeoutMs: number): Promise<boolean> {
    this.state = 'draining';
    const deadline = performance.now() + timeoutMs;
    while (this.inFlight > 0 && performance.now() < deadline) await sleep(25);
    return this.inFlight === 0;
  }
}
