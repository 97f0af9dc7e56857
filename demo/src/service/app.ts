import type { IncomingMessage } from 'node:http';
import { FAILOVER_WEBHOOK } from '@modelwatch/conventions';
import type { Attribution, Modelwatch } from '@modelwatch/exporter';
import type { Failover } from '@modelwatch/exporter/failover';
import { accessLog } from '@modelwatch/exporter/winston';
import express, { type Express } from 'express';
import type OpenAI from 'openai';
import type { DemoStore } from '../db/store';
import { TENANT_HEADER } from '../shared/tenants';
import { adminRouter } from '../faults/admin-api';
import type { RouteFaults } from '../faults/effects/route-faults';
import type { FaultTargets } from '../faults/parse-request';
import type { FaultRegistry } from '../faults/registry';
import type { ChatService } from './chat-service';
import { errorHandler } from './errors';
import type { Lifecycle } from './lifecycle';
import type { Logger } from './logger';
import type { Recommendations } from './recommendations';
import { chatRoute } from './routes/chat';
import { embeddingsRoute } from './routes/embeddings';
import { healthzRoute, readyzRoute } from './routes/health';
import { recommendationsRoute } from './routes/recommendations';

/** Route templates: the `http_route` label values and the targets of the `http_errors` fault. */
export const ROUTE = {
  chat: '/chat',
  embeddings: '/embeddings',
  recommendations: '/recommendations',
  healthz: '/healthz',
  readyz: '/readyz',
} as const;

/** Where Alertmanager posts the failover alerts (not a `ROUTE`: no fault targets it). */
export const FAILOVER_HOOK_PATH = FAILOVER_WEBHOOK.path;

/** What each route's AI calls are for: the `feature` of the spend they are attributed to. */
const FEATURE_OF_ROUTE: Readonly<Record<string, string>> = {
  [ROUTE.chat]: 'chat',
  [ROUTE.embeddings]: 'embeddings',
  [ROUTE.recommendations]: 'recommendations',
};

/** The tenant (the customer, named by the gateway's header) and feature (by route) of a request's AI calls. */
function attributeRequest(request: IncomingMessage): Attribution {
  const tenant = request.headers[TENANT_HEADER];
  const path = (request.url ?? '').split('?')[0] ?? '';
  return { tenant: typeof tenant === 'string' ? tenant : undefined, feature: FEATURE_OF_ROUTE[path] };
}

export interface AppParts {
  /** Undefined runs the app uninstrumented (see `DemoServiceOptions.instrumentation`). */
  mw: Modelwatch | undefined;
  logger: Logger;
  lifecycle: Lifecycle;
  chat: ChatService;
  recommendations: Recommendations;
  openai: OpenAI;
  store: DemoStore;
  cacheBackend: string;
  faults: FaultRegistry;
  faultTargets: FaultTargets;
  routeFaults: RouteFaults;
  adminToken: string | undefined;
  /** The Alertmanager failover receiver; undefined leaves its route out (404). */
  failover: Failover | undefined;
}

/**
 * The demo's Express app. Instrumentation comes first (`mw.express()`, then the
 * access log), metrics are served before the drain gate so the last scrape
 * works during shutdown, and each route has the `http_errors` fault gate in
 * front of its handler so injected 500s carry the route's template.
 */
export function buildApp(parts: AppParts): Express {
  const app = express();
  app.disable('x-powered-by');
  if (parts.mw) {
    app.use(parts.mw.express({ attribute: attributeRequest }));
    app.use(accessLog(parts.logger));
    app.get('/metrics', parts.mw.metricsHandler);
  }
  app.use(parts.lifecycle.middleware);
  app.use('/admin', adminRouter(parts.faults, parts.faultTargets, parts.adminToken));
  // Before the JSON parser: the receiver checks the token before it reads a byte of the body.
  if (parts.failover) app.post(FAILOVER_HOOK_PATH, parts.failover.handler);
  app.use(express.json({ limit: '256kb' }));

  const gate = (route: string) => parts.routeFaults.gate(route);
  app.post(ROUTE.chat, gate(ROUTE.chat), chatRoute(parts.chat));
  app.post(ROUTE.embeddings, gate(ROUTE.embeddings), embeddingsRoute(parts.openai));
  app.get(ROUTE.recommendations, gate(ROUTE.recommendations), recommendationsRoute(parts.recommendations));
  app.get(ROUTE.healthz, gate(ROUTE.healthz), healthzRoute);
  app.get(ROUTE.readyz, gate(ROUTE.readyz), readyzRoute(parts.lifecycle, parts.store, parts.cacheBackend));

  app.use((req, res) => {
    res.status(404).json({ error: `No route ${req.method} ${req.path}` });
  });
  app.use(errorHandler(parts.logger));
  return app;
}
