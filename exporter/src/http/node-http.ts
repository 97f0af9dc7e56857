import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { arrayOf, string, type Shape } from '../options/schema';
import { requestAttributor } from '../attribution/request-scope';
import { HTTP_OPTIONS, ignoredPathMatcher, type HttpOptions } from './options';
import type { RequestObserver, RouteReader } from './request-observer';

export interface NodeHttpOptions extends HttpOptions {
  /**
   * Route templates of this server (`/users/:id`, `/static/*`), matched in order
   * against the URL path; requests matching none share `_unmatched`.
   */
  routes?: readonly string[];
}

export const NODE_HTTP_OPTIONS: Shape<NodeHttpOptions> = { ...HTTP_OPTIONS, routes: arrayOf(string) };

/** Wraps a node:http request listener: `http.createServer(mw.http(listener, { routes }))`. */
export function wrapRequestListener<Req extends IncomingMessage, Res extends ServerResponse>(
  observer: RequestObserver,
  listener: RequestListener<typeof IncomingMessage, typeof ServerResponse>,
  options: NodeHttpOptions = {},
): (request: Req, response: Res) => void {
  const isIgnored = ignoredPathMatcher(options);
  const matchRoute = routeMatcher(options.routes ?? []);
  const userRoute = options.route;
  const route: RouteReader = (request) => userRoute?.(request) ?? matchRoute(request.url);
  const attribute = requestAttributor(observer.attribution, options.attribute, 'mw.http');
  const proceed = attribute === undefined ? listener : (request: IncomingMessage, response: ServerResponse) => attribute(request, () => listener(request, response));
  return function modelwatchHttp(request, response) {
    if (isIgnored(request.url)) return listener(request, response);
    // The listener runs inside the request's server span (when Modelwatch made one).
    observer.run(request, response, route, () => proceed(request, response));
  };
}

/** Compiles templates once: `:name` matches one path segment, a trailing `*` the rest. */
export function routeMatcher(templates: readonly string[]): (url: string | undefined) => string | undefined {
  const compiled = templates.map((template) => ({ template, pattern: templatePattern(template) }));
  return (url) => {
    if (url === undefined || compiled.length === 0) return undefined;
    const queryStart = url.indexOf('?');
    const path = queryStart === -1 ? url : url.slice(0, queryStart);
    return compiled.find(({ pattern }) => pattern.test(path))?.template;
  };
}

function templatePattern(template: string): RegExp {
  const source = template
    .split('/')
    .map((segment) => {
      if (segment === '*') return '.*';
      if (segment.startsWith(':')) return '[^/]+';
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return new RegExp(`^${source}/?$`);
}
