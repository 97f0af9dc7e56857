import { performance } from 'node:perf_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Span } from '@opentelemetry/api';
import { ABORTED_STATUS_CODE, UNMATCHED_ROUTE } from '@modelwatch/conventions';
import { matchedExpressRoute, trackExpressRoute } from '../http/express-route';
import { ignoredPathMatcher } from '../http/options';
import { LOG_FIELD, LOG_MESSAGE } from './fields';
import { knownLevel, type LogTarget } from './logger-target';
import { arrayOf, boolean, func, nonEmptyString, objectOf, oneOf, string, validateOptions, type Shape } from '../options/schema';
import { REDACT_OPTIONS, Redactor, type RedactOptions } from './redaction';
import { activeSpan, traceFieldsOf } from './trace-context';

export interface AccessLogOptions {
  /**
   * Paths not logged, matched on the path without the query.
   * @defaultValue `['/metrics', '/healthz', '/readyz']`
   */
  ignorePaths?: readonly string[];
  /**
   * Level of a request's line from its status (499 when the client went away first).
   * @defaultValue `error` for 5xx, `warn` for 4xx, else `info`
   */
  level?: (statusCode: number) => string;
  /**
   * Route template of a request no Express route matched (node:http), e.g. from
   * your own router. Must be a template such as `/users/:id`, never the raw path.
   */
  route?: (request: IncomingMessage) => string | undefined;
  /** @defaultValue `http request` */
  message?: string;
  /**
   * Query values written to `url.query`. By default none: every value is `[REDACTED]` and
   * only the parameter names are kept, since values hold search terms, emails and ids as
   * often as anything. `true` writes them all, a list of names writes those parameters'
   * values; secrets in them (and the values of parameters named like one) are still masked.
   * @defaultValue false
   */
  logQueryValues?: boolean | readonly string[];
  /** More fields and patterns to mask, opt-in personal data (`pii`), and the size bounds, as for `createLogger`. */
  redact?: RedactOptions;
}

const ACCESS_LOG_OPTIONS: Shape<AccessLogOptions> = {
  ignorePaths: arrayOf(string),
  level: func,
  route: func,
  message: nonEmptyString,
  logQueryValues: oneOf(boolean, arrayOf(string)),
  redact: objectOf(REDACT_OPTIONS),
};

/** Which query parameters' values a line may write. */
function queryValueFilter(option: AccessLogOptions['logQueryValues']): (name: string) => boolean {
  if (option === true) return () => true;
  if (option === undefined || option === false) return () => false;
  const names = new Set(option);
  return (name) => names.has(name);
}

/** Express/Connect middleware; on node:http call it first, `next` optional: `log(req, res); handle(req, res)`. */
export type AccessLogMiddleware = (request: IncomingMessage, response: ServerResponse, next?: (error?: unknown) => void) => void;

export const DEFAULT_ACCESS_LOG_IGNORED_PATHS = ['/metrics', '/healthz', '/readyz'] as const;

/** What Express adds to a request, read if present. */
interface RoutedRequest extends IncomingMessage {
  originalUrl?: string;
}

/** `error` for 5xx, `warn` for 4xx, `info` otherwise. */
export function accessLogLevel(statusCode: number): string {
  return statusCode >= 500 ? 'error' : statusCode >= 400 ? 'warn' : 'info';
}

/**
 * One line per HTTP request, written when the response finishes (or the client
 * goes away): method, route template (as in the `http_route` label), status,
 * duration, path and masked query, user agent, body sizes, and the ids of the
 * span active when the request came in. A line at a level the logger drops is
 * not built at all. Mount it before the routes. Never throws.
 */
export function accessLog(logger: LogTarget, options: AccessLogOptions = {}): AccessLogMiddleware {
  validateOptions('accessLog', ACCESS_LOG_OPTIONS, options);
  const isIgnored = ignoredPathMatcher({ ignorePaths: options.ignorePaths ?? DEFAULT_ACCESS_LOG_IGNORED_PATHS });
  const redactor = new Redactor(options.redact);
  const message = options.message ?? LOG_MESSAGE.httpRequest;
  const levelOf = options.level ?? accessLogLevel;
  const logsQueryValue = queryValueFilter(options.logQueryValues);

  function write(request: RoutedRequest, response: ServerResponse, url: string, startMs: number, span: Span | undefined): void {
    // Completed when `end()` was called, whether or not the last bytes reached the client: the
    // request observer's rule, so a request's line and its metric agree on 499.
    const completed = response.writableEnded;
    const status = completed ? response.statusCode : Number(ABORTED_STATUS_CODE);
    const level = knownLevel(logger, levelOf(status), 'info');
    // A line below the logger's level would be built, redacted and then dropped by winston.
    if (!logger.isLevelEnabled(level)) return;
    const route = options.route?.(request) ?? matchedExpressRoute(request);
    const fields: Record<string, unknown> = {
      [LOG_FIELD.httpRequestMethod]: request.method,
      [LOG_FIELD.httpRoute]: route === undefined || route === '' ? UNMATCHED_ROUTE : route,
      [LOG_FIELD.httpResponseStatusCode]: status,
      [LOG_FIELD.durationMs]: Math.round((performance.now() - startMs) * 1e3) / 1e3,
    };
    const queryStart = url.indexOf('?');
    fields[LOG_FIELD.urlPath] = redactor.string(queryStart === -1 ? url : url.slice(0, queryStart));
    if (queryStart !== -1 && queryStart < url.length - 1) fields[LOG_FIELD.urlQuery] = redactor.query(url.slice(queryStart + 1), logsQueryValue);
    const userAgent = request.headers['user-agent'];
    if (typeof userAgent === 'string') fields[LOG_FIELD.userAgent] = redactor.string(userAgent);
    setSize(fields, LOG_FIELD.httpRequestBodySize, request.headers['content-length']);
    setSize(fields, LOG_FIELD.httpResponseBodySize, response.getHeader('content-length'));
    const trace = traceFieldsOf(span);
    if (trace !== undefined) Object.assign(fields, trace);
    logger.log(level, message, fields);
  }

  return function modelwatchAccessLog(request: RoutedRequest, response, next) {
    try {
      const url = request.originalUrl ?? request.url ?? '';
      if (!isIgnored(url)) {
        const startMs = performance.now();
        // Read now: 'close' runs outside the request's context. Its ids are read only for a line that is
        // written (a span's ids never change), not for every request.
        const span = activeSpan();
        trackExpressRoute(request);
        // Node emits 'close' on every response, after 'finish' or when the client goes away first:
        // one listener covers both (a second 'finish' listener would turn Node's own into an array
        // cloned on every emit). The flag keeps a response that emits 'close' again from logging twice.
        let open = true;
        response.on('close', () => {
          if (!open) return;
          open = false;
          try {
            write(request, response, url, startMs, span);
          } catch {
            // A throwing level function or transport must not become an uncaught exception in the app.
          }
        });
      }
    } catch {
      // Logging never stands between the request and the app.
    }
    next?.();
  };
}

function setSize(fields: Record<string, unknown>, name: string, header: number | string | string[] | undefined): void {
  const size = typeof header === 'number' ? header : typeof header === 'string' && header.trim() !== '' ? Number(header) : NaN;
  if (Number.isSafeInteger(size) && size >= 0) fields[name] = size;
}
