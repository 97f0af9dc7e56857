import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiError, ProviderDialect } from './dialect';
import type { ResolvedProfile } from './models';
import type { RequestOverrides } from './overrides';
import { requestsSpent, type LimitState, type RateLimitCost } from './rate-limits';
import type { RecordedRequest } from './request-log';
import { SSE_HEADERS } from './sse';
import type { ServerState } from './state';

/** One server-sent event, written after `delayMs`. */
export interface Frame {
  data: string;
  delayMs: number;
  /** Carries generated content (text or tool-call arguments), as opposed to framing. */
  content?: boolean;
}

/** A stream under a `disconnect` fault sends this many content frames, then loses its socket. */
export const DISCONNECT_AFTER_CONTENT_FRAMES = 2;

/**
 * One request and its response: waits that end when the client goes away or the
 * server closes, provider-formatted errors, fault application, JSON and SSE delivery.
 */
export class Exchange {
  readonly record: RecordedRequest;
  readonly requestId: string;
  /** Aborted when the client goes away or the server closes. */
  readonly signal: AbortSignal;
  overrides: RequestOverrides = {};
  readonly #controller = new AbortController();
  #disconnectStream = false;
  /** The requested model, once known: its rate-limit budget is the one this request reports and takes from. */
  #rateLimitModel: string | undefined;
  /** The budget's state as the response states it; read when the model is known, updated by `admit`. */
  #rateLimits: readonly LimitState[] | undefined;

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly state: ServerState,
    readonly dialect: ProviderDialect | undefined,
    path: string,
  ) {
    this.requestId = dialect ? dialect.requestId(state.rng) : `req_${state.rng.id(24)}`;
    this.record = { provider: dialect?.provider, path, model: undefined, stream: false, status: undefined, fault: undefined, requestId: this.requestId, at: Date.now() };
    this.signal = this.#controller.signal;
    const abort = () => this.#controller.abort();
    state.signal.addEventListener('abort', abort, { once: true });
    res.on('close', () => {
      state.signal.removeEventListener('abort', abort);
      if (!res.writableFinished) abort();
    });
    res.on('error', abort);
    req.on('error', abort);
  }

  /** Waits `ms` (unref'd timer); resolves false, early, if the exchange was aborted. */
  sleep(ms: number): Promise<boolean> {
    if (this.signal.aborted) return Promise.resolve(false);
    if (!(ms > 0)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const onAbort = () => {
        clearTimeout(timer);
        resolve(false);
      };
      const timer = setTimeout(() => {
        this.signal.removeEventListener('abort', onAbort);
        resolve(true);
      }, ms);
      timer.unref();
      this.signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Sends a JSON response with the provider's headers. */
  sendJson(status: number, body: unknown, headers: Record<string, string> = this.#headers()): void {
    if (this.res.headersSent || this.signal.aborted) return;
    const payload = JSON.stringify(body);
    this.record.status = status;
    this.res.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) });
    this.res.end(payload);
  }

  /** Sends an error in the provider's format (a plain JSON error outside both APIs). */
  sendError(error: ApiError): void {
    if (!this.dialect) {
      this.sendJson(error.kind === 'not_found' ? 404 : 400, { error: { type: error.kind, message: error.message ?? error.kind } }, {});
      return;
    }
    const { status, body } = this.dialect.error(error, this.requestId);
    const headers = this.#headers(error.retryAfterSeconds);
    this.sendJson(status, body, headers);
  }

  /** A 400 for a request the API would reject. */
  invalid(message: string, param?: string, code?: string): void {
    this.sendError({ kind: 'invalid_request', message, ...(param === undefined ? {} : { param }), ...(code === undefined ? {} : { code }) });
  }

  /**
   * Applies the registry's faults and the `x-fake-*` headers: extra latency, then
   * an error, a hang or a lost socket. Returns the profile of the model that answers
   * (`profile`, or a substitute's), or undefined when the request was answered (or dropped) here.
   */
  async applyFaults(model: string, profile: ResolvedProfile): Promise<ResolvedProfile | undefined> {
    const provider = this.dialect?.provider;
    if (!provider) return profile;
    this.#rateLimitModel = model;
    this.#rateLimits = this.state.rateLimits.peek(provider, model);
    const decision = this.state.faults.decide(provider, model, profile.snapshot, this.state.rng);
    const kind = this.overrides.fault ?? decision.kind;
    const retryAfterSeconds = this.overrides.fault ? (kind === 'rate_limit' ? 1 : undefined) : decision.retryAfterSeconds;
    const servedModel = this.overrides.servedModel ?? decision.servedModel;
    this.record.fault = kind ?? (decision.extraLatencyMs > 0 ? 'latency' : servedModel !== undefined ? 'model_substitution' : undefined);
    if (!(await this.sleep(decision.extraLatencyMs))) return undefined;
    switch (kind) {
      case undefined:
        break;
      case 'rate_limit':
        // Someone else's traffic emptied the request budget: the headers say so until `retry-after`.
        if (this.#rateLimits) this.#rateLimits = requestsSpent(this.#rateLimits, retryAfterSeconds ?? 1);
        this.sendError({ kind, model, ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }) });
        return undefined;
      case 'server_error':
      case 'overloaded':
        this.sendError({ kind, model, ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }) });
        return undefined;
      case 'timeout':
        await this.sleep(this.state.maxHangMs);
        this.destroy();
        return undefined;
      case 'disconnect':
        if (!this.record.stream) {
          this.destroy();
          return undefined;
        }
        this.#disconnectStream = true;
        break;
    }
    return servedModel === undefined ? profile : this.state.catalog.find(provider, servedModel, profile.kind);
  }

  /**
   * Takes one request and `cost` from the requested model's rate-limit budget, or answers
   * 429 as the provider does when it does not fit. Returns whether to answer the request.
   */
  admit(cost: RateLimitCost): boolean {
    const provider = this.dialect?.provider;
    if (!provider || this.#rateLimitModel === undefined) return true;
    const admission = this.state.rateLimits.take(provider, this.#rateLimitModel, cost);
    if (!admission) return true;
    this.#rateLimits = admission.state;
    if (admission.ok) return true;
    const { exhausted, requested, retryAfterSeconds } = admission;
    this.sendError({ kind: 'rate_limit', model: this.#rateLimitModel, retryAfterSeconds, exhausted: { ...exhausted, requested } });
    return false;
  }

  /** Answers with JSON after `delayMs`, unless the client went away meanwhile. */
  async respondJson(body: unknown, delayMs: number): Promise<void> {
    if (await this.sleep(delayMs)) this.sendJson(200, body);
  }

  /**
   * Streams `frames` as server-sent events, each after its delay (frames without
   * delay go out in one write). Under a `disconnect` fault, the socket is destroyed
   * after the first content frames.
   */
  async stream(frames: readonly Frame[]): Promise<void> {
    if (this.res.headersSent || this.signal.aborted) return;
    this.record.status = 200;
    this.res.writeHead(200, { ...this.#headers(), ...SSE_HEADERS });
    this.res.flushHeaders();
    const count = this.#disconnectStream ? disconnectPoint(frames) : frames.length;
    let pending = '';
    for (let i = 0; i < count; i++) {
      const frame = frames[i];
      if (!frame) break;
      if (frame.delayMs > 0 && pending !== '') {
        this.res.write(pending);
        pending = '';
      }
      if (!(await this.sleep(frame.delayMs))) return;
      pending += frame.data;
    }
    if (this.#disconnectStream) {
      // Let the frames reach the client, then cut the connection mid-stream.
      this.res.write(pending, () => this.destroy());
      return;
    }
    this.res.end(pending);
  }

  /** Drops the connection without a (complete) answer. */
  destroy(): void {
    this.req.socket.destroy();
  }

  #headers(retryAfterSeconds?: number): Record<string, string> {
    if (!this.dialect) return {};
    return this.dialect.headers(this.requestId, {
      now: this.state.now(),
      ...(this.#rateLimits === undefined ? {} : { rateLimits: this.#rateLimits }),
      ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
    });
  }
}

/** How many frames a disconnecting stream sends: through the Nth content frame, never the last frame. */
function disconnectPoint(frames: readonly Frame[]): number {
  let seen = 0;
  for (let i = 0; i < frames.length; i++) {
    if (frames[i]?.content && ++seen === DISCONNECT_AFTER_CONTENT_FRAMES) return Math.min(i + 1, frames.length - 1);
  }
  return Math.max(frames.length - 1, 0);
}
