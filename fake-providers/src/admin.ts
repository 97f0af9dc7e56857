import type { IncomingMessage, ServerResponse } from 'node:http';
import { readJsonBody } from './body';
import type { Fault, FaultHandle } from './faults';
import type { ServerState } from './state';

/** Out-of-band control routes, for processes that share the fake over HTTP (the demo's traffic generator). */
export const ADMIN_PREFIX = '/_fake';

/**
 * - `GET /health` → `{ status: 'ok' }`
 * - `GET /_fake/requests` → the recent requests
 * - `GET /_fake/faults` → the active faults with their ids
 * - `POST /_fake/faults` with a fault as JSON → 201 `{ id, fault }` (400 naming an invalid field)
 * - `DELETE /_fake/faults` → clears all; `DELETE /_fake/faults/:id` → clears one
 */
export class AdminRoutes {
  readonly #handles = new Map<string, FaultHandle>();
  #nextId = 1;

  constructor(private readonly state: ServerState) {}

  /** Whether `path` is an admin route (answered by `handle`). */
  matches(path: string): boolean {
    return path === '/health' || path === ADMIN_PREFIX || path.startsWith(`${ADMIN_PREFIX}/`);
  }

  async handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    this.#prune();
    const route = `${req.method ?? 'GET'} ${path}`;
    if (route === 'GET /health') return send(res, 200, { status: 'ok' });
    if (route === `GET ${ADMIN_PREFIX}/requests`) return send(res, 200, { requests: this.state.log.snapshot() });
    if (route === `GET ${ADMIN_PREFIX}/faults`) return send(res, 200, { faults: [...this.#handles].map(([id, handle]) => ({ id, fault: handle.fault })) });
    if (route === `DELETE ${ADMIN_PREFIX}/faults`) {
      this.state.faults.clear();
      this.#handles.clear();
      return send(res, 204, undefined);
    }
    if (route === `POST ${ADMIN_PREFIX}/faults`) {
      const result = await readJsonBody(req);
      if (result.kind !== 'ok') return send(res, 400, { error: { message: `fault must be a JSON object (${result.kind})` } });
      try {
        const handle = this.state.faults.inject(result.body as unknown as Fault);
        const id = String(this.#nextId++);
        this.#handles.set(id, handle);
        return send(res, 201, { id, fault: handle.fault });
      } catch (error) {
        return send(res, 400, { error: { message: error instanceof Error ? error.message : String(error) } });
      }
    }
    const one = new RegExp(`^DELETE ${ADMIN_PREFIX}/faults/([^/]+)$`).exec(route);
    const handle = one?.[1] === undefined ? undefined : this.#handles.get(one[1]);
    if (one && handle) {
      handle.clear();
      this.#handles.delete(one[1] ?? '');
      return send(res, 204, undefined);
    }
    req.resume();
    return send(res, 404, { error: { message: `No admin route ${route}` } });
  }

  #prune(): void {
    for (const [id, handle] of this.#handles) if (!handle.active) this.#handles.delete(id);
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  if (body === undefined) {
    res.writeHead(status).end();
    return;
  }
  const payload = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) }).end(payload);
}
