/**
 * The health queries shared by the rules, the dashboards and the app:
 * per-service error and hit shares, and saturation against limits; and the
 * spend, substitution and rate-limit queries of the AI models page and
 * dashboard.
 *
 * Every expression is grouped by the service label (`job`). Ratios are written
 * `(bad or total * 0) / (total > 0)`: a job with traffic but no bad events
 * scores a clean 0 instead of vanishing, and a job without traffic yields no
 * sample, so its component is left out rather than scored as 0 or 100.
 */
import { CACHE_RESULT, LABEL, OVERFLOW_LABEL_VALUE, UNATTRIBUTED_LABEL_VALUE, type TokenType } from './labels';
import { METRICS, RUNTIME_METRIC } from './metrics';
import { HEALTH_WINDOW } from './health';
import { SERVICE_LABEL, increaseOver, rate, selector, serviceRate, shareOf, sumBy, sumRate, withLabel, type QueryScope } from './promql';
import { genAiMetricNames, samplesOf, type SemconvMode, type SeriesSelector } from './semconv';
// Read when a query is built, not when the module loads (slo-queries imports this module too).
import { ATTRIBUTED_BUDGET_RECORDING_RULE } from './slo-queries';
import type { AttributedBudgetOwner } from './slo-spec';

const httpCount = `${METRICS.httpServerRequestDuration.name}_count`;
/** Every AI call's `_count` samples, under the names the exporters write in `mode`. */
const aiCount = (mode: SemconvMode) => samplesOf(genAiMetricNames(mode).callDuration, '_count');
const cacheRequests = METRICS.cacheRequests.name;

/** Share of HTTP requests answered 5xx. */
export function httpErrorRatio(scope: QueryScope = {}): string {
  return shareOf(serviceRate(httpCount, scope, [`${LABEL.httpResponseStatusCode}=~"5.."`]), serviceRate(httpCount, scope));
}

/** Share of AI calls that failed (any non-empty `error_type`). */
export function aiErrorRatio(scope: QueryScope = {}, mode: SemconvMode = 'legacy'): string {
  const { metric, matchers } = aiCount(mode);
  return shareOf(serviceRate(metric, scope, [`${LABEL.errorType}!=""`, ...matchers]), serviceRate(metric, scope, matchers));
}

/**
 * Per-series rate of the token counters of `types` (one kind, or several to add up), under the names of `mode`:
 * legacy's one counter by `gen_ai_token_type`; in latest, v0.1's counter per kind, each labelled with its
 * `gen_ai_token_type` (their label sets are otherwise the same, which one selector over both would reject),
 * so a sum by token type reads alike in both modes. An operand of `sum`.
 */
export function tokenRate(types: readonly TokenType[], scope: QueryScope = {}, mode: SemconvMode = 'legacy'): string {
  const tokens = genAiMetricNames(mode).tokens;
  if (types.length === 1) return rate(tokens[types[0]!].metric, scope, tokens[types[0]!].matchers);
  const [metric, ...others] = new Set(types.map((type) => tokens[type].metric));
  // Legacy keeps every kind in one counter, told apart by the label itself.
  if (others.length === 0) return rate(metric!, scope, [`${LABEL.genAiTokenType}=~"${types.join('|')}"`]);
  return `(${types.map((type) => withLabel(rate(tokens[type].metric, scope, tokens[type].matchers), LABEL.genAiTokenType, type)).join(' or ')})`;
}

/**
 * Quantile `q` per `by` group of the histogram samples `series` selects (`samplesOf(…, '_bucket')`): `quantile`
 * of promql.ts for the names of a mode, where one measurement may span two histograms of the same buckets.
 */
export function quantileOf(q: number, series: SeriesSelector, by: readonly string[], scope: QueryScope = {}, extra: readonly string[] = []): string {
  return `histogram_quantile(${q}, ${sumRate(series.metric, ['le', ...by], scope, [...extra, ...series.matchers])})`;
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

/** Seconds in a day, to turn a per-second spend rate into a day's. */
const DAY_SECONDS = 86400;

/**
 * Spend per month at the current pace: the summed rate of a cost counter over
 * the scope's window times the days of this month. `days_in_month()` is a
 * vector without labels, which matches no grouped sample: it is multiplied in
 * as a scalar. The service's budget panels and the tenants' and features'
 * spend bars all project this way, so their numbers agree.
 */
export function projectedMonthSpend(metric: string, by: readonly string[], scope: QueryScope = {}, extra: readonly string[] = []): string {
  return `${sumRate(metric, by, scope, extra)} * ${DAY_SECONDS} * scalar(days_in_month())`;
}

/** How panels name the two values of `tenant` and `feature` that are no one's name. */
export function attributedValueNames(by: AttributedBudgetOwner): Record<string, string> {
  return { [OVERFLOW_LABEL_VALUE]: by === LABEL.tenant ? 'other tenants' : 'other features', [UNATTRIBUTED_LABEL_VALUE]: 'unattributed' };
}

/** Tenants (or features) listed by name per service in the spend panels, top spenders first; the `_other` fold and the unattributed `_none` come on top. */
export const ATTRIBUTED_SPEND_TOP = 10;

/** Spend attributed to no one in particular: the fold of the tenants outside the exporter's top spenders (`_other`), and calls nobody attributed (`_none`). */
const FOLDED_VALUES = `${OVERFLOW_LABEL_VALUE}|${UNATTRIBUTED_LABEL_VALUE}`;

/**
 * This month's projected spend per service and tenant (or feature), from the
 * attributed cost counter: the `top` largest per service, plus `_other` and
 * `_none` whatever their size (they are where the rest of the money went).
 * Parenthesised, so it can be an operand.
 */
export function attributedSpend(by: AttributedBudgetOwner, scope: QueryScope = {}, top: number = ATTRIBUTED_SPEND_TOP): string {
  const spend = (matcher: string) => projectedMonthSpend(METRICS.genAiAttributedCost.name, [SERVICE_LABEL, by], scope, [matcher]);
  return `(topk by (${SERVICE_LABEL}) (${top}, ${spend(`${by}!~"${FOLDED_VALUES}"`)}) or ${spend(`${by}=~"${FOLDED_VALUES}"`)})`;
}

/** Each tenant's (or feature's) monthly budget per service, from the recording rule the SLO spec's budgets make. */
export function attributedBudget(by: AttributedBudgetOwner, scope: QueryScope = {}): string {
  return `max by (${SERVICE_LABEL}, ${by}) (${selector(ATTRIBUTED_BUDGET_RECORDING_RULE[by], { matchers: scope.matchers ?? [] })})`;
}

/** Share of its monthly budget each listed tenant (or feature) is on course to spend (1 = all of it); none for those without a budget. */
export function attributedBudgetShare(by: AttributedBudgetOwner, scope: QueryScope = {}, top: number = ATTRIBUTED_SPEND_TOP): string {
  return `${attributedSpend(by, scope, top)} / on (${SERVICE_LABEL}, ${by}) ${attributedBudget(by, scope)}`;
}

/**
 * `expr` for the series it has, NaN for those of `rows` it lacks: each of a
 * merged table's queries then answers the same label sets (one whole row per
 * tenant), and the table maps NaN to a word (a tenant without a budget).
 */
export function orNaN(expr: string, rows: string): string {
  return `(${expr}) or ${rows} * NaN`;
}

const modelLabels = [SERVICE_LABEL, LABEL.genAiProviderName, LABEL.genAiRequestModel] as const;
const substitutionLabels = [...modelLabels, LABEL.genAiResponseModel];

/** Calls answered by another model than the one requested, per service, provider, requested and served model, over the scope's window. */
export function modelSubstitutions(scope: QueryScope = {}): string {
  return `${sumBy(substitutionLabels, increaseOver(METRICS.genAiModelSubstitutions.name, scope, scope.window ?? HEALTH_WINDOW))} > 0`;
}

/** Share of the requested model's calls that each served model answered instead, over the scope's window. */
export function modelSubstitutionShare(scope: QueryScope = {}, mode: SemconvMode = 'legacy'): string {
  const { metric, matchers } = aiCount(mode);
  const calls = sumBy(modelLabels, increaseOver(metric, scope, scope.window ?? HEALTH_WINDOW, matchers));
  return `(${modelSubstitutions(scope)}) / on (${modelLabels.join(', ')}) group_left () (${calls} > 0)`;
}

const rateLimitLabels = [SERVICE_LABEL, LABEL.genAiProviderName, LABEL.genAiRequestModel, LABEL.rateLimitType];

/**
 * What is left of each provider rate limit per service, model and limit type
 * (1 = untouched), from the last response's headers: the lowest of the
 * service's processes, which share the provider's key.
 */
export function rateLimitRemainingShare(scope: QueryScope = {}): string {
  const { matchers } = scope;
  const limit = `(${selector(METRICS.genAiRateLimitLimit.name, { matchers: matchers ?? [] })} > 0)`;
  return `min by (${rateLimitLabels.join(', ')}) (${selector(METRICS.genAiRateLimitRemaining.name, { matchers: matchers ?? [] })} / ${limit})`;
}

/** Seconds until each rate limit is back to full (0 once its reset time has passed), the latest of the service's processes. */
export function rateLimitSecondsToReset(scope: QueryScope = {}): string {
  return `clamp_min(max by (${rateLimitLabels.join(', ')}) (${selector(METRICS.genAiRateLimitReset.name, { matchers: scope.matchers ?? [] })}) - time(), 0)`;
}

/** Remaining shares of a rate limit at which its headroom is drawn orange, then red. */
export const RATE_LIMIT_HEADROOM_SHARE = { low: 0.25, critical: 0.1 } as const;
