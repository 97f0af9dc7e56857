import { IncomingMessage } from 'node:http';

type ExpressRoute = { path?: unknown } | undefined;

/** The parts of an Express request read here (Express 4 and 5 alike). */
export interface ExpressRequest extends IncomingMessage {
  baseUrl?: string;
  route?: ExpressRoute;
  /** Express 5 keeps the app's router in `router`; Express 4 in `_router` (its `app.router` throws). */
  app?: ExpressApp;
}

/** An Express app as read here: its router, and for a sub-app where `app.use(path, subApp)` mounted it. */
interface ExpressApp {
  router?: unknown;
  _router?: unknown;
  parent?: ExpressApp;
  mountpath?: unknown;
}

/**
 * A layer of an Express router stack. Express 5 keeps the path it was mounted at as
 * written (`rawPath`); Express 4 only its compiled `regexp` and parameter `keys`.
 */
interface RouterLayer {
  rawPath?: unknown;
  regexp?: unknown;
  keys?: unknown;
  route?: unknown;
  handle?: { stack?: unknown };
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
  if (route !== undefined) templates.set(request, routeTemplate(route.path, mountTemplate(request, route)));
}

/**
 * The template of the path the route's router is mounted at (`/users/:id` for
 * `app.use('/users/:id', router)`), where Express itself only keeps the path
 * matched (`req.baseUrl` = `/users/42`), which must never become a label.
 * Mounts whose template cannot be read back fall back to `baseUrl`.
 */
function mountTemplate(request: ExpressRequest, route: object): string | undefined {
  const baseUrl = request.baseUrl;
  if (baseUrl === undefined || baseUrl === '') return baseUrl;
  const mounts = mountsOf(request, route);
  if (mounts.length === 0) return baseUrl;
  const pathSegments = baseUrl.toLowerCase().split('/');
  for (const mount of mounts) if (matchesMount(mount, pathSegments)) return mount.template;
  return baseUrl;
}

/** A mount template, with its segments lower-cased once (Express matches paths case-insensitively). */
interface Mount {
  template: string;
  segments: readonly string[];
}

/** Mount templates through which each route is reached, found once per route object (routes live as long as the app). */
const mountsByRoute = new WeakMap<object, readonly Mount[]>();
/** Bounds the walk of the router tree: deeper nesting falls back to `baseUrl`. */
const MAX_MOUNT_DEPTH = 8;
/** Wildcards and optional parts: a template with them is not matched segment by segment (baseUrl is kept). */
const NOT_SEGMENT_MATCHABLE = /[*?{}()]/;

function mountsOf(request: ExpressRequest, route: object): readonly Mount[] {
  let mounts = mountsByRoute.get(route);
  if (mounts === undefined) {
    const found: Mount[] = [];
    try {
      const app = request.app;
      const appPrefix = app === undefined ? undefined : appMountTemplate(app);
      if (app !== undefined && appPrefix !== undefined) collectMounts(app._router ?? app.router, route, appPrefix, found, 0);
    } catch {
      // An app of another shape: baseUrl it is.
    }
    mounts = found;
    mountsByRoute.set(route, mounts);
  }
  return mounts;
}

/**
 * Where the app is mounted, as written: '' for the top-level app; for a sub-app the
 * `mountpath` of each `app.use(path, subApp)` up to the top (what Express's own
 * `app.path()` joins). Undefined when one of them cannot be matched segment by segment
 * (path arrays, regexps, wildcards, optional parts): such an app keeps `baseUrl`.
 */
function appMountTemplate(app: ExpressApp): string | undefined {
  let prefix = '';
  let current: ExpressApp | undefined = app;
  for (let depth = 0; current?.parent !== undefined; depth++, current = current.parent) {
    const path = current.mountpath;
    if (depth > MAX_MOUNT_DEPTH || typeof path !== 'string' || NOT_SEGMENT_MATCHABLE.test(path)) return undefined;
    if (path !== '/') prefix = path + prefix;
  }
  return prefix;
}

function collectMounts(router: unknown, route: object, prefix: string, found: Mount[], depth: number): void {
  const stack = (router as { stack?: unknown } | undefined)?.stack;
  if (!Array.isArray(stack) || depth > MAX_MOUNT_DEPTH) return;
  for (const layer of stack as RouterLayer[]) {
    if (layer.route === route) {
      if (prefix !== '' && !NOT_SEGMENT_MATCHABLE.test(prefix)) found.push({ template: prefix, segments: prefix.toLowerCase().split('/') });
    } else if (layer.route === undefined && Array.isArray(layer.handle?.stack)) {
      const path = mountPath(layer);
      if (path !== undefined) collectMounts(layer.handle, route, path === '/' ? prefix : prefix + path, found, depth + 1);
    }
  }
}

/** The path a router layer is mounted at, as written; undefined when it cannot be told. */
function mountPath(layer: RouterLayer): string | undefined {
  if (typeof layer.rawPath === 'string') return layer.rawPath;
  return layer.regexp instanceof RegExp && Array.isArray(layer.keys) ? express4MountPath(layer.regexp, layer.keys as { name?: unknown }[]) : undefined;
}

/** What Express 4 (path-to-regexp 0.1) compiles a mount path to: `^`, the path, then the end of a segment. */
const EXPRESS4_MOUNT_END = '\\/?(?=\\/|$)';
/** A required `/:name` parameter, compiled. */
const EXPRESS4_PARAMETER = '(?:\\/([^/]+?))';
/** A mount at `/`, which Express 4 compiles with this flag instead of a path. */
interface FastSlash {
  fast_slash?: unknown;
}

/**
 * Reads an Express 4 mount path back from its compiled regexp: literal segments and
 * required `/:name` parameters (`^\/users(?:\/([^/]+?))\/?(?=\/|$)` → `/users/:id`).
 * Anything else (optional parameters, wildcards, regexps, path arrays) is undefined,
 * and such a mount keeps `baseUrl`.
 */
function express4MountPath(regexp: RegExp, keys: readonly { name?: unknown }[]): string | undefined {
  if ((regexp as FastSlash).fast_slash === true) return '/';
  const source = regexp.source;
  if (!source.startsWith('^') || !source.endsWith(EXPRESS4_MOUNT_END)) return undefined;
  const parts = source.slice(1, -EXPRESS4_MOUNT_END.length).split(EXPRESS4_PARAMETER);
  if (parts.length - 1 !== keys.length) return undefined;
  let path = '';
  for (let i = 0; i < parts.length; i++) {
    const literal = (parts[i] as string).replace(/\\([/.])/g, '$1');
    if (/[\\^$()[\]{}|?*+]/.test(literal)) return undefined;
    path += literal;
    if (i < keys.length) {
      const name = keys[i]?.name;
      if (typeof name !== 'string') return undefined;
      path += '/:' + name;
    }
  }
  return path === '' ? '/' : path;
}

/** Whether the (lower-cased) baseUrl segments fit the mount: as many segments, literal ones equal, `:param` ones non-empty. */
function matchesMount(mount: Mount, pathSegments: readonly string[]): boolean {
  const { segments } = mount;
  if (segments.length !== pathSegments.length) return false;
  return segments.every((segment, i) => (segment.startsWith(':') ? pathSegments[i] !== '' : segment === pathSegments[i]));
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
