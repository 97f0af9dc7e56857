import type { FastifyPluginAsync } from 'fastify';
import fastifyPlugin from 'fastify-plugin';
import { anyOf, nonEmptyString, validateOptions, type Shape } from '../options/schema';
import type { MetricsHandler } from '../server/metrics-handler';
import { requestAttributor } from '../attribution/request-scope';
import { HTTP_OPTIONS, ignoredPathMatcher, type FastifyOptions } from './options';
import type { RequestObserver, RouteReader } from './request-observer';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set to false to leave this route out of the HTTP metrics. */
    modelwatch?: boolean;
  }
}

/** What `app.register(modelwatchFastify(mw), options)` accepts: ours, and the options Fastify itself reads at every register. */
interface FastifyRegisterOptions extends FastifyOptions {
  prefix?: unknown;
  logLevel?: unknown;
  logSerializers?: unknown;
}

const FASTIFY_REGISTER_OPTIONS: Shape<FastifyRegisterOptions> = {
  ...HTTP_OPTIONS,
  metricsPath: nonEmptyString,
  prefix: anyOf("Fastify's"),
  logLevel: anyOf("Fastify's"),
  logSerializers: anyOf("Fastify's"),
};

/**
 * Fastify plugin (Fastify 4 and 5). The route label is `routeOptions.url`,
 * the template Fastify matched; 404s share `_unmatched`. A route opts out with
 * `config: { modelwatch: false }`.
 */
export function createFastifyPlugin(observer: RequestObserver, metricsHandler: MetricsHandler, defaults: FastifyOptions = {}): FastifyPluginAsync<FastifyOptions> {
  const plugin: FastifyPluginAsync<FastifyOptions> = async (fastify, pluginOptions) => {
    // A rejection here fails `app.register()`, before the app serves anything.
    validateOptions('app.register(modelwatchFastify(mw), options)', FASTIFY_REGISTER_OPTIONS, pluginOptions);
    const options = { ...defaults, ...pluginOptions };
    const isIgnored = ignoredPathMatcher(options);
    const userRoute = options.route;
    // `matched` is the template Fastify routed the request to, handed over when the request started.
    const route: RouteReader = (raw, matched) => userRoute?.(raw) ?? matched;
    const attribute = requestAttributor(observer.attribution, options.attribute, 'app.register(modelwatchFastify(mw), options)');
    fastify.addHook('onRequest', (request, reply, done) => {
      // Fastify builds `routeOptions` afresh on each read: read it once.
      const routeOptions = request.routeOptions;
      if (routeOptions.config?.modelwatch === false || isIgnored(request.raw.url)) return done();
      // Fastify has matched the route by now. The rest of the lifecycle (hooks, body parsing,
      // the handler) runs inside the request's server span.
      const proceed = attribute === undefined ? done : () => attribute(request.raw, done);
      observer.run(request.raw, reply.raw, route, proceed, routeOptions.url);
    });
    if (options.metricsPath) {
      fastify.get(options.metricsPath, { config: { modelwatch: false } }, (request, reply) => {
        reply.hijack();
        metricsHandler(request.raw, reply.raw);
      });
    }
  };
  return fastifyPlugin(plugin, { fastify: '4.x || 5.x', name: '@modelwatch/exporter' });
}
