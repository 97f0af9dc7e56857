/**
 * Queries of the Overview page: the health score (recording rules when
 * loaded, else the same maths inline), each component's score and what drags
 * it down, key SLIs and the top offenders.
 */
import {
  AI_LATENCY_THRESHOLD_SECONDS,
  HEALTH_COMPONENTS,
  HTTP_LATENCY_THRESHOLD_SECONDS,
  HEALTH_WINDOW,
  LABEL,
  METRICS,
  aiErrorRatio,
  cacheHitRatio,
  componentScoreInline,
  componentScoreRecorded,
  healthScoreFrom,
  httpErrorRatio,
  saturationByResource,
  selector,
  type HealthComponentId,
  type QueryScope,
} from '@modelwatch/exporter/conventions';
import type { PromTarget } from '../data/dsQuery';
import { quantile, ratio, sumRate } from './promql';

type Target = Omit<PromTarget, 'refId'>;

const http = METRICS.httpServerRequestDuration.name;
const ai = METRICS.genAiOperationDuration.name;
const ROUTE = [LABEL.httpRequestMethod, LABEL.httpRoute];
const MODEL = [LABEL.genAiProviderName, LABEL.genAiRequestModel];

/** A component's score: the recording rule's series when Prometheus has it, else computed inline. */
export function componentScoreExpr(id: HealthComponentId, scope: QueryScope): string {
  return `${componentScoreRecorded(id, scope)} or ${componentScoreInline(id, scope)}`;
}

/** The weighted score with the configured weights, from recorded-or-inline component scores. */
export function healthScoreExpr(scope: QueryScope, weights: Partial<Record<HealthComponentId, number>>): string {
  return healthScoreFrom((id) => componentScoreExpr(id, scope), weights);
}

/** What explains a low component: its worst route, model, cache or resource. */
export function worstOffenderExpr(id: HealthComponentId, scope: QueryScope): string {
  switch (id) {
    case 'availability':
      return `topk(1, ${ratio(sumRate(`${http}_count`, ROUTE, scope, [`${LABEL.httpResponseStatusCode}=~"5.."`]), sumRate(`${http}_count`, ROUTE, scope))})`;
    case 'latency':
      return `topk(1, 1 - ${ratio(sumRate(`${http}_bucket`, ROUTE, scope, [`le="${HTTP_LATENCY_THRESHOLD_SECONDS}"`]), sumRate(`${http}_count`, ROUTE, scope))})`;
    case 'ai_success':
      return `topk(1, ${ratio(sumRate(`${ai}_count`, MODEL, scope, [`${LABEL.errorType}!=""`]), sumRate(`${ai}_count`, MODEL, scope))})`;
    case 'ai_latency':
      return `topk(1, 1 - ${ratio(sumRate(`${ai}_bucket`, MODEL, scope, [`le="${AI_LATENCY_THRESHOLD_SECONDS}"`]), sumRate(`${ai}_count`, MODEL, scope))})`;
    case 'cache':
      return `bottomk(1, ${ratio(sumRate(METRICS.cacheRequests.name, [LABEL.cacheName], scope, [`${LABEL.cacheResult}="hit"`]), sumRate(METRICS.cacheRequests.name, [LABEL.cacheName], scope))})`;
    case 'saturation':
      return `topk(1, ${saturationByResource(scope)})`;
  }
}

export function overviewTargets(scope: QueryScope, weights: Partial<Record<HealthComponentId, number>>) {
  const health = { ...scope, window: HEALTH_WINDOW };
  const targets = {
    score: { expr: healthScoreExpr(health, weights), instant: true },
    trend: { expr: healthScoreExpr(health, weights) },
    components: { expr: HEALTH_COMPONENTS.map((c) => `(${componentScoreExpr(c.id, health)})`).join(' or '), instant: true },
    requestRate: { expr: `sum(rate(${selector(`${http}_count`, health)}[${HEALTH_WINDOW}]))`, instant: true },
    errorRatio: { expr: httpErrorRatio(health), instant: true },
    p95: { expr: quantile(0.95, http, [], health), instant: true },
    aiErrorRatio: { expr: aiErrorRatio(health), instant: true },
    aiSpendPerHour: { expr: `sum(rate(${selector(METRICS.genAiCost.name, health)}[${HEALTH_WINDOW}])) * 3600`, instant: true },
    cacheHitRatio: { expr: cacheHitRatio(health), instant: true },
    // `>= 0` drops the NaN of routes without requests in the window.
    slowRoutes: { expr: `topk(5, ${quantile(0.95, http, ROUTE, health)} >= 0)`, instant: true },
    failingModels: {
      expr: `topk(5, ${ratio(sumRate(`${ai}_count`, MODEL, health, [`${LABEL.errorType}!=""`]), sumRate(`${ai}_count`, MODEL, health))} > 0)`,
      instant: true,
    },
  } satisfies Record<string, Target>;
  const offenders = Object.fromEntries(HEALTH_COMPONENTS.map((c) => [`offender_${c.id}`, { expr: worstOffenderExpr(c.id, health), instant: true }])) as Record<
    `offender_${HealthComponentId}`,
    Target
  >;
  return { ...targets, ...offenders };
}

