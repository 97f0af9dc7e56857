/**
 * `@modelwatch/exporter/fastify`: the Fastify adapter (Fastify 4 and 5, an
 * optional peer dependency). `await app.register(modelwatchFastify(mw), { metricsPath: '/metrics' })`;
 * a route opts out with `config: { modelwatch: false }`.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { Modelwatch } from './modelwatch';
import type { FastifyOptions } from './http/options';
import './http/fastify';

export type { FastifyOptions };

/** The Fastify plugin of `mw`: HTTP metrics and spans per route template, and the metrics at `metricsPath` when given. */
export function modelwatchFastify(mw: Modelwatch): FastifyPluginAsync<FastifyOptions> {
  return mw.fastify as unknown as FastifyPluginAsync<FastifyOptions>;
}
