import type { IncomingMessage, ServerResponse } from 'node:http';
import { ignoredPathMatcher, type HttpOptions } from './options';
import type { RequestObserver } from './request-observer';

/** The parts of an Express request the middleware reads (Express 4 and 5 alike). */
interface ExpressRequest extends IncomingMessage {
  baseUrl?: string;
  route?: { path?: unknown };
}

export type ExpressMiddleware = (request: IncomingMessage, response: ServerResponse, next: (error?: unknown) => void) => void;

/**
 * Express middleware. Mount it before the routes. The route label is the
 * matched route's template joined to its router's mount path
 * (`app.use('/api', router)` + `router.get('/users/:id')` → `/api/users/:id`).
 */
export function expressMiddleware(observer: RequestObserver, options: HttpOptions = {}): ExpressMiddleware {
  const isIgnored = ignoredPathMatcher(options);
  return function modelwatchExpress(request, response, next) {
    if (isIgnored(request.url)) return next();
    const matchedRoute = captureRoute(request as ExpressRequest);
    // The rest of the chain runs inside the request's server span (when Modelwatch made one).
    observer.run(request, response, () => options.route?.(request) ?? matchedRoute(), () => next());
  };
}

/**
 * Remembers the full template of the last route Express matched, read when
 * Express assigns `req.route`. Reading `baseUrl + route.path` only when the
 * response ends is wrong once an error leaves a mounted router: Express
 * restores `baseUrl` to the parent's on the way out, but keeps `req.route`,
 * so a 500 from `/api` + `/items/:id` would be labelled `/items/:id`.
 */
function captureRoute(request: ExpressRequest): () => string | undefined {
  let route = request.route;
  let template = route === undefined ? undefined : routeTemplate(route.path, request.baseUrl);
  try {
    Object.defineProperty(request, 'route', {
      configurable: true,
      enumerable: true,
      get: () => route,
      set: (value: ExpressRequest['route']) => {
        route = value;
        template = value === undefined ? template : routeTemplate(value.path, request.baseUrl);
      },
    });
  } catch {
    // A frozen or exotic request: fall back to reading the route when the response ends.
    return () => expressRoute(request);
  }
  return () => template;
}

/** `baseUrl + route.path` once a route matched, undefined otherwise. */
export function expressRoute(request: ExpressRequest): string | undefined {
  return routeTemplate(request.route?.path, request.baseUrl);
}

function routeTemplate(path: unknown, baseUrl: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  const template = Array.isArray(path) ? path.map(String).join('|') : String(path);
  const base = baseUrl ?? '';
  if (base === '') return template;
  return template === '/' ? base : base + template;
}
