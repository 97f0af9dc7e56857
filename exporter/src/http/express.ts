import type { IncomingMessage, ServerResponse } from 'node:http';
import { matchedExpressRoute, trackExpressRoute } from './express-route';
import { ignoredPathMatcher, type HttpOptions } from './options';
import type { RequestObserver, RouteReader } from './request-observer';

export type ExpressMiddleware = (request: IncomingMessage, response: ServerResponse, next: (error?: unknown) => void) => void;

/**
 * Express middleware. Mount it before the routes. The route label is the
 * matched route's template joined to its router's mount path
 * (`app.use('/api', router)` + `router.get('/users/:id')` → `/api/users/:id`).
 */
export function expressMiddleware(observer: RequestObserver, options: HttpOptions = {}): ExpressMiddleware {
  const isIgnored = ignoredPathMatcher(options);
  const userRoute = options.route;
  const route: RouteReader = (request) => userRoute?.(request) ?? matchedExpressRoute(request);
  return function modelwatchExpress(request, response, next) {
    if (isIgnored(request.url)) return next();
    trackExpressRoute(request);
    // The rest of the chain runs inside the request's server span (when Modelwatch made one).
    observer.run(request, response, route, next);
  };
}
