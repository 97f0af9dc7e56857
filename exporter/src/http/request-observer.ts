import type { IncomingMessage, ServerResponse } from 'node:http';
import { ABORTED_STATUS_CODE, HTTP_METHOD_OTHER, HTTP_METHODS, HTTP_STATUS_OTHER, INSTRUMENTATION_ERROR_REASON, UNMATCHED_ROUTE } from '../conventions';
import type { Instruments } from '../instruments';
import type { TraceSource } from '../trace/active-trace';

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
  ) {
    this.active = instruments.httpActive.series([]);
  }

  /** Starts observing; `route` is asked once, when the request ends (routers match late). Never throws. */
  observe(request: IncomingMessage, response: ServerResponse, route: () => string | undefined): void {
    try {
      this.observeUnsafe(request, response, route);
    } catch {
      this.instruments.reportError(INSTRUMENTATION_ERROR_REASON.internal);
    }
  }

  private observeUnsafe(request: IncomingMessage, response: ServerResponse, route: () => string | undefined): void {
    const { instruments } = this;
    const startMs = performance.now();
    const trace = this.traceSource();
    instruments.httpActive.add(this.active, 1);
    let done = false;
    const finish = (completed: boolean) => {
      if (done) return;
      done = true;
      const status = completed ? statusLabel(response.statusCode) : ABORTED_STATUS_CODE;
      try {
        instruments.httpActive.add(this.active, -1);
        const series = instruments.httpDuration.series([methodLabel(request.method), routeLabel(route), status]);
        instruments.httpDuration.observe(series, (performance.now() - startMs) / 1000, trace);
      } catch {
        instruments.reportError(INSTRUMENTATION_ERROR_REASON.internal);
      }
    };
    // 'finish' is the response completing. Trust the event rather than `writableFinished`: injected
    // responses (Fastify's inject, light-my-request) emit 'finish' without ever setting it.
    response.once('finish', () => finish(true));
    // 'close' before 'finish': the client went away before the response completed.
    response.once('close', () => finish(response.writableFinished));
  }
}

function methodLabel(method: string | undefined): string {
  return method !== undefined && KNOWN_METHODS.has(method) ? method : HTTP_METHOD_OTHER;
}

function statusLabel(code: number): string {
  return Number.isInteger(code) && code >= 100 && code < 600 ? (STATUS_LABELS[code] as string) : HTTP_STATUS_OTHER;
}

function routeLabel(route: () => string | undefined): string {
  const template = route();
  return template === undefined || template === '' ? UNMATCHED_ROUTE : template;
}
