/** Threshold alerts on the HTTP server metrics. */
import { ALERT, ALERT_THRESHOLD, APP_PAGES, LABEL, METRICS, httpErrorRatio } from '@modelwatch/exporter/conventions';
import { quantileBy } from '../promql';
import { VALUE, percent, type AlertRule } from './alert-rule';

const HTTP = METRICS.httpServerRequestDuration.name;
const common = { group: 'http', op: '>', page: APP_PAGES.overview, dashboard: 'httpRuntime' } as const;

export const HTTP_ALERTS: readonly AlertRule[] = [
  ...(['warning', 'critical'] as const).map(
    (severity): AlertRule => ({
      ...common,
      name: ALERT.httpErrorRate,
      severity,
      query: (t) => httpErrorRatio({ window: t.window('5m') }),
      threshold: ALERT_THRESHOLD.httpErrorRatio[severity],
      for: '5m',
      summary: '{{ $labels.job }} answers too many requests with 5xx',
      description: `${VALUE} of the HTTP requests of {{ $labels.job }} were answered 5xx over the last 5 minutes (${severity} above ${percent(ALERT_THRESHOLD.httpErrorRatio[severity])}).`,
      value: 'percent',
    }),
  ),
  ...(['warning', 'critical'] as const).map(
    (severity): AlertRule => ({
      ...common,
      name: ALERT.httpLatency,
      severity,
      query: (t) => quantileBy(0.95, HTTP, [], { window: t.window('5m') }),
      threshold: ALERT_THRESHOLD.httpLatencyP95Seconds[severity],
      for: '10m',
      summary: '{{ $labels.job }} answers slowly',
      description: `The p95 HTTP latency of {{ $labels.job }} is ${VALUE} over the last 5 minutes (${severity} above ${ALERT_THRESHOLD.httpLatencyP95Seconds[severity]} s).`,
      value: 'seconds',
    }),
  ),
  {
    ...common,
    name: ALERT.httpRouteLatency,
    severity: 'warning',
    query: (t) => quantileBy(0.95, HTTP, [LABEL.httpRoute], { window: t.window('5m') }),
    threshold: ALERT_THRESHOLD.httpRouteLatencyP95Seconds.warning,
    for: '10m',
    summary: '{{ $labels.job }} route {{ $labels.http_route }} answers slowly',
    description: `The p95 latency of {{ $labels.http_route }} on {{ $labels.job }} is ${VALUE} over the last 5 minutes (warning above ${ALERT_THRESHOLD.httpRouteLatencyP95Seconds.warning} s).`,
    value: 'seconds',
  },
];
