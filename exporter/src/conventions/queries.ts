/**
 * PromQL of the health score: every component's SLI, its 0–100 score and the
 * weighted score. The recording rules, the dashboards and the plugin (which
 * computes the score inline when the rules are not loaded) build their queries
 * from these functions, so the three can never disagree.
 *
 * Every expression is grouped by the service label (`job`). Ratios are written
 * `(bad or total * 0) / (total > 0)`: a job with traffic but no bad events
 * scores a clean 0 instead of vanishing, and a job without traffic yields no
 * sample, so its component is left out rather than scored as 0 or 100.
 */
import { CACHE_RESULT, LABEL } from './labels';
import { METRICS, RUNTIME_METRIC } from './metrics';
import {
  AI_LATENCY_THRESHOLD_SECONDS,
  CPU_LIMIT_CORES,
  EVENT_LOOP_LAG_LIMIT_SECONDS,
  HEALTH_COMPONENTS,
  HEALTH_RECORDING_RULE,
  HEALTH_WINDOW,
  HTTP_LATENCY_THRESHOLD_SECONDS,
  type HealthComponent,
  type HealthComponentId,
} from './health';

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
const httpBucket = `${METRICS.httpServerRequestDuration.name}_bucket`;
const aiCount = `${METRICS.genAiOperationDuration.name}_count`;
const aiBucket = `${METRICS.genAiOperationDuration.name}_bucket`;
const cacheRequests = METRICS.cacheRequests.name;

/** Share of HTTP requests answered 5xx. */
export function httpErrorRatio(scope: QueryScope = {}): string {
  return shareOf(serviceRate(httpCount, scope, [`${LABEL.httpResponseStatusCode}=~"5.."`]), serviceRate(httpCount, scope));
}

/** Share of HTTP requests at or under the latency threshold (0.5 s, a bucket bound). */
export function httpFastRatio(scope: QueryScope = {}, thresholdSeconds: number = HTTP_LATENCY_THRESHOLD_SECONDS): string {
  return shareOf(serviceRate(httpBucket, scope, [`le="${thresholdSeconds}"`]), serviceRate(httpCount, scope));
}

/** Share of AI calls that failed (any non-empty `error_type`). */
export function aiErrorRatio(scope: QueryScope = {}): string {
  return shareOf(serviceRate(aiCount, scope, [`${LABEL.errorType}!=""`]), serviceRate(aiCount, scope));
}

/** Share of AI calls at or under the AI latency threshold (2.56 s, a bucket bound). */
export function aiFastRatio(scope: QueryScope = {}, thresholdSeconds: number = AI_LATENCY_THRESHOLD_SECONDS): string {
  return shareOf(serviceRate(aiBucket, scope, [`le="${thresholdSeconds}"`]), serviceRate(aiCount, scope));
}

/** Share of cache lookups that hit. */
export function cacheHitRatio(scope: QueryScope = {}): string {
  return shareOf(serviceRate(cacheRequests, scope, [`${LABEL.cacheResult}="${CACHE_RESULT.hit}"`]), serviceRate(cacheRequests, scope));
}

/** Saturation resources, as the `resource` label of {@link saturationByResource}. */
export const SATURATION_RESOURCE = { cpu: 'cpu', memory: 'memory', eventLoop: 'event_loop' } as const;

/**
 * Each resource's use against its limit (1 = saturated), worst instance of each
 * service, labelled `resource` (cpu, memory, event_loop). Memory needs
 * `modelwatch_process_memory_limit_bytes`, which the exporter always publishes.
 */
export function saturationByResource(scope: QueryScope = {}): string {
  const window = scope.window ?? HEALTH_WINDOW;
  const by = `max by (${SERVICE_LABEL})`;
  const cpu = `${by} (rate(${selector(RUNTIME_METRIC.cpuSecondsTotal, scope)}[${window}])) / ${CPU_LIMIT_CORES}`;
  const memory = `${by} (${selector(RUNTIME_METRIC.residentMemoryBytes, scope)} / ${selector(METRICS.processMemoryLimit.name, scope)})`;
  const lag = `${by} (${selector(RUNTIME_METRIC.eventLoopLagP99Seconds, scope)}) / ${EVENT_LOOP_LAG_LIMIT_SECONDS}`;
  return [
    withLabel(cpu, 'resource', SATURATION_RESOURCE.cpu),
    withLabel(memory, 'resource', SATURATION_RESOURCE.memory),
    withLabel(lag, 'resource', SATURATION_RESOURCE.eventLoop),
  ].join(' or ');
}

/** The SLI of a health component, a 0–1 ratio per service (for saturation, lower is better). */
export function componentSli(id: HealthComponentId, scope: QueryScope = {}): string {
  switch (id) {
    case 'availability':
      return `1 - (${httpErrorRatio(scope)})`;
    case 'latency':
      return httpFastRatio(scope);
    case 'ai_success':
      return `1 - (${aiErrorRatio(scope)})`;
    case 'ai_latency':
      return aiFastRatio(scope);
    case 'cache':
      return cacheHitRatio(scope);
    case 'saturation':
      return `max by (${SERVICE_LABEL}) (${saturationByResource(scope)})`;
  }
}

/** A component's 0–100 score from an expression of its SLI: linear between zero point and target, clamped. */
export function scoreFromSli(component: Pick<HealthComponent, 'target' | 'zero'>, sli: string): string {
  return `clamp((${sli} - ${component.zero}) / (${component.target} - ${component.zero}) * 100, 0, 100)`;
}

/** A component's score computed from raw metrics, labelled `component="<id>"`. */
export function componentScoreInline(id: HealthComponentId, scope: QueryScope = {}): string {
  return withLabel(scoreFromSli(componentById(id), componentSli(id, scope)), HEALTH_RECORDING_RULE.componentLabel, id);
}

/** A component's score read from the recording rule `modelwatch:health_component:score`. */
export function componentScoreRecorded(id: HealthComponentId, scope: QueryScope = {}): string {
  return selector(HEALTH_RECORDING_RULE.componentScore, { matchers: scope.matchers }, [`${HEALTH_RECORDING_RULE.componentLabel}="${id}"`]);
}

/**
 * The weighted health score per service from each component's score
 * expression (recorded or inline; each must carry its `component` label).
 * Components without a sample drop out of both sums, which renormalises the
 * weights over the components that had traffic.
 */
export function healthScoreFrom(componentScore: (id: HealthComponentId) => string, weights: Partial<Record<HealthComponentId, number>> = {}): string {
  const weightOf = (c: HealthComponent): number => weights[c.id] ?? c.weight;
  const weighted = HEALTH_COMPONENTS.map((c) => `(${componentScore(c.id)}) * ${weightOf(c)}`).join(' or ');
  const present = HEALTH_COMPONENTS.map((c) => `(${componentScore(c.id)}) * 0 + ${weightOf(c)}`).join(' or ');
  return `sum by (${SERVICE_LABEL}) (${weighted}) / sum by (${SERVICE_LABEL}) (${present})`;
}

/** Health score straight from raw metrics (no recording rules needed). */
export function healthScoreInline(scope: QueryScope = {}, weights?: Partial<Record<HealthComponentId, number>>): string {
  return healthScoreFrom((id) => componentScoreInline(id, scope), weights);
}

function componentById(id: HealthComponentId): HealthComponent {
  const component = HEALTH_COMPONENTS.find((c) => c.id === id);
  if (!component) throw new Error(`unknown health component ${id}`);
  return component;
}

/** `expr` with a constant label added (label_replace on an empty source). */
function withLabel(expr: string, label: string, value: string): string {
  return `label_replace(${expr}, "${label}", "${value}", "", "")`;
}
