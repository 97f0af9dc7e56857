import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readJsonBody } from './body';
import type { Fault, FaultHandle } from './faults';
import type { ServerState } from './state';

/** Out-of-band control routes, for processes that share the fake over HTTP (a demo pointed at a standalone fake). */
export const ADMIN_PREFIX = '/_fake';

/**
 * Limits of faults injected over HTTP, as the demo's admin API has them: every
 * fault heals by itself within an hour and adds at most two minutes of
 * latency, whoever holds the token. (The in-process controller is the test's
 * own and keeps the wider limits.)
 */
export const CONTROL_LIMITS = { bodyBytes: 16 * 1024, maxDurationMs: 3_600_000, maxExtraLatencyMs: 120_000 } as const;

/**
 * - `GET /health` → `{ status: 'ok' }` (open)
 * - `GET /_fake/requests` → the recent requests
 * - `GET /_fake/faults` → the active faults with their ids
 * - `POST /_fake/faults` with a fault as JSON → 201 `{ id, fault }` (400 naming an invalid field)
 * - `DELETE /_fake/faults` → clears all; `DELETE /_fake/faults/:id` → clears one
 *
 * The `/_fake` routes need `Authorization: Bearer <controlToken>`; without a
 * token configured they are not served (404): any local process could
 * otherwise inject faults or read the recorded prompts.
 */
export class AdminRoutes {
  readonly #handles = new Map<string, FaultHandle>();
  #nextId = 1;
  readonly #tokenDigest: Buffer | undefined;

  constructor(
    private readonly state: ServerState,
    controlToken: string | undefined,
  ) {
    this.#tokenDigest = controlToken === undefined ? undefined : digest(`Bearer ${controlToken}`);
  }

  /** Whether `path` is an admin route (answered by `handle`). */
  matches(path: string): boolean {
    return path === '/health' || path === ADMIN_PREFIX || path.startsWith(`${ADMIN_PREFIX}/`);
  }

  async handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    this.#prune();
    const route = `${req.method ?? 'GET'} ${path}`;
    if (route === 'GET /health') return send(res, 200, { status: 'ok' });
    req.resume();
    if (this.#tokenDigest === undefined) return send(res, 404, { error: { message: 'The control API is off: start the fake providers with a control token (controlToken, --control-token or FAKE_CONTROL_TOKEN)' } });
    // Digests compared in constant time: neither the token nor its length shows in the response time.
    const authorization = req.headers.authorization;
    if (authorization === undefined || !timingSafeEqual(digest(authorization), this.#tokenDigest)) {
      res.setHeader('www-authenticate', 'Bearer realm="fake-providers-control"');
      return send(res, 401, { error: { message: 'Missing or invalid control token (Authorization: Bearer <token>)' } });
    }
    if (route === `GET ${ADMIN_PREFIX}/requests`) return send(res, 200, { requests: this.state.log.snapshot() });
    if (route === `GET ${ADMIN_PREFIX}/faults`) return send(res, 200, { faults: [...this.#handles].map(([id, handle]) => ({ id, fault: handle.fault })) });
    if (route === `DELETE ${ADMIN_PREFIX}/faults`) {
      this.state.faults.clear();
      this.#handles.clear();
      return send(res, 204, undefined);
    }
    if (route === `POST ${ADMIN_PREFIX}/faults`) {
      const result = await readJsonBody(req, CONTROL_LIMITS.bodyBytes);
      if (result.kind !== 'ok') return send(res, result.kind === 'too_large' ? 413 : 400, { error: { message: `fault must be a JSON object of at most ${CONTROL_LIMITS.bodyBytes} bytes (${result.kind})` } });
      const overLimit = controlLimitProblem(result.body);
      if (overLimit !== undefined) return send(res, 400, { error: { message: overLimit } });
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
    return send(res, 404, { error: { message: `No admin route ${route}` } });
  }

  #prune(): void {
    for (const [id, handle] of this.#handles) if (!handle.active) this.#handles.delete(id);
  }
}

/** What puts a fault over {@link CONTROL_LIMITS}; the controller checks the rest of it. */
function controlLimitProblem(fault: Record<string, unknown>): string | undefined {
  const { durationMs, extraLatencyMs } = fault;
  if (typeof durationMs !== 'number' || !(durationMs > 0 && durationMs <= CONTROL_LIMITS.maxDurationMs)) {
    return `durationMs is required over HTTP, a number in (0, ${CONTROL_LIMITS.maxDurationMs}], got ${JSON.stringify(durationMs)}`;
  }
  if (extraLatencyMs !== undefined && !(typeof extraLatencyMs === 'number' && extraLatencyMs <= CONTROL_LIMITS.maxExtraLatencyMs)) {
    return `extraLatencyMs over HTTP must be a number of at most ${CONTROL_LIMITS.maxExtraLatencyMs}, got ${JSON.stringify(extraLatencyMs)}`;
  }
  return undefined;
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
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
