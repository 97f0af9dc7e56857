import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { nonEmptyString, port, validateOptions, type Shape } from '../options/schema';
import type { MetricsHandler } from './metrics-handler';

export interface MetricsServerOptions {
  /** @defaultValue 9464 (the OpenTelemetry Prometheus exporter's port) */
  port?: number;
  /**
   * The address to listen on. The default keeps the metrics, which name the
   * service's routes, models and spend, off the network: only a scraper on the
   * same machine (or in the same pod or network namespace) reaches them. Give
   * `'0.0.0.0'` (or one interface's address) for a scraper elsewhere, together
   * with `metricsEndpoint.auth`.
   * @defaultValue '127.0.0.1'
   */
  host?: string;
  /** @defaultValue '/metrics' */
  path?: string;
}

export interface MetricsServer {
  readonly server: Server;
  /** The bound address, once listening (port 0 picks a free one). */
  readonly url: string;
  close(): Promise<void>;
}

const METRICS_SERVER_OPTIONS: Shape<MetricsServerOptions> = { port, host: nonEmptyString, path: nonEmptyString };

/** A metrics endpoint on its own port, apart from the app's traffic. Rejects options it does not know, before listening. */
export async function startMetricsServer(handler: MetricsHandler, options: MetricsServerOptions = {}): Promise<MetricsServer> {
  validateOptions('startMetricsServer', METRICS_SERVER_OPTIONS, options);
  const path = options.path ?? '/metrics';
  const server = createServer((request, response) => {
    const url = request.url ?? '/';
    const queryStart = url.indexOf('?');
    if ((queryStart === -1 ? url : url.slice(0, queryStart)) === path) return handler(request, response);
    response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`Not Found: metrics are at ${path}\n`);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 9464, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    server,
    url: `http://${host}:${address.port}${path}`,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
