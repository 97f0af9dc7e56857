/**
 * The health queries shared by the rules, the dashboards and the app:
 * per-service error and hit shares, and saturation against limits.
 *
 * Every expression is grouped by the service label (`job`). Ratios are written
 * `(bad or total * 0) / (total > 0)`: a job with traffic but no bad events
 * scores a clean 0 instead of vanishing, and a job without traffic yields no
 * sample, so its component is left out rather than scored as 0 or 100.
 */
import { CACHE_RESULT, LABEL } from './labels';
import { METRICS, RUNTIME_METRIC } from './metrics';
import { HEALTH_WINDOW } from './health';
import { SERVICE_LABEL, selector, serviceRate, shareOf, withLabel, type QueryScope } from './promql';

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
