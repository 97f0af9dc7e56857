/**
 * The PromQL builders of the rules, the dashboards and the app: selectors,
 * summed rates, quantiles from histogram buckets, shares and ratios. Every one
 * takes a {@link QueryScope} (which series, over which range); a scope without
 * a window rates over the health window (5m), so dashboards pass
 * `$__rate_interval` and the app its own range where they want another.
 */
import { HEALTH_WINDOW } from './health';

/** The label that identifies a service in every rule, panel and page. */
export const SERVICE_LABEL = 'job';

/** Where a query looks: which series (label matchers such as `job="demo"`) and over which range. */
export interface QueryScope {
  /** Matchers added to every selector, e.g. `['job="demo"']` or `['job=~"$job"']`. */
  readonly matchers?: readonly string[];
  /** Range of every rate; defaults to the health window (5m). */
  readonly window?: string;
}

/** `"value"` as a PromQL string literal (backslashes and quotes escaped). */
export function promString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** The scope of one service (`job="<job>"`), or of every service without one. */
export function jobScope(job: string | undefined, window?: string): QueryScope {
  return { matchers: job ? [`${SERVICE_LABEL}=${promString(job)}`] : [], ...(window ? { window } : {}) };
}

/** Prometheus duration of a time range in milliseconds, in whole seconds (at least one scrape window). */
export function rangeWindow(range: { from: number; to: number }): string {
  return `${Math.max(60, Math.round((range.to - range.from) / 1000))}s`;
}

/** `metric{m1,m2}` with the scope's matchers plus `extra`. */
export function selector(metric: string, scope: QueryScope = {}, extra: readonly string[] = []): string {
  const matchers = [...extra, ...(scope.matchers ?? [])];
  return matchers.length === 0 ? metric : `${metric}{${matchers.join(',')}}`;
}

/** `sum by (labels) (expr)`, or `sum(expr)` without labels. */
export function sumBy(labels: readonly string[], expr: string): string {
  return labels.length === 0 ? `sum(${expr})` : `sum by (${labels.join(', ')}) (${expr})`;
}

/** `by` with the service label first (once): a rule's series keep their service. */
export function byService(by: readonly string[]): string[] {
  return [SERVICE_LABEL, ...by.filter((label) => label !== SERVICE_LABEL)];
}

/** `rate(metric{scope, extra}[window])`. */
export function rate(metric: string, scope: QueryScope = {}, extra: readonly string[] = []): string {
  return `rate(${selector(metric, scope, extra)}[${scope.window ?? HEALTH_WINDOW}])`;
}

/** `increase(metric{scope, extra}[range])`: a total over a range (a dashboard's, a panel's). */
export function increaseOver(metric: string, scope: QueryScope, range: string, extra: readonly string[] = []): string {
  return `increase(${selector(metric, scope, extra)}[${range}])`;
}

/** `sum by (by) (rate(metric{…}[window]))`. */
export function sumRate(metric: string, by: readonly string[], scope: QueryScope = {}, extra: readonly string[] = []): string {
  return sumBy(by, rate(metric, scope, extra));
}

/** Per-service rate of a counter (or a histogram's `_count`/`_bucket`) over the scope's window. */
export function serviceRate(metric: string, scope: QueryScope = {}, extra: readonly string[] = []): string {
  return sumRate(metric, [SERVICE_LABEL], scope, extra);
}

/** Quantile `q` of a histogram (`histogram` is its base name) per `by` group. */
export function quantile(q: number, histogram: string, by: readonly string[], scope: QueryScope = {}, extra: readonly string[] = []): string {
  return `histogram_quantile(${q}, ${sumRate(`${histogram}_bucket`, ['le', ...by], scope, extra)})`;
}

/** Share of `total` that is `part`: 0 when there is traffic and no `part`, no sample when there is no traffic. */
export function shareOf(part: string, total: string): string {
  return `(${part} or ${total} * 0) / (${total} > 0)`;
}

/** Share of a counter's rate matching `part`, per service and `by` group ({@link shareOf}). */
export function shareBy(by: readonly string[], metric: string, part: readonly string[], scope: QueryScope = {}, extra: readonly string[] = []): string {
  const labels = byService(by);
  return shareOf(sumRate(metric, labels, scope, [...part, ...extra]), sumRate(metric, labels, scope, extra));
}

/** `part / total`, only where `total` has traffic (no sample, rather than 0, where `part` has none). */
export function ratio(part: string, total: string): string {
  return `(${part}) / (${total} > 0)`;
}

/** `part / total` of one counter per `by` group, both summed rates. */
export function rateRatio(metric: string, scope: QueryScope, by: readonly string[], partMatchers: readonly string[], totalMatchers: readonly string[] = []): string {
  return `${sumRate(metric, by, scope, partMatchers)} / ${sumRate(metric, by, scope, totalMatchers)}`;
}

/** `expr` with a constant label added (label_replace on an empty source). */
export function withLabel(expr: string, label: string, value: string): string {
  return `label_replace(${expr}, "${label}", "${value}", "", "")`;
}

/** Prometheus' own series of active alerts (not a Modelwatch metric). */
export const PROMETHEUS_ALERTS = { metric: 'ALERTS', stateLabel: 'alertstate', firing: 'firing' } as const;
