/**
 * Objectives that cover nothing a service has reported: a route glob with a
 * typo, a model the service never calls, a cache by another name. The rules
 * would be valid and silent forever, so `npm run alerts -- --prometheus <url>`
 * warns about each one against what that Prometheus has seen.
 */
import { LABEL, METRICS, SERVICE_LABEL, genAiMetricNames, matchesGlob, samplesOf, selector, type ModelMatch, type RouteMatch } from '@modelwatch/conventions';
import type { ServiceObjectives } from './objectives';

/** Label sets a Prometheus has seen, per kind of scope. */
export interface SeenSeries {
  readonly routes: readonly Readonly<Record<string, string>>[];
  readonly models: readonly Readonly<Record<string, string>>[];
  readonly caches: readonly Readonly<Record<string, string>>[];
}

/**
 * Every AI call, whichever GenAI names its exporter writes: the v0.1 inference durations beside the operation
 * durations, which hold every call in legacy mode (the group counts each model once either way).
 */
const aiCalls = samplesOf(genAiMetricNames('latest').callDuration, '_count');

export const SEEN_QUERIES: Record<keyof SeenSeries, string> = {
  routes: `group by (${SERVICE_LABEL}, ${LABEL.httpRequestMethod}, ${LABEL.httpRoute}) (${METRICS.httpServerRequestDuration.name}_count)`,
  models: `group by (${SERVICE_LABEL}, ${LABEL.genAiProviderName}, ${LABEL.genAiRequestModel}, ${LABEL.genAiOperationName}) (${selector(aiCalls.metric, {}, aiCalls.matchers)})`,
  caches: `group by (${SERVICE_LABEL}, ${LABEL.cacheName}) (${METRICS.cacheRequests.name})`,
};

const routeMatches = (route: RouteMatch, seen: Readonly<Record<string, string>>) =>
  (route.method === undefined || route.method === seen[LABEL.httpRequestMethod]) && matchesGlob(route.route, seen[LABEL.httpRoute] ?? '');
const modelMatches = (model: ModelMatch, seen: Readonly<Record<string, string>>) =>
  matchesGlob(model.provider, seen[LABEL.genAiProviderName] ?? '') &&
  matchesGlob(model.model, seen[LABEL.genAiRequestModel] ?? '') &&
  (model.operation === undefined || model.operation === seen[LABEL.genAiOperationName]);

/** One line per route, model or cache pattern of a named service that matches nothing it reported. */
export function uncoveredScopes(services: readonly ServiceObjectives[], seen: SeenSeries): string[] {
  const warnings = new Set<string>();
  for (const service of services) {
    // The defaults cover whatever other services there are: nothing to check them against.
    if (!('job' in service.jobs)) continue;
    const job = service.jobs.job;
    const of = (series: readonly Readonly<Record<string, string>>[]) => series.filter((s) => s[SERVICE_LABEL] === job);
    if (of(seen.routes).length === 0 && of(seen.models).length === 0 && of(seen.caches).length === 0) {
      warnings.add(`service ${job}: Prometheus has no series of it (is the job name right, and is it scraped?)`);
      continue;
    }
    for (const objective of service.objectives) {
      const scope = objective.scope;
      if (scope.over === 'http') {
        for (const route of scope.include ?? []) {
          if (!of(seen.routes).some((s) => routeMatches(route, s))) warnings.add(`service ${job}: route ${route.method ? `${route.method} ` : ''}${route.route} matches no route it has reported`);
        }
      } else if (scope.over === 'ai') {
        if (!of(seen.models).some((s) => modelMatches(scope.include, s))) warnings.add(`service ${job}: models ${objective.scopeText} match no model it has called`);
      }
    }
    for (const { scope } of service.caches) {
      if (!of(seen.caches).some((s) => matchesGlob(scope.include, s[LABEL.cacheName] ?? ''))) warnings.add(`service ${job}: cache ${scope.include} matches no cache it has used`);
    }
  }
  return [...warnings];
}

/** What the Prometheus at `url` has seen, by {@link SEEN_QUERIES}. */
export async function fetchSeen(url: string): Promise<SeenSeries> {
  const query = async (expr: string) => {
    const response = await fetch(`${url.replace(/\/$/, '')}/api/v1/query?${new URLSearchParams({ query: expr }).toString()}`);
    const body = (await response.json()) as { status: string; error?: string; data?: { result: { metric: Record<string, string> }[] } };
    if (body.status !== 'success' || !body.data) throw new Error(`${url}: ${expr}: ${body.error ?? response.status}`);
    return body.data.result.map((sample) => sample.metric);
  };
  const [routes, models, caches] = await Promise.all([query(SEEN_QUERIES.routes), query(SEEN_QUERIES.models), query(SEEN_QUERIES.caches)]);
  return { routes, models, caches };
}
