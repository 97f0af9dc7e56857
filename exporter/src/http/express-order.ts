import type { IncomingMessage } from 'node:http';

/** The parts of an Express app and its router layers read here (Express 4 and 5). */
interface App {
  _router?: unknown;
  router?: unknown;
}
interface Layer {
  handle?: unknown;
  route?: { path?: unknown; methods?: unknown };
}

/** What a middleware made by `mw.express()` leaves out on purpose, and where it reports routes it cannot see. */
interface MiddlewareOrder {
  isIgnored(path: string): boolean;
  report(routes: readonly string[]): void;
}

/** Middleware functions made by `mw.express()`, to be found in an app's router stack. */
const expressMiddlewares = new WeakMap<object, MiddlewareOrder>();
/** Apps already looked at: the check runs once per app. */
const checkedApps = new WeakSet<object>();
/** The app checked last: requests of one app skip even the WeakSet lookup. */
let lastApp: unknown;
/** Bounds the walk through nested routers. */
const MAX_ROUTER_DEPTH = 8;
/** Routes named in a warning; the rest are counted. */
const ROUTES_SHOWN = 5;

export function markExpressMiddleware(middleware: object, order: MiddlewareOrder): void {
  expressMiddlewares.set(middleware, order);
}

/**
 * Reports the routes an Express app registered before its Modelwatch middleware
 * (`GET /users/:id`): Express answers them without ever calling the middleware,
 * so they are never recorded. Looks once per app, at the first request seen from
 * it (by the middleware or the metrics handler); routes on ignored paths are left
 * out. Never throws.
 */
export function checkExpressOrder(request: IncomingMessage): void {
  try {
    const app = (request as { app?: App }).app;
    if (app === lastApp || (typeof app !== 'function' && (typeof app !== 'object' || app === null))) return;
    lastApp = app;
    if (checkedApps.has(app)) return;
    checkedApps.add(app);
    const routes: Route[] = [];
    // Express 4's `app.router` getter throws; its router is `_router`.
    const middleware = walk(app._router ?? app.router, routes, 0);
    if (middleware === undefined) return;
    const unseen = routes.filter((route) => !middleware.isIgnored(route.path)).map((route) => `${route.method} ${route.path}`);
    if (unseen.length > 0) middleware.report(unseen);
  } catch {
    // An app of another shape: nothing to say about it.
  }
}

interface Route {
  method: string;
  path: string;
}

/** Collects routes in stack order until a Modelwatch middleware, which it returns. */
function walk(router: unknown, routes: Route[], depth: number): MiddlewareOrder | undefined {
  const stack = (router as { stack?: unknown } | undefined)?.stack;
  if (!Array.isArray(stack) || depth > MAX_ROUTER_DEPTH) return undefined;
  for (const layer of stack as Layer[]) {
    const handle = layer.handle;
    const middleware = typeof handle === 'function' ? expressMiddlewares.get(handle) : undefined;
    if (middleware !== undefined) return middleware;
    if (layer.route !== undefined) routes.push(routeOf(layer.route));
    else {
      const nested = walk(handle, routes, depth + 1);
      if (nested !== undefined) return nested;
    }
  }
  return undefined;
}

function routeOf(route: NonNullable<Layer['route']>): Route {
  const methods = typeof route.methods === 'object' && route.methods !== null ? Object.keys(route.methods).filter((m) => m !== '_all') : [];
  return {
    method: methods.length === 0 ? 'ALL' : methods.map((m) => m.toUpperCase()).join(','),
    path: Array.isArray(route.path) ? route.path.join('|') : String(route.path),
  };
}

/** The warning's text for these routes. */
export function routesBeforeMiddlewareMessage(routes: readonly string[]): string {
  const shown = routes.slice(0, ROUTES_SHOWN).join(', ');
  const more = routes.length > ROUTES_SHOWN ? ` and ${routes.length - ROUTES_SHOWN} more` : '';
  return (
    `Express routes registered before app.use(mw.express()) are never recorded: ${shown}${more}. ` +
    'Mount the middleware before the routes (and routers). To leave a route out on purpose, list its path in ignorePaths.'
  );
}
