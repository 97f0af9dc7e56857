/** Caches: how often each one hits, how fast it answers, and the AI spend its hits avoided. */
import { CACHE_RESULT, DASHBOARD_UID, HEALTH_COMPONENT, HEALTH_RECORDING_RULE, LABEL, METRICS, SLO_KIND, SLO_LABEL, increaseOver, quantile, rate, rateRatio, selector, sumBy } from '@modelwatch/conventions';
import type { DashboardDefinition } from '../define-dashboard';
import { objectiveSliPanel } from '../objectives';
import { HEALTH_SCORE_THRESHOLDS, statPanel, timeSeriesPanel } from '../panels';
import { promQuery } from '../query';
import { SCOPE, SERVICE_SCOPE } from '../variables';

const requests = METRICS.cacheRequests.name;
const byCache = [LABEL.cacheName];
const cacheLegend = `{{${LABEL.cacheName}}}`;
const operation = [LABEL.cacheName, LABEL.cacheOperation];
const operationLegend = `{{${LABEL.cacheName}}} {{${LABEL.cacheOperation}}}`;

export const cache: DashboardDefinition = {
  uid: DASHBOARD_UID.cache,
  title: 'Modelwatch / Cache',
  description: 'Hit ratio and its score against expectation, lookups by result, AI spend saved, success objectives and operation latency per cache.',
  sections: [
    {
      title: 'Effectiveness',
      panels: [
        statPanel({
          title: 'Hit ratio',
          description: 'Share of lookups that hit, per cache.',
          queries: [promQuery(rateRatio(requests, SCOPE, byCache, [`${LABEL.cacheResult}="${CACHE_RESULT.hit}"`]), { legend: cacheLegend, instant: true })],
          unit: 'percentunit',
        }),
        statPanel({
          title: 'Hit-ratio score',
          description: 'Each cache’s health component: its last 30 minutes’ hit ratio against its owner’s expectation (or its own last day when none is set), 100 at or above it, 70 at half of it.',
          queries: [promQuery(selector(HEALTH_RECORDING_RULE.componentScore, SERVICE_SCOPE, [`${HEALTH_RECORDING_RULE.componentLabel}="${HEALTH_COMPONENT.cacheHitRatio}"`]), { legend: cacheLegend, instant: true })],
          min: 0,
          max: 100,
          thresholds: HEALTH_SCORE_THRESHOLDS,
        }),
        statPanel({
          title: 'AI spend saved',
          description: 'US dollars of AI calls the caches’ hits avoided over the time range.',
          queries: [promQuery(sumBy([], increaseOver(METRICS.cacheSavedCost.name, SCOPE, '$__range')), { legend: 'saved', instant: true })],
          unit: 'currencyUSD',
        }),
        timeSeriesPanel({
          title: 'Hit ratio over time',
          description: 'Share of lookups that hit, per cache.',
          queries: [promQuery(rateRatio(requests, SCOPE, byCache, [`${LABEL.cacheResult}="${CACHE_RESULT.hit}"`]), { legend: cacheLegend })],
          unit: 'percentunit',
          min: 0,
          max: 1,
        }),
        timeSeriesPanel({
          title: 'Lookups by result',
          description: 'Lookups per second by cache and result (hit, miss, error).',
          queries: [promQuery(sumBy([LABEL.cacheName, LABEL.cacheResult], rate(requests, SCOPE)), { legend: `${cacheLegend} {{${LABEL.cacheResult}}}` })],
          unit: 'reqps',
          stacked: true,
        }),
        timeSeriesPanel({
          title: 'AI spend saved per hour',
          description: 'Rate of avoided AI spend per cache, in US dollars per hour.',
          queries: [promQuery(`${sumBy(byCache, rate(METRICS.cacheSavedCost.name, SCOPE))} * 3600`, { legend: cacheLegend })],
          unit: 'currencyUSD',
        }),
      ],
    },
    {
      title: 'Errors and latency',
      panels: [
        objectiveSliPanel({
          title: 'Cache objectives',
          description: 'The caches’ success objectives: lookups that did not fail, per cache.',
          kinds: [SLO_KIND.cacheSuccess],
          legend: `{{${SLO_LABEL.name}}} ${cacheLegend}`,
          w: 8,
        }),
        timeSeriesPanel({
          title: 'Operation latency p95',
          description: 'p95 duration of cache operations (get, set…) per cache.',
          queries: [promQuery(quantile(0.95, METRICS.cacheOperationDuration.name, operation, SCOPE), { legend: operationLegend })],
          unit: 's',
          w: 8,
        }),
        timeSeriesPanel({
          title: 'Operation latency p50',
          description: 'Median duration of cache operations per cache.',
          queries: [promQuery(quantile(0.5, METRICS.cacheOperationDuration.name, operation, SCOPE), { legend: operationLegend })],
          unit: 's',
          w: 8,
        }),
      ],
    },
  ],
};
