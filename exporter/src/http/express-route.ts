import { IncomingMessage } from 'node:http';

type ExpressRoute = { path?: unknown } | undefined;

/** The parts of an Express request read here (Express 4 and 5 alike). */
export interface ExpressRequest extends IncomingMessage {
  baseUrl?: string;
  route?: ExpressRoute;
}

// Kept beside the request, not on it: a property added to the request gives it a new
// hidden class, which slows Express's own (megamorphic) reads for the whole request.
/** Full template of the last route Express matched. */
const templates = new WeakMap<IncomingMessage, string | undefined>();
/** The value Express assigned to `req.route`, behind the prototype accessor below. */
const routes = new WeakMap<IncomingMessage, ExpressRoute>();
/** Requests that carry the accessor themselves (the fallback), so it is defined once. */
const withOwnAccessor = new WeakSet<IncomingMessage>();

/**
 * Starts remembering the full template of each route Express matches for this
 * request, taken when Express assigns `req.route`. Reading `baseUrl + route.path`
 * only when the response ends is wrong once an error leaves a mounted router:
 * Express restores `baseUrl` to the parent's on the way out but keeps
 * `req.route`, so a 500 from `/api` + `/items/:id` would be labelled `/items/:id`.
 *
 * `req.route` becomes an accessor on Express's request prototype, installed once
 * (a per-request `defineProperty` costs more than the rest of the observation),
 * and on the request itself only when that prototype cannot take it. Never throws.
 */
export function trackExpressRoute(request: IncomingMessage): void {
  const routed = request as ExpressRequest;
  try {
    if (hasPrototypeAccessor(request)) rememberTemplate(routed, routed.route);
    else defineOwnAccessor(routed);
  } catch {
    // A frozen or exotic request: matchedExpressRoute reads the route when the response ends.
  }
}

/** The template remembered when Express matched, else `baseUrl + route.path` as they are now. */
export function matchedExpressRoute(request: IncomingMessage): string | undefined {
  return templates.get(request) ?? expressRoute(request as ExpressRequest);
}

/** `baseUrl + route.path` once a route matched, undefined otherwise. */
function expressRoute(request: ExpressRequest): string | undefined {
  return routeTemplate(request.route?.path, request.baseUrl);
}

function rememberTemplate(request: ExpressRequest, route: ExpressRoute): void {
  if (route !== undefined) templates.set(request, routeTemplate(route.path, request.baseUrl));
}

const withAccessor = new WeakSet<object>();
const withoutAccessor = new WeakSet<object>();
/** The last prototype seen with the accessor: requests of one app share it, so this is the usual answer. */
let lastWithAccessor: object | undefined;

function hasPrototypeAccessor(request: IncomingMessage): boolean {
  const direct = Object.getPrototypeOf(request) as object | null;
  if (direct === null) return false;
  if (direct === lastWithAccessor) return true;
  if (withoutAccessor.has(direct)) return false;
  const installed = installPrototypeAccessor(request);
  if (installed) lastWithAccessor = direct;
  else withoutAccessor.add(direct);
  return installed;
}

/**
 * Installs the accessor on the object just above `IncomingMessage.prototype` in
 * the request's chain: Express's own request prototype, shared by an app and its
 * mounted sub-apps. False when there is none (a plain node:http request) or it
 * cannot take the accessor.
 */
function installPrototypeAccessor(request: IncomingMessage): boolean {
  const prototype = expressRequestPrototype(request);
  if (prototype === undefined) return false;
  if (withAccessor.has(prototype)) return true;
  if (Object.prototype.hasOwnProperty.call(prototype, 'route') || Object.prototype.hasOwnProperty.call(request, 'route')) return false;
  try {
    Object.defineProperty(prototype, 'route', {
      configurable: true,
      get(this: ExpressRequest) {
        return routes.get(this);
      },
      set(this: ExpressRequest, value: ExpressRoute) {
        routes.set(this, value);
        rememberTemplate(this, value);
      },
    });
  } catch {
    return false;
  }
  withAccessor.add(prototype);
  return true;
}

function expressRequestPrototype(request: IncomingMessage): object | undefined {
  let prototype = Object.getPrototypeOf(request) as object | null;
  while (prototype !== null && prototype !== IncomingMessage.prototype) {
    const parent = Object.getPrototypeOf(prototype) as object | null;
    if (parent === IncomingMessage.prototype) return prototype;
    prototype = parent;
  }
  return undefined;
}

/** The fallback: the same accessor on the request itself, once per request. */
function defineOwnAccessor(request: ExpressRequest): void {
  if (withOwnAccessor.has(request)) return;
  let route = request.route;
  rememberTemplate(request, route);
  Object.defineProperty(request, 'route', {
    configurable: true,
    enumerable: true,
    get: () => route,
    set: (value: ExpressRoute) => {
      route = value;
      rememberTemplate(request, value);
    },
  });
  withOwnAccessor.add(request);
}

function routeTemplate(path: unknown, baseUrl: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  const template = Array.isArray(path) ? path.map(String).join('|') : String(path);
  const base = baseUrl ?? '';
  if (base === '') return template;
  return template === '/' ? base : base + template;
}
