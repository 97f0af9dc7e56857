import type { IncomingMessage } from 'node:http';
import type { AttributeRequest } from '../attribution/request-scope';
import { arrayOf, func, string, type Shape } from '../options/schema';

export interface HttpOptions {
  /**
   * Paths whose requests are not recorded, matched on the URL path without the query.
   * @defaultValue `['/metrics']`, so Prometheus scrapes do not skew the RED metrics.
   */
  ignorePaths?: readonly string[];
  /**
   * Route template of a request, for requests the framework did not route
   * (return undefined to let the adapter decide). Must return a template such
   * as `/users/:id`, never the raw path: its values become label values.
   */
  route?: (request: IncomingMessage) => string | undefined;
  /**
   * Who and what the request's AI calls are for, e.g. `(req) => ({ tenant: req.headers['x-tenant-id'] })`
   * (with Fastify, `request` is `request.raw`). Called at the request's first AI call; a function that
   * throws or returns something other than strings is counted, never thrown. Needs
   * `createModelwatch({ attribution: true })`.
   */
  attribute?: AttributeRequest;
}

export const HTTP_OPTIONS: Shape<HttpOptions> = { ignorePaths: arrayOf(string), route: func, attribute: func };

/** What `app.register(modelwatchFastify(mw), options)` takes besides Fastify's own register options. */
export interface FastifyOptions extends HttpOptions {
  /** Also serve the metrics at this path (e.g. '/metrics'); off by default. */
  metricsPath?: string;
}

/**
 * The Fastify plugin as the `Modelwatch` class holds it, typed without Fastify's
 * types (Fastify is an optional peer): `modelwatchFastify(mw)` from
 * `@modelwatch/exporter/fastify` gives it Fastify's plugin type.
 */
export type FastifyPluginLike = (instance: object, options: FastifyOptions) => Promise<void>;

export const DEFAULT_IGNORED_PATHS = ['/metrics'] as const;

/** Past this many paths, one Set lookup is cheaper than comparing the URL with each path. */
const MAX_PATHS_COMPARED = 8;
const QUESTION_MARK = 0x3f;

/** Predicate for `ignorePaths`, built once per middleware. */
export function ignoredPathMatcher(options: HttpOptions): (url: string | undefined) => boolean {
  const paths = [...new Set(options.ignorePaths ?? DEFAULT_IGNORED_PATHS)];
  if (paths.length === 0) return () => false;
  if (paths.length > MAX_PATHS_COMPARED) {
    const pathSet = new Set(paths);
    return (url) => {
      if (url === undefined) return false;
      const queryStart = url.indexOf('?');
      return pathSet.has(queryStart === -1 ? url : url.slice(0, queryStart));
    };
  }
  // Compared one by one: most comparisons stop within the first few characters, where a Set would hash each
  // request's new URL string after cutting its query off (about 160 instructions a request).
  return (url) => {
    if (url === undefined) return false;
    for (let i = 0; i < paths.length; i++) if (isPathOf(url, paths[i]!)) return true;
    return false;
  };
}

/** True when `url`, without its query, is `path`. */
function isPathOf(url: string, path: string): boolean {
  return url.startsWith(path) && (url.length === path.length || url.charCodeAt(path.length) === QUESTION_MARK);
}
