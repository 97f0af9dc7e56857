/**
 * Queries of the AI models page, per provider and model over the selected
 * range (instant at its end), plus latency and spend over time, the
 * objectives' scores per model and the service's monthly budget (both
 * recorded from its SLO spec); the month's projected spend per tenant and
 * feature against their budgets, the model substitutions over the range and
 * the providers' rate-limit headroom now.
 */
import {
  BUDGET_RECORDING_RULE,
  HEALTH_RECORDING_RULE,
  LABEL,
  METRICS,
  type QueryScope,
  type TokenType,
  SLO_KIND,
  SLO_LABEL,
  TOKEN_TYPE,
  attributedBudget,
  attributedSpend,
  modelSubstitutionShare,
  modelSubstitutions,
  projectedMonthSpend,
  genAiMetricNames,
  quantile,
  quantileOf,
  rateLimitRemainingShare,
  rateLimitSecondsToReset,
  ratio,
  samplesOf,
  selector,
  sumBy,
  sumRate,
  tokenRate,
  type SemconvMode,
} from '@modelwatch/conventions';

const MODEL = [LABEL.genAiProviderName, LABEL.genAiRequestModel];

/**
 * `scope.window` is the selected range (e.g. `3600s`): latency quantiles,
 * error and cost shares over it. `rateScope.window` (5m) gives the current
 * rates — calls, tokens, spend — and the charts' points; a rate over a whole
 * range longer than the data would understate them. `mode`: the GenAI names
 * the exporters write (the app's `semconv` setting).
 */
export function aiModelTargets(scope: QueryScope, rateScope: QueryScope, mode: SemconvMode = 'legacy') {
  const names = genAiMetricNames(mode);
  const count = samplesOf(names.callDuration, '_count');
  const buckets = samplesOf(names.callDuration, '_bucket');
  const callRate = (over: QueryScope, extra: readonly string[] = []) => sumRate(count.metric, MODEL, over, [...extra, ...count.matchers]);
  const tokens = (types: readonly TokenType[], over: QueryScope) => sumBy(MODEL, tokenRate(types, over, mode));
  const calls = callRate(scope);
  const cost = sumRate(METRICS.genAiCost.name, MODEL, scope);
  const currentCost = sumRate(METRICS.genAiCost.name, MODEL, rateScope);
  return {
    rate: { expr: callRate(rateScope), instant: true },
    p50: { expr: quantileOf(0.5, buckets, MODEL, scope), instant: true },
    p95: { expr: quantileOf(0.95, buckets, MODEL, scope), instant: true },
    p99: { expr: quantileOf(0.99, buckets, MODEL, scope), instant: true },
    ttft: { expr: quantile(0.95, names.timeToFirstChunk, MODEL, scope), instant: true },
    timePerToken: { expr: quantile(0.95, METRICS.genAiTimePerOutputToken.name, MODEL, scope), instant: true },
    errorRatio: { expr: `${ratio(callRate(scope, [`${LABEL.errorType}!=""`]), calls)} or ${calls} * 0`, instant: true },
    tokensPerSecond: { expr: tokens([TOKEN_TYPE.input, TOKEN_TYPE.output], rateScope), instant: true },
    costPerHour: { expr: `${currentCost} * 3600`, instant: true },
    costPerRequest: { expr: ratio(cost, calls), instant: true },
    cachedShare: { expr: `${ratio(tokens([TOKEN_TYPE.cacheRead], scope), tokens([TOKEN_TYPE.input], scope))} or ${calls} * 0`, instant: true },
    unpriced: { expr: `${sumRate(METRICS.genAiUnpricedOperations.name, MODEL, scope)} > 0`, instant: true },
    projectedMonth: { expr: projectedMonthSpend(METRICS.genAiCost.name, [], rateScope), instant: true },
    budget: { expr: selector(BUDGET_RECORDING_RULE, rateScope), instant: true },
    // The lowest objective score of each model (success, time to first chunk, time per token…).
    objectiveScore: { expr: `min by (${MODEL.join(', ')}) (${selector(HEALTH_RECORDING_RULE.componentScore, rateScope, [`${LABEL.genAiRequestModel}!=""`])})`, instant: true },
    latencyChart: { expr: quantileOf(0.95, buckets, MODEL, rateScope) },
    ttftChart: { expr: quantile(0.95, names.timeToFirstChunk, MODEL, rateScope) },
    // The thresholds of the service's time-to-first-chunk objectives, drawn on the chart (one per objective).
    ttftObjectives: { expr: `group by (${SLO_LABEL.threshold}) (${selector(HEALTH_RECORDING_RULE.componentScore, rateScope, [`${SLO_LABEL.kind}="${SLO_KIND.aiTimeToFirstChunk}"`])})`, instant: true },
    spendChart: { expr: `${currentCost} * 3600` },
    // Projected at the current pace, as the service's own projected spend.
    tenantSpend: { expr: attributedSpend(LABEL.tenant, rateScope), instant: true },
    tenantBudget: { expr: attributedBudget(LABEL.tenant, rateScope), instant: true },
    featureSpend: { expr: attributedSpend(LABEL.feature, rateScope), instant: true },
    featureBudget: { expr: attributedBudget(LABEL.feature, rateScope), instant: true },
    substitutions: { expr: modelSubstitutions(scope), instant: true },
    substitutionShare: { expr: modelSubstitutionShare(scope, mode), instant: true },
    rateLimitRemaining: { expr: rateLimitRemainingShare(rateScope), instant: true },
    rateLimitReset: { expr: rateLimitSecondsToReset(rateScope), instant: true },
  };
}
