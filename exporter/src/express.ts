/**
 * `@modelwatch/exporter/express`: the Express adapter (Express 4 and 5, an
 * optional peer dependency). `app.use(modelwatchExpress(mw))` before the routes.
 */
import type { ExpressMiddleware } from './http/express';
import type { HttpOptions } from './http/options';
import type { Modelwatch } from './modelwatch';

export type { ExpressMiddleware, HttpOptions };

/** The Express middleware of `mw` (the same as `mw.express(options)`); `options` override the instance's `http` defaults. */
export function modelwatchExpress(mw: Modelwatch, options?: HttpOptions): ExpressMiddleware {
  return mw.express(options);
}
