/** Caches, database and the process: cache hit ratio, DB latency, memory, CPU, event-loop lag. */
import { ALERT, ALERT_THRESHOLD, APP_PAGES, CACHE_HIT_WINDOW, METRICS, RUNTIME_METRIC, byService, cacheHitShareQuery, cacheLabels, jobLabels, quantile, selector } from '@modelwatch/conventions';
import type { ServiceObjectives } from '../slo-spec/objectives';
import { durationSeconds, formatDuration } from '../duration';
import { VALUE, type AlertRule } from './alert-rule';

const common = { group: 'resources', op: '>', severity: 'warning', page: APP_PAGES.overview, dashboard: 'httpRuntime' } as const;
const perInstance = (expr: string) => `max by (job, instance) (${expr})`;
const memoryRatio = (resident: string) => `${resident} / ${selector(METRICS.processMemoryLimit.name)}`;
const horizon = ALERT_THRESHOLD.memoryExhaustionHorizonSeconds;

export const RESOURCE_ALERTS: readonly AlertRule[] = [
  {
    ...common,
    name: ALERT.dbLatency,
    query: (t) => quantile(0.95, METRICS.dbOperationDuration.name, byService([]), { window: t.window('5m') }),
    threshold: ALERT_THRESHOLD.dbLatencyP95Seconds.warning,
    for: '10m',
    summary: 'Database queries of {{ $labels.job }} are slow',
    description: `The p95 database query duration of {{ $labels.job }} is ${VALUE} over the last 5 minutes (warning above ${ALERT_THRESHOLD.dbLatencyP95Seconds.warning * 1000} ms).`,
    value: 'seconds',
  },
  {
    ...common,
    name: ALERT.memoryNearLimit,
    query: () => perInstance(memoryRatio(selector(RUNTIME_METRIC.residentMemoryBytes))),
    threshold: ALERT_THRESHOLD.memoryRatio.warning,
    for: '5m',
    summary: '{{ $labels.instance }} of {{ $labels.job }} is close to its memory limit',
    description: `{{ $labels.instance }} of {{ $labels.job }} uses ${VALUE} of its memory limit.`,
    value: 'percent',
  },
  {
    ...common,
    name: ALERT.memoryExhaustion,
    // The horizon scales with the windows: the fast profile's 90 s of history must not be extrapolated over 2 hours.
    // Only a process that has lived through the whole window is judged: a younger one's window holds its
    // warm-up (and, under the same instance, the memory of the process before it), not a trend. It reads 0
    // until then rather than nothing, so the query always returns data.
    query: (t) => {
      const window = t.window('30m');
      const predicted = memoryRatio(`predict_linear(${selector(RUNTIME_METRIC.residentMemoryBytes)}[${window}], ${durationSeconds(t.window(formatDuration(horizon)))})`);
      return perInstance(`${predicted} * (time() - ${selector(RUNTIME_METRIC.startTimeSeconds)} >= bool ${durationSeconds(window)})`);
    },
    threshold: 1,
    for: '15m',
    summary: '{{ $labels.instance }} of {{ $labels.job }} will run out of memory within 2 hours',
    description: `At the growth of the last 30 minutes, {{ $labels.instance }} of {{ $labels.job }} will use ${VALUE} of its memory limit in ${horizon / 3600} hours (judged once it has run for 30 minutes).`,
    value: 'percent',
  },
  {
    ...common,
    name: ALERT.cpuHigh,
    query: (t) => perInstance(`rate(${selector(RUNTIME_METRIC.cpuSecondsTotal)}[${t.window('5m')}])`),
    threshold: ALERT_THRESHOLD.cpuCores.warning,
    for: '15m',
    summary: '{{ $labels.instance }} of {{ $labels.job }} is busy',
    description: `{{ $labels.instance }} of {{ $labels.job }} used ${VALUE} CPU cores over the last 5 minutes; Node.js runs JavaScript on one.`,
    value: 'number',
  },
  {
    ...common,
    name: ALERT.eventLoopLag,
    query: () => perInstance(selector(RUNTIME_METRIC.eventLoopLagP99Seconds)),
    threshold: ALERT_THRESHOLD.eventLoopLagP99Seconds.warning,
    for: '10m',
    summary: 'The event loop of {{ $labels.instance }} ({{ $labels.job }}) lags',
    description: `The p99 event-loop lag of {{ $labels.instance }} of {{ $labels.job }} is ${VALUE}; every request waits that long before it runs.`,
    value: 'seconds',
  },
];

/** A cache whose hit ratio collapsed against its owner's expectation, or against its own last day. */
export function cacheAlerts(services: readonly ServiceObjectives[]): AlertRule[] {
  return services.flatMap((service) =>
    service.caches.map(({ scope, expectedHitRatio }): AlertRule => {
      const against = expectedHitRatio === undefined ? `its hit ratio of the last ${CACHE_HIT_WINDOW.baseline}` : `the ${Math.round(expectedHitRatio * 100)}% its owner expects`;
      return {
        ...common,
        name: ALERT.cacheHitRatioLow,
        op: '<',
        labels: { ...jobLabels(service.jobs), ...cacheLabels(scope.include) },
        key: `${service.title} ${scope.include}`,
        query: (t) => cacheHitShareQuery(scope, expectedHitRatio, { recent: t.window(CACHE_HIT_WINDOW.recent), baseline: t.window(CACHE_HIT_WINDOW.baseline) }),
        threshold: ALERT_THRESHOLD.cacheHitRatioShare.warning,
        for: '10m',
        summary: 'Cache {{ $labels.cache_name }} of {{ $labels.job }} stopped hitting',
        description: `Over the last ${CACHE_HIT_WINDOW.recent}, cache {{ $labels.cache_name }} of {{ $labels.job }} hit ${VALUE} as often as ${against}; every miss on an AI answer cache is a paid model call.`,
        value: 'percent',
        page: APP_PAGES.cache,
        dashboard: 'cache',
      };
    }),
  );
}
