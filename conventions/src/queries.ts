/**
 * PromQL building blocks shared by the rules, the dashboards and the app:
 * selectors, per-service rates and shares, and saturation against limits.
 *
 * Every expression is grouped by the service label (`job`). Ratios are written
 * `(bad or total * 0) / (total > 0)`: a job with traffic but no bad events
 * scores a clean 0 instead of vanishing, and a job without traffic yields no
 * sample, so its component is left out rather than scored as 0 or 100.
 */
import { CACHE_RESULT, LABEL } from './labels';
import { METRICS, RUNTIME_METRIC } from './metrics';
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

/** `metric{m1,m2}` with the scope's matchers plus `extra`. */
export function selector(metric: string, scope: QueryScope = {}, extra: readonly string[] = []): string {
  const matchers = [...extra, ...(scope.matchers ?? [])];
  return matchers.length === 0 ? metric : `${metric}{${matchers.join(',')}}`;
}

/** Per-service rate of a counter (or a histogram's `_count`/`_bucket`) over the scope's window. */
export function serviceRate(metric: string, scope: QueryScope = {}, extra: readonly string[] = []): string {
  return `sum by (${SERVICE_LABEL}) (rate(${selector(metric, scope, extra)}[${scope.window ?? HEALTH_WINDOW}]))`;
}

/** Share of `total` that is `part`: 0 when there is traffic and no `part`, no sample when there is no traffic. */
export function shareOf(part: string, total: string): string {
  return `(${part} or ${total} * 0) / (${total} > 0)`;
}

const httpCount = `${METRICS.httpServerRequestDuration.name}_count`;
const aiCount = `${METRICS.genAiOperationDuration.name}_count`;
const cacheRequests = METRICS.cacheRequests.name;

/** Share of HTTP requests answered 5xx. */
export function httpErrorRatio(scope: QueryScope = {}): string {
  return shareOf(serviceRate(httpCount, scope, [`${LABEL.httpResponseStatusCode}=~"5.."`]), serviceRate(httpCount, scope));
}

/** Share of AI calls that failed (any non-empty `error_type`). */
export function aiErrorRatio(scope: QueryScope = {}): string {
  return shareOf(serviceRate(aiCount, scope, [`${LABEL.errorType}!=""`]), serviceRate(aiCount, scope));
}

/** Share of cache lookups that hit. */
export function cacheHitRatio(scope: QueryScope = {}): string {
  return shareOf(serviceRate(cacheRequests, scope, [`${LABEL.cacheResult}="${CACHE_RESULT.hit}"`]), serviceRate(cacheRequests, scope));
}

/** Saturation resources, as the `resource` label of {@link saturationByResource}. */
export const SATURATION_RESOURCE = { cpu: 'cpu', memory: 'memory', eventLoop: 'event_loop' } as const;

/** What a service may use before it counts as saturated (an SLO spec's `saturation`). */
export interface SaturationLimits {
  readonly cpuCores: number;
  readonly eventLoopLagSeconds: number;
}

/** Limits of a service whose spec sets none: one core, half a second of event-loop lag. */
export const DEFAULT_SATURATION_LIMITS: SaturationLimits = { cpuCores: 1, eventLoopLagSeconds: 0.5 };

/** Recorded saturation per service and `resource` (1 = at its limit); the alerts and the health score read it. */
export const SATURATION_RECORDING_RULE = 'modelwatch:saturation:ratio';

/**
 * Each resource's use against its limit (1 = saturated), worst instance of each
 * service, labelled `resource` (cpu, memory, event_loop). Memory needs
 * `modelwatch_process_memory_limit_bytes`, which the exporter always publishes.
 */
export function saturationByResource(scope: QueryScope = {}, limits: SaturationLimits = DEFAULT_SATURATION_LIMITS): string {
  const window = scope.window ?? HEALTH_WINDOW;
  const by = `max by (${SERVICE_LABEL})`;
  const cpu = `${by} (rate(${selector(RUNTIME_METRIC.cpuSecondsTotal, scope)}[${window}])) / ${limits.cpuCores}`;
  const memory = `${by} (${selector(RUNTIME_METRIC.residentMemoryBytes, scope)} / ${selector(METRICS.processMemoryLimit.name, scope)})`;
  const lag = `${by} (${selector(RUNTIME_METRIC.eventLoopLagP99Seconds, scope)}) / ${limits.eventLoopLagSeconds}`;
  return [
    withLabel(cpu, 'resource', SATURATION_RESOURCE.cpu),
    withLabel(memory, 'resource', SATURATION_RESOURCE.memory),
    withLabel(lag, 'resource', SATURATION_RESOURCE.eventLoop),
  ].join(' or ');
}

/** `expr` with a constant label added (label_replace on an empty source). */
export function withLabel(expr: string, label: string, value: string): string {
  return `label_replace(${expr}, "${label}", "${value}", "", "")`;
}
