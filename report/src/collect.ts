/**
 * Reads a report's figures from Prometheus: totals, quantiles and shares over
 * the whole range (instant queries at its end, the range as window), and the
 * series the charts draw (range queries). Every query comes from the
 * conventions' builders.
 */
import {
  LABEL,
  METRICS,
  REPORT_MODEL_LABELS,
  REPORT_ROUTE_LABELS,
  REPORT_SLO_LABELS,
  SATURATION_RESOURCE,
  SERVICE_LABEL,
  AI_ERROR_TYPE,
  CACHE_RESULT,
  SLO_LABEL,
  attributedBudget,
  jobScope,
  projectedMonthSpend,
  quantile,
  recordedMonthlyBudget,
  rangeWindow,
  resourceUse,
  shareBy,
  sloBudgetRemaining,
  sloErrorRatioOverRange,
  spendByTenant,
  sumRate,
  totalOver,
  type QueryScope,
} from '@modelwatch/conventions';
import type { ModelFigures, PerformanceReport, Quantiles, ResourceFigures, RouteFigures, SloFigures, TimeSeries } from './model';
import type { PrometheusClient, RangeSample, Sample } from './prometheus';

/** A range of one Prometheus, in unix seconds, optionally one service's. */
export interface Range {
  from: number;
  to: number;
  job?: string;
}

/** Thrown when the range holds neither HTTP requests nor AI calls: there is nothing to report. */
export class NoDataError extends Error {}

/** Most points a chart's series has over the range. */
const CHART_POINTS = 240;

const httpHistogram = METRICS.httpServerRequestDuration.name;
const httpCount = `${httpHistogram}_count`;
const aiHistogram = METRICS.genAiOperationDuration.name;
const aiCount = `${aiHistogram}_count`;
const modelOnly = [LABEL.genAiProviderName, LABEL.genAiRequestModel];
const routeOnly = [LABEL.httpRequestMethod, LABEL.httpRoute];

/** Six significant digits: the float noise of a rate is not part of a report (and would make every diff noisy). */
export function round(value: number): number {
  return Number(value.toPrecision(6));
}

/** The figures of a report, without its source, comparison and recommendations. */
export type Figures = Pick<PerformanceReport, 'totals' | 'routes' | 'models' | 'cache' | 'slos' | 'resources' | 'budgets' | 'tenants' | 'series'>;

export async function collectFigures(prometheus: PrometheusClient, range: Range): Promise<Figures> {
  const durationSeconds = range.to - range.from;
  const window = rangeWindow({ from: range.from * 1000, to: range.to * 1000 });
  const scope = jobScope(range.job, window);
  const at = (expr: string, time = range.to) => prometheus.query(expr, time);
  const key = (labels: readonly string[]) => (metric: Record<string, string>) => labels.map((label) => metric[label] ?? '').join('\u0000');
  const routeKey = key(REPORT_ROUTE_LABELS);
  const modelKey = key(REPORT_MODEL_LABELS);
  const quantiles = async (histogram: string, labels: readonly string[], keyOf: (m: Record<string, string>) => string) => {
    const [p50, p95, p99] = await Promise.all([0.5, 0.95, 0.99].map((q) => at(quantile(q, histogram, labels, scope))));
    return (id: string): Quantiles => ({ p50: valueOf(p50!, keyOf, id), p95: valueOf(p95!, keyOf, id), p99: valueOf(p99!, keyOf, id) });
  };

  const [routeRequests, routeLatency, routeErrors, routeLimited] = await Promise.all([
    at(totalOver(httpCount, REPORT_ROUTE_LABELS, scope, window)),
    quantiles(httpHistogram, REPORT_ROUTE_LABELS, routeKey),
    at(shareBy(routeOnly, httpCount, [`${LABEL.httpResponseStatusCode}=~"5.."`], scope)),
    at(shareBy(routeOnly, httpCount, [`${LABEL.httpResponseStatusCode}="429"`], scope)),
  ]);
  const routes: RouteFigures[] = sortBy(routeRequests.filter((s) => s.value > 0), routeKey).map((s) => {
    const id = routeKey(s.metric);
    return {
      job: s.metric[SERVICE_LABEL] ?? '',
      method: s.metric[LABEL.httpRequestMethod] ?? '',
      route: s.metric[LABEL.httpRoute] ?? '',
      requests: round(s.value),
      requestsPerSecond: round(s.value / durationSeconds),
      latencySeconds: routeLatency(id),
      errorRatio: valueOf(routeErrors, routeKey, id),
      rateLimitedRatio: valueOf(routeLimited, routeKey, id),
    };
  });

  const [modelCalls, modelDuration, modelTtfc, modelTpot, modelErrors, modelLimited, modelCost] = await Promise.all([
    at(totalOver(aiCount, REPORT_MODEL_LABELS, scope, window)),
    quantiles(aiHistogram, REPORT_MODEL_LABELS, modelKey),
    quantiles(METRICS.genAiTimeToFirstChunk.name, REPORT_MODEL_LABELS, modelKey),
    quantiles(METRICS.genAiTimePerOutputToken.name, REPORT_MODEL_LABELS, modelKey),
    at(shareBy(modelOnly, aiCount, [`${LABEL.errorType}!=""`], scope)),
    at(shareBy(modelOnly, aiCount, [`${LABEL.errorType}="${AI_ERROR_TYPE.rateLimited}"`], scope)),
    at(totalOver(METRICS.genAiCost.name, REPORT_MODEL_LABELS, scope, window)),
  ]);
  const models: ModelFigures[] = sortBy(modelCalls.filter((s) => s.value > 0), modelKey).map((s) => {
    const id = modelKey(s.metric);
    const costUsd = valueOf(modelCost, modelKey, id) ?? 0;
    return {
      job: s.metric[SERVICE_LABEL] ?? '',
      provider: s.metric[LABEL.genAiProviderName] ?? '',
      model: s.metric[LABEL.genAiRequestModel] ?? '',
      calls: round(s.value),
      callsPerSecond: round(s.value / durationSeconds),
      durationSeconds: modelDuration(id),
      timeToFirstChunkSeconds: modelTtfc(id),
      timePerOutputTokenSeconds: modelTpot(id),
      errorRatio: valueOf(modelErrors, modelKey, id),
      rateLimitedRatio: valueOf(modelLimited, modelKey, id),
      costUsd: round(costUsd),
      costPer1kCallsUsd: round((1000 * costUsd) / s.value),
    };
  });
  if (routes.length === 0 && models.length === 0) {
    const when = `${new Date(range.from * 1000).toISOString()} to ${new Date(range.to * 1000).toISOString()}`;
    throw new NoDataError(`Prometheus at ${prometheus.url} has no HTTP request and no AI call${range.job ? ` of job "${range.job}"` : ''} from ${when}: nothing to report, nothing written. Check the range (--from, --to) and --job.`);
  }

  const tenantLabels = [SERVICE_LABEL, LABEL.tenant];
  const [cacheLookups, cacheHits, cacheSaved, sloErrors, budgetAtStart, budgetAtEnd, tenantSpend, tenantMonth, tenantBudgets, jobMonth, jobBudgets] = await Promise.all([
    at(totalOver(METRICS.cacheRequests.name, [], scope, window)),
    at(totalOver(METRICS.cacheRequests.name, [], scope, window, [`${LABEL.cacheResult}="${CACHE_RESULT.hit}"`])),
    at(totalOver(METRICS.cacheSavedCost.name, [], scope, window)),
    at(sloErrorRatioOverRange(scope, window)),
    at(sloBudgetRemaining(scope), range.from),
    at(sloBudgetRemaining(scope)),
    at(spendByTenant(scope, window)),
    at(projectedMonthSpend(METRICS.genAiAttributedCost.name, tenantLabels, scope)),
    at(attributedBudget(LABEL.tenant, scope)),
    at(projectedMonthSpend(METRICS.genAiCost.name, [SERVICE_LABEL], scope)),
    at(recordedMonthlyBudget(scope)),
  ]);
  const tenantKey = key(tenantLabels);
  const jobKey = key([SERVICE_LABEL]);
  const lookups = cacheLookups[0]?.value ?? 0;
  const sloKey = key(REPORT_SLO_LABELS);
  const sloIds = new Map([...sloErrors, ...budgetAtEnd].map((s) => [sloKey(s.metric), s.metric]));
  const slos: SloFigures[] = [...sloIds.values()].sort((a, b) => sloKey(a).localeCompare(sloKey(b))).map((metric) => {
    const id = sloKey(metric);
    const target = Number(metric[SLO_LABEL.target]);
    const errorRatio = valueOf(sloErrors, sloKey, id);
    const start = valueOf(budgetAtStart, sloKey, id);
    const end = valueOf(budgetAtEnd, sloKey, id);
    const compliance = errorRatio === null ? null : round(1 - errorRatio);
    return {
      job: metric[SERVICE_LABEL] ?? '',
      slo: metric[SLO_LABEL.name] ?? '',
      kind: metric[SLO_LABEL.kind] ?? '',
      scope: metric[SLO_LABEL.scope] ?? '',
      target,
      compliance,
      met: compliance === null ? null : compliance >= target,
      budgetRemainingAtStart: start,
      budgetRemainingAtEnd: end,
      budgetUsed: start === null || end === null ? null : round(start - end),
    };
  });

  const series = await collectSeries(prometheus, range, scope);
  const requests = routes.reduce((sum, r) => sum + r.requests, 0);
  const aiCalls = models.reduce((sum, m) => sum + m.calls, 0);
  const costUsd = models.reduce((sum, m) => sum + m.costUsd, 0);
  const weighted = (ratio: (r: RouteFigures) => number | null) => (requests === 0 ? null : round(routes.reduce((sum, r) => sum + r.requests * (ratio(r) ?? 0), 0) / requests));
  return {
    totals: {
      requests: round(requests),
      requestsPerSecond: round(requests / durationSeconds),
      errorRatio: weighted((r) => r.errorRatio),
      rateLimitedRatio: weighted((r) => r.rateLimitedRatio),
      aiCalls: round(aiCalls),
      costUsd: round(costUsd),
      costPer1kRequestsUsd: requests === 0 ? null : round((1000 * costUsd) / requests),
    },
    routes,
    models,
    cache: { hitRatio: lookups > 0 ? round((cacheHits[0]?.value ?? 0) / lookups) : null, savedUsd: round(cacheSaved[0]?.value ?? 0) },
    slos,
    resources: series.resources,
    budgets: sortBy(jobMonth, jobKey).map((s) => {
      const monthlyBudgetUsd = valueOf(jobBudgets, jobKey, jobKey(s.metric));
      return { job: s.metric[SERVICE_LABEL] ?? '', projectedMonthUsd: round(s.value), monthlyBudgetUsd, budgetShare: monthlyBudgetUsd ? round(s.value / monthlyBudgetUsd) : null };
    }),
    tenants: sortBy(tenantSpend, tenantKey)
      .map((s) => ({
        job: s.metric[SERVICE_LABEL] ?? '',
        tenant: s.metric[LABEL.tenant] ?? '',
        costUsd: round(s.value),
        projectedMonthUsd: valueOf(tenantMonth, tenantKey, tenantKey(s.metric)) ?? 0,
        monthlyBudgetUsd: valueOf(tenantBudgets, tenantKey, tenantKey(s.metric)),
      }))
      .sort((a, b) => b.costUsd - a.costUsd),
    series: series.charts,
  };
}

async function collectSeries(prometheus: PrometheusClient, range: Range, scope: QueryScope): Promise<{ charts: Figures['series']; resources: ResourceFigures[] }> {
  const step = Math.max(15, Math.ceil((range.to - range.from) / CHART_POINTS));
  // A rate needs two samples in its window whatever the scrape interval; a minute is the dashboards' floor.
  const rateScope: QueryScope = { ...scope, window: `${Math.max(60, 2 * step)}s` };
  const over = (expr: string) => prometheus.queryRange(expr, range.from, range.to, step);
  const name = (labels: readonly string[], join: string) => (metric: Record<string, string>) => {
    const own = labels.map((label) => metric[label] ?? '').join(join);
    return range.job ? own : `${metric[SERVICE_LABEL] ?? ''} ${own}`;
  };
  const routeName = name(routeOnly, ' ');
  const modelName = name(modelOnly, '/');
  const [requestsPerSecond, latencyP95, modelCalls, resources] = await Promise.all([
    over(sumRate(httpCount, [SERVICE_LABEL, ...routeOnly], rateScope)),
    over(quantile(0.95, httpHistogram, [SERVICE_LABEL, ...routeOnly], rateScope)),
    over(sumRate(aiCount, [SERVICE_LABEL, ...modelOnly], rateScope)),
    over(resourceUse(rateScope)),
  ]);
  const byResource = (resource: string) => resources.filter((s) => s.metric.resource === resource);
  const jobName = (metric: Record<string, string>) => metric[SERVICE_LABEL] ?? '';
  const jobs = [...new Set(resources.map((s) => jobName(s.metric)))].sort();
  const stats = (resource: string, job: string) => {
    const values = byResource(resource).find((s) => jobName(s.metric) === job)?.values.map(([, v]) => v) ?? [];
    return values.length === 0 ? null : { mean: round(values.reduce((a, b) => a + b, 0) / values.length), max: round(Math.max(...values)) };
  };
  return {
    charts: {
      requestsPerSecond: toSeries(requestsPerSecond, routeName),
      latencyP95Seconds: toSeries(latencyP95, routeName),
      modelCallsPerSecond: toSeries(modelCalls, modelName),
      cpuCores: toSeries(byResource(SATURATION_RESOURCE.cpu), jobName),
      residentMemoryBytes: toSeries(byResource(SATURATION_RESOURCE.memory), jobName),
      eventLoopLagP99Seconds: toSeries(byResource(SATURATION_RESOURCE.eventLoop), jobName),
    },
    resources: jobs.map((job) => ({
      job,
      cpuCores: stats(SATURATION_RESOURCE.cpu, job),
      residentMemoryBytes: stats(SATURATION_RESOURCE.memory, job),
      eventLoopLagP99Seconds: stats(SATURATION_RESOURCE.eventLoop, job),
    })),
  };
}

function toSeries(samples: readonly RangeSample[], name: (metric: Record<string, string>) => string): TimeSeries[] {
  return samples
    .map((s) => ({ name: name(s.metric), points: s.values.map(([t, v]): [number, number] => [t, round(v)]) }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

function valueOf(samples: readonly Sample[], keyOf: (metric: Record<string, string>) => string, id: string): number | null {
  const sample = samples.find((s) => keyOf(s.metric) === id);
  return sample === undefined ? null : round(sample.value);
}

function sortBy<T extends { metric: Record<string, string> }>(samples: readonly T[], keyOf: (metric: Record<string, string>) => string): T[] {
  return [...samples].sort((a, b) => keyOf(a.metric).localeCompare(keyOf(b.metric)));
}
