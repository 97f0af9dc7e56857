/**
 * Small PromQL builders on top of the conventions' `selector`: the pages group
 * by other labels than the health score does (route, model, cache).
 */
import { selector, type QueryScope } from '@modelwatch/exporter/conventions';

/** `sum by (labels) (rate(metric{…}[window]))`. */
export function sumRate(metric: string, by: readonly string[], scope: QueryScope, extra: readonly string[] = []): string {
  return `sum by (${by.join(', ')}) (rate(${selector(metric, scope, extra)}[${scope.window ?? '5m'}]))`;
}

/** Quantile `q` of a histogram, per `by`. */
export function quantile(q: number, histogram: string, by: readonly string[], scope: QueryScope, extra: readonly string[] = []): string {
  return `histogram_quantile(${q}, ${sumRate(`${histogram}_bucket`, ['le', ...by], scope, extra)})`;
}

/** `part / total`, only where total has traffic. */
export function ratio(part: string, total: string): string {
  return `(${part}) / (${total} > 0)`;
}

/** Prometheus duration of a time range, in whole seconds (at least one scrape window). */
export function rangeWindow(range: { from: number; to: number }): string {
  return `${Math.max(60, Math.round((range.to - range.from) / 1000))}s`;
}

/** The matcher of the selected service. */
export function jobScope(job: string | undefined, window?: string): QueryScope {
  return { matchers: job ? [`job="${job.replace(/["\\]/g, '\\$&')}"`] : [], ...(window ? { window } : {}) };
}
