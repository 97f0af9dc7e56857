import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createModelwatch, type Modelwatch } from '@modelwatch/exporter';
import { createFailover, type Failover } from '@modelwatch/exporter/failover';
import { logAiCalls } from '@modelwatch/exporter/winston';
import type { FakeProviders } from '@modelwatch/fake-providers';
import { ChatRouter } from '../ai/chat-router';
import { FAILOVER_ROUTES } from '../ai/failover-routes';
import { LARGE_TENANTS } from '../shared/tenants';
import { CHAT_MODELS, EMBEDDING_MODEL, PROVIDERS } from '../ai/models';
import type { CacheStore } from '../cache/cache-store';
import { faultableStore } from '../cache/faultable-store';
import { jsonCache } from '../cache/json-cache';
import { memoryStore } from '../cache/memory-store';
import { redisStore } from '../cache/redis-store';
import { observedStore } from '../db/observed-store';
import { postgresStore } from '../db/postgres-store';
import { sqliteStore } from '../db/sqlite-store';
import type { DemoStore } from '../db/store';
import type { FaultTargets } from '../faults/parse-request';
import { serviceFaults, type DemoFaults } from '../faults/service-faults';
import { buildApp, ROUTE } from './app';
import { ChatService } from './chat-service';
import { Lifecycle } from './lifecycle';
import { serviceLogger, type Logger } from './logger';
import type { DemoServiceOptions } from './options';
import { connectProviders, type Providers } from './providers';
import { Recommendations } from './recommendations';
import { ensureTracing, flushTracing } from './tracing';
import { unobservedCache } from './unobserved-cache';

export interface DemoService {
  /** `http://host:port` */
  readonly url: string;
  /** Fault injection in-process: the same faults, checks and defaults as the admin API. */
  readonly faults: DemoFaults;
  /** The service's Modelwatch instance (tests read `mw.metrics()` without HTTP). */
  readonly mw: Modelwatch;
  /** The fake providers started in-process, when no base URLs were given. */
  readonly fakeProviders: FakeProviders | undefined;
  readonly logger: Logger;
  /** Drains in-flight requests (metrics stay scrapable meanwhile), heals faults, closes everything. Idempotent. */
  close(): Promise<void>;
}

/** `service.name` of the demo (its Prometheus job is `demo`). */
const DEMO_SERVICE_NAME = 'modelwatch-demo';

/**
 * The demo's `service.version`: its package's, unless `OTEL_RESOURCE_ATTRIBUTES` names one (a deploy does),
 * which the exporter then reads itself.
 */
function demoVersion(): string | undefined {
  if (/(?:^|,)\s*service\.version=/.test(process.env.OTEL_RESOURCE_ATTRIBUTES ?? '')) return undefined;
  return (JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
}

/** Starts the demo service; resolves once it listens and is ready. */
export async function startDemoService(options: DemoServiceOptions = {}): Promise<DemoService> {
  const logger = options.logger ?? serviceLogger(options.logLevel);
  const instrumented = options.instrumentation !== false;
  // Uninstrumented (a bench baseline), the instance exists for the service's shape but records nothing and collects nothing.
  const mw = instrumented
    ? createModelwatch({
        memoryLimitBytes: options.memoryLimitMb === undefined ? undefined : options.memoryLimitMb * 1024 * 1024,
        // Spend by customer and feature; the customers with a budget in demo/slos.yaml keep their series whatever they spend.
        attribution: { pinnedTenants: LARGE_TENANTS.map(([tenant]) => tenant) },
        // target_info: the deploy-regression alerts compare the versions a service ran.
        service: { name: process.env.OTEL_SERVICE_NAME ? undefined : DEMO_SERVICE_NAME, version: demoVersion() },
      })
    : createModelwatch({ defaultMetrics: false, tracing: false, exemplars: false });
  if (instrumented) {
    ensureTracing();
    logAiCalls(mw, logger);
  }
  const observeCache = (name: string) => (instrumented ? mw.observeCache(name) : unobservedCache);
  const cleanups: (() => Promise<unknown>)[] = [];
  const cleanup = async () => {
    for (const close of cleanups.reverse()) await close().catch((error: Error) => logger.warn('close failed', { error: error.message }));
  };

  try {
    // Runs last (cleanups run in reverse): the spans of the drained requests are sent before exit.
    cleanups.push(flushTracing);
    const providers: Providers = await connectProviders(instrumented ? mw : undefined, options);
    cleanups.push(() => providers.close());
    const faultTargets: FaultTargets = {
      providers: PROVIDERS,
      models: [...CHAT_MODELS.map((m) => m.name), EMBEDDING_MODEL],
      chatModels: CHAT_MODELS.filter((m) => !m.explicitOnly).map((m) => m.name),
      routes: Object.values(ROUTE),
    };
    const faults = serviceFaults(providers.faults, faultTargets, logger);
    cleanups.push(async () => faults.registry.close());
    const { dbDelayMs, cacheOutage } = faults.hooks;

    const rawStore = openStore(options, logger);
    cleanups.push(() => rawStore.close());
    await rawStore.migrate();
    const store = instrumented ? observedStore(rawStore, mw, () => dbDelayMs.current()) : rawStore;

    const baseCache = openCache(options, logger);
    cleanups.push(() => baseCache.close());
    const cache = faultableStore(baseCache, () => cacheOutage.current() > 0);
    const ttl = options.cacheTtlSeconds ?? 600;

    // Alertmanager's failover alerts open a model's circuit (its gauges need the metrics, so only when instrumented).
    const failover: Failover | undefined =
      instrumented && options.failoverToken
        ? createFailover(mw, { token: options.failoverToken, routes: FAILOVER_ROUTES, holdDownMs: options.failoverHoldDownMs, trialIntervalMs: options.failoverTrialMs, logger })
        : undefined;
    if (failover) cleanups.push(async () => failover.close());
    const router = new ChatRouter(
      providers.backends,
      (from, to) => logger.warn('ai failover', { from_provider: from.provider, from_model: from.model, error_type: from.errorType, to_provider: to.provider, to_model: to.name }),
      failover,
    );

    const lifecycle = new Lifecycle();
    const app = buildApp({
      mw: instrumented ? mw : undefined,
      logger,
      lifecycle,
      chat: new ChatService(router, jsonCache('answers', cache, observeCache('answers'), ttl), store, logger),
      recommendations: new Recommendations(router, jsonCache('recommendations', cache, observeCache('recommendations'), ttl), store),
      openai: providers.openai,
      store,
      cacheBackend: baseCache.backend,
      faults: faults.registry,
      faultTargets,
      routeFaults: faults.hooks.routes,
      adminToken: options.adminToken,
      failover,
    });

    const server = await listen(app, options.port ?? 8080, options.host ?? '127.0.0.1');
    const address = server.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    const url = `http://${host}:${address.port}`;
    lifecycle.markReady();
    logger.info('service listening', {
      url,
      db: store.system,
      cache: baseCache.backend,
      providers: providers.embedded ? `embedded fakes at ${providers.embedded.url}` : 'external',
      admin_api: options.adminToken ? 'enabled' : 'disabled',
      failover_webhook: failover ? 'enabled' : 'disabled',
    });

    let closing: Promise<void> | undefined;
    const close = () =>
      (closing ??= (async () => {
        logger.info('shutting down', { in_flight: lifecycle.inFlightRequests });
        const drained = await lifecycle.drain(options.drainTimeoutMs ?? 10_000);
        if (!drained) logger.warn('drain timed out', { in_flight: lifecycle.inFlightRequests });
        await stopServer(server);
        await cleanup();
        logger.info('service stopped');
      })());
    return { url, faults: faults.api, mw, fakeProviders: providers.embedded, logger, close };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

function openStore(options: DemoServiceOptions, logger: Logger): DemoStore {
  if (options.databaseUrl) return postgresStore({ connectionString: options.databaseUrl, onError: (error) => logger.error('postgres connection error', { error: error.message }) });
  return sqliteStore(options.dataDir ?? '.data/demo');
}

function openCache(options: DemoServiceOptions, logger: Logger): CacheStore {
  if (!options.redisUrl) return memoryStore();
  return redisStore({
    url: options.redisUrl,
    onStatus: (status, error) => (status === 'ready' ? logger.info('redis connected') : logger.warn('redis unavailable; answering without cache', { error: error?.message })),
  });
}

async function listen(app: ReturnType<typeof buildApp>, port: number, host: string): Promise<Server> {
  const server = app.listen(port, host);
  try {
    await once(server, 'listening');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new Error(`Port ${port} on ${host} is already in use: stop the other process or set PORT`);
    throw error;
  }
  // Slow AI answers must not be cut by Node's defaults; keep-alive longer than typical proxies' idle timeout.
  server.requestTimeout = 120_000;
  server.keepAliveTimeout = 65_000;
  return server;
}

/** Stops accepting connections, closes idle keep-alive ones, and after 2 s the rest. */
async function stopServer(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const force = setTimeout(() => server.closeAllConnections(), 2000);
  force.unref();
  await closed;
  clearTimeout(force);
}
