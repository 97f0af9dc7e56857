/**
 * The few PromQL shapes the panels repeat (per-group rates, quantiles from
 * histogram buckets, ratios), built on the conventions' `selector` so every
 * expression carries the dashboard's `$job`/`$instance` matchers.
 */
import { selector, type QueryScope } from '@modelwatch/exporter/conventions';

/** `sum by (labels) (expr)`, or `sum (expr)` without labels. */
export function sumBy(labels: readonly string[], expr: string): string {
  return labels.length === 0 ? `sum(${expr})` : `sum by (${labels.join(', ')}) (${expr})`;
}

/** `rate(metric{scope, extra}[window])`. */
export function rate(metric: string, scope: QueryScope, extra: readonly string[] = []): string {
  return `rate(${selector(metric, scope, extra)}[${scope.window ?? '$__rate_interval'}])`;
}

/** `increase(metric{scope, extra}[range])` — for totals over the dashboard's (or panel's) range. */
export function increaseOver(metric: string, scope: QueryScope, range: string, extra: readonly string[] = []): string {
  return `increase(${selector(metric, scope, extra)}[${range}])`;
}

/** The `q` quantile of a histogram per `by` group (`metric` is the histogram's base name). */
export function quantile(q: number, histogram: string, scope: QueryScope, by: readonly string[] = [], extra: readonly string[] = []): string {
  return `histogram_quantile(${q}, ${sumBy(['le', ...by], rate(`${histogram}_bucket`, scope, extra))})`;
}

/** `part / total` per `by` group, both summed rates. */
export function rateRatio(metric: string, scope: QueryScope, by: readonly string[], partMatchers: readonly string[], totalMatchers: readonly string[] = []): string {
  return `${sumBy(by, rate(metric, scope, partMatchers))} / ${sumBy(by, rate(metric, scope, totalMatchers))}`;
}

/** Prometheus' own series of active alerts (not a Modelwatch metric). */
export const PROMETHEUS_ALERTS = { metric: 'ALERTS', stateLabel: 'alertstate', firing: 'firing' } as const;
