/**
 * PromQL the alert rules need beyond the conventions' health-score queries:
 * quantiles and shares per provider/model or route. Metric and label names
 * come from the conventions only.
 */
import { SERVICE_LABEL, selector, shareOf, type QueryScope } from '@modelwatch/exporter/conventions';

/** `sum by (<labels>) (rate(<metric>{...}[window]))`. */
export function rateBy(by: readonly string[], metric: string, scope: QueryScope, extra: readonly string[] = []): string {
  return `sum by (${by.join(', ')}) (rate(${selector(metric, scope, extra)}[${scope.window ?? '5m'}]))`;
}

/** p<q> of a histogram per `by` labels (the service label always included). */
export function quantileBy(q: number, histogram: string, by: readonly string[], scope: QueryScope, extra: readonly string[] = []): string {
  return `histogram_quantile(${q}, ${rateBy(['le', ...serviceAnd(by)], `${histogram}_bucket`, scope, extra)})`;
}

/** Share of a counter's rate matching `part` per `by` labels: 0 with traffic and no match, nothing without traffic. */
export function shareBy(by: readonly string[], metric: string, part: readonly string[], scope: QueryScope, extra: readonly string[] = []): string {
  const labels = serviceAnd(by);
  return shareOf(rateBy(labels, metric, scope, [...part, ...extra]), rateBy(labels, metric, scope, extra));
}

export function serviceAnd(by: readonly string[]): string[] {
  return [SERVICE_LABEL, ...by.filter((label) => label !== SERVICE_LABEL)];
}
