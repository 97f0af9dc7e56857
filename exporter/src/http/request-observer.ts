import type { IncomingMessage, ServerResponse } from 'node:http';
import { context, type Context } from '@opentelemetry/api';
import { ABORTED_STATUS_CODE, HTTP_METHOD_OTHER, HTTP_METHODS, HTTP_STATUS_OTHER, INSTRUMENTATION_ERROR_REASON, UNMATCHED_ROUTE } from '../conventions';
import type { Instruments } from '../instruments';
import type { TraceRef } from '../metrics/exemplar';
import type { TraceSource } from '../trace/active-trace';
import type { HttpServerSpans, ServerSpan } from '../tracing/http-server-span';

const KNOWN_METHODS: ReadonlySet<string> = new Set(HTTP_METHODS);
/** Status codes as label strings, built once (the only values the label can take besides `_OTHER`). */
const STATUS_LABELS: readonly string[] = Array.from({ length: 600 }, (_, code) => String(code));

/**
 * Records one HTTP request into the HTTP contract: in-flight gauge now,
 * duration with method, route template and status when the response finishes,
 * or status 499 when the client goes away first. Shared by the Express,
 * Fastify and node:http adapters; each supplies how to read the route.
 */
export class RequestObserver {
  private readonly active;

  constructor(
    private readonly instruments: Instruments,
    private readonly traceSource: TraceSource,
    /** SERVER spans; none when tracing or `httpServerSpans` is off. */
    private readonly spans?: HttpServerSpans,
  ) {
    this.active = instruments.httpActive.series([]);
  }

  /** Starts observing; `route` is asked once, when the request ends (routers match late). Never throws. */
  observe(request: IncomingMessage, response: ServerResponse, route: () => string | undefined): void {
    this.run(request, response, route, noop);
  }

  /**
   * Starts observing, then runs `proceed` (the rest of the request: `next()`,
   * `done()`, the listener) inside the request's server span when Modelwatch
   * made one, so handler code sees it as the active span. `proceed`'s own result
   * and errors reach the caller; observing never throws.
   */
  run<R>(request: IncomingMessage, response: ServerResponse, route: () => string | undefined, proceed: () => R): R {
    let spanContext: Context | undefined;
    try {
      spanContext = this.observeUnsafe(request, response, route);
    } catch {
      this.instruments.reportError(INSTRUMENTATION_ERROR_REASON.internal);
    }
    return spanContext === undefined ? proceed() : context.with(spanContext, proceed);
  }

  private observeUnsafe(request: IncomingMessage, response: ServerResponse, route: () => string | undefined): Context | undefined {
    const { instruments } = this;
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
        instruments.reportError(INSTRUMENTATION_ERROR_REASON.internal);
      }
    }
    instruments.httpActive.add(this.active, 1);
    let done = false;
    const finish = (completed: boolean) => {
      if (done) return;
      done = true;
      const status = completed ? statusLabel(response.statusCode) : ABORTED_STATUS_CODE;
      let template: string | undefined;
      try {
        instruments.httpActive.add(this.active, -1);
        template = routeTemplate(route);
        const series = instruments.httpDuration.series([methodLabel(request.method), template ?? UNMATCHED_ROUTE, status]);
        instruments.httpDuration.observe(series, (performance.now() - startMs) / 1000, trace);
      } catch {
        instruments.reportError(INSTRUMENTATION_ERROR_REASON.internal);
      }
      span?.end(response, template, completed);
    };
    // 'finish' is the response completing. Trust the event rather than `writableFinished`: injected
    // responses (Fastify's inject, light-my-request) emit 'finish' without ever setting it.
    response.once('finish', () => finish(true));
    // 'close' before 'finish': the client went away before the response completed.
    response.once('close', () => finish(response.writableFinished));
    return spanContext;
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
function routeTemplate(route: () => string | undefined): string | undefined {
  const template = route();
  return template === undefined || template === '' ? undefined : template;
}
