/**
 * Queries of the AI models page, per provider and model over the selected
 * range (instant at its end), plus latency and spend over time.
 */
import { LABEL, METRICS, TOKEN_TYPE, type QueryScope } from '@modelwatch/exporter/conventions';
import { quantile, ratio, sumRate } from './promql';

const ai = METRICS.genAiOperationDuration.name;
const MODEL = [LABEL.genAiProviderName, LABEL.genAiRequestModel];
const tokens = METRICS.genAiTokens.name;
const tokenType = (type: string) => [`${LABEL.genAiTokenType}="${type}"`];

/** Days in the month the spend projection assumes. */
export const DAYS_PER_MONTH = 30;

/** `scope.window` is the selected range (e.g. `3600s`); `chartScope.window` the charts' rate window. */
export function aiModelTargets(scope: QueryScope, chartScope: QueryScope) {
  const calls = sumRate(`${ai}_count`, MODEL, scope);
  const cost = sumRate(METRICS.genAiCost.name, MODEL, scope);
  return {
    rate: { expr: calls, instant: true },
    p50: { expr: quantile(0.5, ai, MODEL, scope), instant: true },
    p95: { expr: quantile(0.95, ai, MODEL, scope), instant: true },
    p99: { expr: quantile(0.99, ai, MODEL, scope), instant: true },
    ttft: { expr: quantile(0.95, METRICS.genAiTimeToFirstChunk.name, MODEL, scope), instant: true },
    errorRatio: { expr: `${ratio(sumRate(`${ai}_count`, MODEL, scope, [`${LABEL.errorType}!=""`]), calls)} or ${calls} * 0`, instant: true },
    tokensPerSecond: { expr: sumRate(tokens, MODEL, scope, [`${LABEL.genAiTokenType}=~"${TOKEN_TYPE.input}|${TOKEN_TYPE.output}"`]), instant: true },
    costPerHour: { expr: `${cost} * 3600`, instant: true },
    costPerRequest: { expr: ratio(cost, calls), instant: true },
    cachedShare: { expr: `${ratio(sumRate(tokens, MODEL, scope, tokenType(TOKEN_TYPE.cacheRead)), sumRate(tokens, MODEL, scope, tokenType(TOKEN_TYPE.input)))} or ${calls} * 0`, instant: true },
    unpriced: { expr: `${sumRate(METRICS.genAiUnpricedOperations.name, MODEL, scope)} > 0`, instant: true },
    projectedMonth: { expr: `sum(${cost}) * 86400 * ${DAYS_PER_MONTH}`, instant: true },
    latencyChart: { expr: quantile(0.95, ai, MODEL, chartScope) },
    spendChart: { expr: `${sumRate(METRICS.genAiCost.name, MODEL, chartScope)} * 3600` },
  };
}
