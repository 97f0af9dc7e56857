import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { context, type Context } from '@opentelemetry/api';
import { ABORTED_STATUS_CODE, HTTP_METHOD_OTHER, HTTP_METHODS, HTTP_STATUS_OTHER, INSTRUMENTATION_ERROR_REASON, UNMATCHED_ROUTE } from '@modelwatch/conventions';
import type { AttributionScope } from '../attribution/scope';
import type { Instruments } from '../instruments';
import type { GaugeSeries } from '../metrics/gauge';
import type { TraceRef } from '../metrics/exemplar';
import type { TraceSource } from '../tracing/active-trace';
import type { HttpServerSpans, ServerSpan } from '../tracing/http-server-span';

const KNOWN_METHODS: ReadonlySet<string> = new Set(HTTP_METHODS);
/** Status codes as label strings, built once (the only values the label can take besides `_OTHER`). */
const STATUS_LABELS: readonly string[] = Array.from({ length: 600 }, (_, code) => String(code));

/**
 * How an adapter reads the route template of a request, asked once when the
 * request ends (routers match late). Built once per middleware, not per request.
 * `matched` is the template the adapter already knew when the request started
 * (Fastify has routed by then), undefined otherwise.
 */
export type RouteReader = (request: IncomingMessage, matched: string | undefined) => string | undefined;

/**
 * Records one HTTP request into the HTTP contract: in-flight gauge now,
 * duration with method, route template and status when the response finishes,
 * or status 499 when the client goes away first. Shared by the Express,
 * Fastify and node:http adapters; each supplies how to read the route.
 */
export class RequestObserver {
  private readonly active: GaugeSeries;

  constructor(
    private readonly instruments: Instruments,
    private readonly traceSource: TraceSource,
    /** SERVER spans; none when tracing or `httpServerSpans` is off. */
    private readonly spans?: HttpServerSpans,
    /** Where the adapters' `attribute` option opens each request's scope; none when attribution is off. */
    readonly attribution?: AttributionScope,
  ) {
    this.active = instruments.httpActive.series([]);
  }

  /** Starts observing; `route` is asked once, when the request ends. Never throws. */
  observe(request: IncomingMessage, response: ServerResponse, route: RouteReader): void {
    this.run(request, response, route, noop);
  }

  /**
   * Starts observing, then runs `proceed` (the rest of the request: `next()`,
   * `done()`, the listener) inside the request's server span when Modelwatch
   * made one, so handler code sees it as the active span. `proceed`'s own result
   * and errors reach the caller; observing never throws. `matched` is handed to
   * `route` when the request ends.
   */
  run<R>(request: IncomingMessage, response: ServerResponse, route: RouteReader, proceed: () => R, matched?: string): R {
    let spanContext: Context | undefined;
    try {
      spanContext = this.observeUnsafe(request, response, route, matched);
    } catch {
      this.instruments.reportError(INSTRUMENTATION_ERROR_REASON.internal);
    }
    return spanContext === undefined ? proceed() : context.with(spanContext, proceed);
  }

  private observeUnsafe(request: IncomingMessage, response: ServerResponse, route: RouteReader, matched: string | undefined): Context | undefined {
    const startMs = performance.now();
    const span: ServerSpan | undefined = this.spans?.start(request, response);
    const spanContext = span?.context;
    let trace: TraceRef | undefined;
    if (spanContext === undefined) {
      trace = this.traceSource();
    } else {
      // The exemplar of a request Modelwatch made a span for is that span. The span is started,
      // so a failing trace source only costs the exemplar here: the request is still observed.
      try {
        trace = context.with(spanContext, this.traceSource);
      } catch {
        this.instruments.reportError(INSTRUMENTATION_ERROR_REASON.internal);
      }
    }
    this.instruments.httpActive.add(this.active, 1);
    // One 'close' listener, whose closure holds the request's record. Node emits 'close' on every
    // response, right after 'finish' or when the client goes away first. Measured cheaper than a
    // 'finish' listener as well (Node already listens for 'finish', so a second one turns its listeners
    // into an array cloned on every emit), than a record object, and than shared listeners finding
    // the record in a WeakMap or in a property of the response, which also gives the response a new
    // hidden class and slows Express's own reads of it.
    // Prepended: instrumentation-http ends its server span on 'close' too, and must find the route
    // already handed to it. Node emits 'close' once; the flag keeps a response that emits it again
    // from ending the request twice (and the active gauge from going negative).
    let open = true;
    response.prependListener('close', () => {
      if (!open) return;
      open = false;
      this.finish(request, response, route, matched, startMs, trace, span);
    });
    return spanContext;
  }

  /**
   * Records the request when its response closes. It completed if `end()` was called by then,
   * whether or not the last bytes reached the client; otherwise the client went away first (499).
   * `writableEnded` rather than `writableFinished`: injected responses (Fastify's inject,
   * light-my-request) end without ever setting the latter.
   */
  private finish(
    request: IncomingMessage,
    response: ServerResponse,
    route: RouteReader,
    matched: string | undefined,
    startMs: number,
    trace: TraceRef | undefined,
    span: ServerSpan | undefined,
  ): void {
    const completed = response.writableEnded;
    const status = completed ? statusLabel(response.statusCode) : ABORTED_STATUS_CODE;
    let template: string | undefined;
    try {
      this.instruments.httpActive.add(this.active, -1);
      template = routeTemplate(route, request, matched);
      const series = this.instruments.httpDuration.series([methodLabel(request.method), template ?? UNMATCHED_ROUTE, status]);
      this.instruments.httpDuration.observe(series, (performance.now() - startMs) / 1000, trace);
    } catch {
      this.instruments.reportError(INSTRUMENTATION_ERROR_REASON.internal);
    }
    span?.end(response, template, completed);
  }
}

const noop = () => undefined;

function methodLabel(method: string | undefined): string {
  return method !== undefined && KNOWN_METHODS.has(method) ? method : HTTP_METHOD_OTHER;
}

function statusLabel(code: number): string {
  return Number.isInteger(code) && code >= 100 && code < 600 ? (STATUS_LABELS[code] as string) : HTTP_STATUS_OTHER;
}

/** The matched route template, undefined when none matched. */
function routeTemplate(route: RouteReader, request: IncomingMessage, matched: string | undefined): string | undefined {
  const template = route(request, matched);
  return template === undefined || template === '' ? undefined : template;
}
