import type { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { context, createContextKey, propagation, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Span, type Tracer } from '@opentelemetry/api';
import { HTTP_METHOD_OTHER, HTTP_METHODS } from '@modelwatch/conventions';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_REQUEST_METHOD_ORIGINAL,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_URL_PATH,
  ATTR_URL_SCHEME,
  ATTR_USER_AGENT_ORIGINAL,
} from './semconv';
import type { TracerSource } from './tracer-source';

/**
 * `error.type` of a server span whose response never completed: the connection
 * closed first (the client went away, or the socket was destroyed). Besides it,
 * server spans report only 5xx status codes (`'500'`…`'599'`).
 */
export const HTTP_ABORTED_ERROR_TYPE = 'aborted';

/**
 * Where `@opentelemetry/instrumentation-http` keeps its server span and the route
 * for it (`@opentelemetry/core`'s RPC metadata; context keys are `Symbol.for`
 * their description, so this is the same key without depending on core). OTel's
 * Express and Fastify instrumentations set `route` on it the same way.
 */
const RPC_METADATA_KEY = createContextKey('OpenTelemetry SDK Context Key RPC_METADATA');
const RPC_TYPE_HTTP = 'http';

interface HttpRpcMetadata {
  type: typeof RPC_TYPE_HTTP;
  route?: string;
}

const KNOWN_METHODS: ReadonlySet<string> = new Set(HTTP_METHODS);

/** The span side of one request, ended once by the request observer. */
export interface ServerSpan {
  /** Context to run the rest of the request in; undefined when the request keeps the context it had. */
  readonly context: Context | undefined;
  /** `route` is the matched template, undefined when none matched; `completed` is false when the connection closed first. */
  end(response: ServerResponse, route: string | undefined, completed: boolean): void;
}

/**
 * HTTP SERVER spans (OTel HTTP semconv, stable) for the middleware, made only when
 * no other instrumentation runs the request in a span already. Never throws.
 */
export class HttpServerSpans {
  /** The last Host header parsed and what it gave: a service's requests nearly all carry the same one. */
  private lastHost: unknown;
  private lastParsedHost: ReturnType<typeof parseHost>;

  constructor(
    private readonly tracers: TracerSource,
    private readonly reportError: () => void,
  ) {}

  /**
   * At request start. When a span is already active (`instrumentation-http` runs
   * the listener inside its own), no span is made; if that span is
   * instrumentation-http's, it gets the route when the request ends. Otherwise a
   * span starts, continuing the trace of the incoming `traceparent`.
   */
  start(request: IncomingMessage, response: ServerResponse): ServerSpan | undefined {
    // Kept this small so V8 inlines it into the request observer: without an SDK, this check is all
    // a request pays (as one large method it stayed unoptimised, about 400 instructions a request).
    const tracer = this.tracers.current();
    return tracer === undefined ? undefined : this.startWith(tracer, request, response);
  }

  private startWith(tracer: Tracer, request: IncomingMessage, response: ServerResponse): ServerSpan | undefined {
    try {
      const active = context.active();
      if (trace.getSpan(active) !== undefined) {
        const metadata = active.getValue(RPC_METADATA_KEY);
        return isHttpRpcMetadata(metadata) ? new OuterServerSpan(metadata) : undefined;
      }
      const headers = request.headers ?? {};
      const parent = propagation.extract(active, headers);
      const method = request.method ?? 'GET';
      const known = KNOWN_METHODS.has(method);
      const scheme = (request.socket as TLSSocket | undefined)?.encrypted === true ? 'https' : 'http';
      const attributes: Attributes = {
        [ATTR_HTTP_REQUEST_METHOD]: known ? method : HTTP_METHOD_OTHER,
        [ATTR_URL_PATH]: pathOf((request as { originalUrl?: unknown }).originalUrl ?? request.url),
        [ATTR_URL_SCHEME]: scheme,
      };
      if (!known) attributes[ATTR_HTTP_REQUEST_METHOD_ORIGINAL] = method;
      if (headers.host !== this.lastHost) {
        this.lastParsedHost = parseHost(headers.host);
        this.lastHost = headers.host;
      }
      const host = this.lastParsedHost;
      if (host !== undefined) {
        attributes[ATTR_SERVER_ADDRESS] = host.address;
        attributes[ATTR_SERVER_PORT] = host.port ?? (scheme === 'https' ? 443 : 80);
      }
      const userAgent = headers['user-agent'];
      if (typeof userAgent === 'string') attributes[ATTR_USER_AGENT_ORIGINAL] = userAgent;
      const nameMethod = known ? method : 'HTTP';
      const span = tracer.startSpan(nameMethod, { kind: SpanKind.SERVER, attributes }, parent);
      const spanContext = trace.setSpan(parent, span);
      runListenersIn(request, spanContext);
      runListenersIn(response, spanContext);
      return new OwnServerSpan(span, spanContext, nameMethod, this.reportError);
    } catch {
      this.reportError();
      return undefined;
    }
  }
}

/**
 * Runs every listener of the request's `emitter` inside its span. Their events come
 * from the socket, outside the request's context: without this, a body parser's 'end'
 * (and the handler it calls next) or a logger's 'finish' listener would lose the span.
 * One own `emit` rather than the context manager's `bind(context, emitter)`, which
 * patches eight methods of each emitter and wraps every listener added later: that
 * took about 60 µs of CPU a request in the demo service, this about 6.
 */
function runListenersIn(emitter: EventEmitter, spanContext: Context): void {
  const emit = emitter.emit;
  // Bound once: `context.with` with a `thisArg` binds `emit` again on every event.
  const emitOnEmitter = emit.bind(emitter);
  emitter.emit = function emitInSpan(this: EventEmitter, event: string | symbol, ...args: unknown[]): boolean {
    if (this !== emitter) return context.with(spanContext, emit, this, event, ...args);
    // An event nobody listens to (`resume`, `prefinish`…: about half of a request's) runs no code that could need the span.
    if (emitter.listenerCount(event) === 0) return emitOnEmitter(event, ...args);
    return context.with(spanContext, emitOnEmitter, undefined, event, ...args);
  };
}

class OwnServerSpan implements ServerSpan {
  constructor(
    private readonly span: Span,
    readonly context: Context,
    private readonly nameMethod: string,
    private readonly reportError: () => void,
  ) {}

  end(response: ServerResponse, route: string | undefined, completed: boolean): void {
    const { span } = this;
    try {
      if (route !== undefined) {
        span.setAttribute(ATTR_HTTP_ROUTE, route);
        span.updateName(`${this.nameMethod} ${route}`);
      }
      const status = response.statusCode;
      const statusSent = completed || response.headersSent;
      if (statusSent && Number.isInteger(status)) span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
      // Semconv: a server span is an error on 5xx (not 4xx), and when the exchange did not complete.
      if (!completed) {
        span.setAttribute(ATTR_ERROR_TYPE, HTTP_ABORTED_ERROR_TYPE);
        span.setStatus({ code: SpanStatusCode.ERROR });
      } else if (status >= 500 && status < 600) {
        span.setAttribute(ATTR_ERROR_TYPE, String(status));
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
    } catch {
      this.reportError();
    }
    try {
      span.end();
    } catch {
      this.reportError();
    }
  }
}

/** instrumentation-http's span: it names it `{method} {route}` and sets `http.route` from the route given here. */
class OuterServerSpan implements ServerSpan {
  readonly context = undefined;

  constructor(private readonly metadata: HttpRpcMetadata) {}

  end(_response: ServerResponse, route: string | undefined): void {
    // Runs on 'close' ahead of instrumentation-http's listener, which ends its span there. A route set by OTel's own
    // Express or Fastify instrumentation stays.
    if (route !== undefined && this.metadata.route === undefined) this.metadata.route = route;
  }
}

function isHttpRpcMetadata(value: unknown): value is HttpRpcMetadata {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === RPC_TYPE_HTTP;
}

/** The path of a request target (origin form `/a?b`, or absolute form `http://h/a?b`), without query. */
export function pathOf(url: unknown): string {
  if (typeof url !== 'string' || url === '') return '/';
  if (!url.startsWith('/')) {
    try {
      return new URL(url).pathname;
    } catch {
      // Not absolute either (`*` of OPTIONS, garbage): keep it as sent, minus the query.
    }
  }
  const query = url.indexOf('?');
  const fragment = url.indexOf('#');
  const end = query === -1 ? fragment : fragment === -1 ? query : Math.min(query, fragment);
  return end === -1 ? url : url.slice(0, end);
}

/** Address and port of a Host header (`example.com`, `example.com:8080`, `[::1]:8080`). */
export function parseHost(host: unknown): { address: string; port: number | undefined } | undefined {
  if (typeof host !== 'string' || host === '') return undefined;
  let address = host;
  let portText: string | undefined;
  if (host.startsWith('[')) {
    const close = host.indexOf(']');
    if (close === -1) return undefined;
    address = host.slice(1, close);
    if (host[close + 1] === ':') portText = host.slice(close + 2);
  } else {
    const colon = host.lastIndexOf(':');
    if (colon !== -1) {
      address = host.slice(0, colon);
      portText = host.slice(colon + 1);
    }
  }
  if (address === '') return undefined;
  if (portText === undefined) return { address, port: undefined };
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
  return port > 0 && port < 65536 ? { address, port } : { address, port: undefined };
}
