/**
 * The queries of the performance baseline report (`npm run report`): figures
 * over one fixed time range, evaluated at its end with the range as window,
 * per route and per model. Built from the shared builders, so a report's p95
 * is the dashboards' p95 over the same range.
 */
import { LABEL } from './labels';
import { METRICS, RUNTIME_METRIC } from './metrics';
import { SERVICE_LABEL, increaseOver, selector, sumBy, withLabel, type QueryScope } from './promql';
import { SATURATION_RESOURCE } from './queries';
import { SLO_LABEL, SLO_RECORDING_RULE } from './slo';
// Read when a query is built, not when the module loads (slo-queries imports queries, which this module imports too).
import { BUDGET_RECORDING_RULE } from './slo-queries';

/** The route a report groups HTTP figures by (method and template). */
export const REPORT_ROUTE_LABELS = [SERVICE_LABEL, LABEL.httpRequestMethod, LABEL.httpRoute] as const;
/** The model a report groups AI figures by. */
export const REPORT_MODEL_LABELS = [SERVICE_LABEL, LABEL.genAiProviderName, LABEL.genAiRequestModel] as const;
/** The objective labels a report lists SLOs by. */
export const REPORT_SLO_LABELS = [SERVICE_LABEL, SLO_LABEL.name, SLO_LABEL.kind, SLO_LABEL.target, SLO_LABEL.scope] as const;

/** How much of a counter grew over `range`, summed per `by` group. */
export function totalOver(metric: string, by: readonly string[], scope: QueryScope, range: string, extra: readonly string[] = []): string {
  return sumBy(by, increaseOver(metric, scope, range, extra));
}

/**
 * Each objective's mean error ratio over `range`, from the recorded 5-minute
 * ratios (as the error budget rule averages them): 1 minus it is the range's compliance.
 */
export function sloErrorRatioOverRange(scope: QueryScope, range: string): string {
  const ratios = selector(SLO_RECORDING_RULE.errorRatio, scope, [`${SLO_LABEL.window}="5m"`]);
  return `max by (${REPORT_SLO_LABELS.join(', ')}) (avg_over_time(${ratios}[${range}]))`;
}

/** Each objective's share of its period's error budget left, as the recording rule publishes it. */
export function sloBudgetRemaining(scope: QueryScope): string {
  return `max by (${REPORT_SLO_LABELS.join(', ')}) (${selector(SLO_RECORDING_RULE.budgetRemaining, scope)})`;
}

/**
 * What each service uses, in plain units and labelled `resource` like
 * {@link saturationByResource}: CPU in cores over the scope's window,
 * resident memory in bytes, event-loop lag p99 in seconds; the busiest
 * instance of each service.
 */
export function resourceUse(scope: QueryScope): string {
  const by = `max by (${SERVICE_LABEL})`;
  return [
    withLabel(`${by} (rate(${selector(RUNTIME_METRIC.cpuSecondsTotal, scope)}[${scope.window ?? '1m'}]))`, 'resource', SATURATION_RESOURCE.cpu),
    withLabel(`${by} (${selector(RUNTIME_METRIC.residentMemoryBytes, scope)})`, 'resource', SATURATION_RESOURCE.memory),
    withLabel(`${by} (${selector(RUNTIME_METRIC.eventLoopLagP99Seconds, scope)})`, 'resource', SATURATION_RESOURCE.eventLoop),
  ].join(' or ');
}

/** Each service's monthly AI budget (USD), as the recording rule of its SLO spec publishes it. */
export function recordedMonthlyBudget(scope: QueryScope): string {
  return `max by (${SERVICE_LABEL}) (${selector(BUDGET_RECORDING_RULE, { matchers: scope.matchers ?? [] })})`;
}

/** Spend per tenant over `range`, from the attributed cost counter. */
export function spendByTenant(scope: QueryScope, range: string): string {
  return `${totalOver(METRICS.genAiAttributedCost.name, [SERVICE_LABEL, LABEL.tenant], scope, range)} > 0`;
}

/** When Prometheus last scraped the scope's services (unix seconds): a report of a run that just ended waits for a scrape after its end. */
export function lastScrape(scope: QueryScope): string {
  return `max(timestamp(${selector('up', scope)}))`;
}
