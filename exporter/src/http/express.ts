import type { IncomingMessage, ServerResponse } from 'node:http';
import { WARNING_CODE, type Warnings } from '../warnings/warnings';
import { checkExpressOrder, markExpressMiddleware, routesBeforeMiddlewareMessage } from './express-order';
import { matchedExpressRoute, trackExpressRoute } from './express-route';
import { requestAttributor } from '../attribution/request-scope';
import { ignoredPathMatcher, type HttpOptions } from './options';
import type { RequestObserver, RouteReader } from './request-observer';

export type ExpressMiddleware = (request: IncomingMessage, response: ServerResponse, next: (error?: unknown) => void) => void;

/**
 * Express middleware. Mount it before the routes: routes registered earlier are
 * answered without it, and reported once as a warning. The route label is the
 * matched route's template joined to its router's mount path
 * (`app.use('/api', router)` + `router.get('/users/:id')` → `/api/users/:id`).
 */
export function expressMiddleware(observer: RequestObserver, options: HttpOptions, warnings: Warnings): ExpressMiddleware {
  const isIgnored = ignoredPathMatcher(options);
  const userRoute = options.route;
  const route: RouteReader = (request) => userRoute?.(request) ?? matchedExpressRoute(request);
  const attribute = requestAttributor(observer.attribution, options.attribute, 'mw.express');
  function modelwatchExpress(request: IncomingMessage, response: ServerResponse, next: (error?: unknown) => void): void {
    checkExpressOrder(request);
    if (isIgnored(request.url)) return next();
    trackExpressRoute(request);
    // The rest of the chain runs inside the request's server span (when Modelwatch made one).
    observer.run(request, response, route, attribute === undefined ? next : () => attribute(request, next));
  }
  markExpressMiddleware(modelwatchExpress, {
    isIgnored,
    report: (routes) => warnings.once(WARNING_CODE.expressRoutesBeforeMiddleware, routesBeforeMiddlewareMessage(routes)),
  });
  return modelwatchExpress;
}
