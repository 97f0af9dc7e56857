/**
 * Runbook checks that read GenAI call series: built for the semconv mode the
 * rules are generated for (`Runbook['checks']` takes a query per mode), so a
 * runbook of latest-mode rules reads the names those exporters write.
 */
import { LABEL, METRICS, TOKEN_TYPE, genAiMetricNames, samplesOf, sumBy, sumRate, tokenRate, type SemconvMode } from '@modelwatch/conventions';

/** Every AI call's `_count` samples under the GenAI names of `mode`. */
export const aiCalls = (mode: SemconvMode) => samplesOf(genAiMetricNames(mode).callDuration, '_count');

/** Failed AI calls per second over `window`, by provider, model and error type, of the service a reader fills in. */
export const aiErrorsOver = (window: string) => (mode: SemconvMode) => {
  const calls = aiCalls(mode);
  return `sum by (${LABEL.genAiProviderName}, ${LABEL.genAiRequestModel}, ${LABEL.errorType}) (rate(${calls.metric}{${['job="<job>"', `${LABEL.errorType}!=""`, ...calls.matchers].join(', ')}}[${window}]))`;
};

/** Tokens per second over `window` by model and kind (`gen_ai_token_type`), of the service a reader fills in. */
export const tokensByKindOver = (window: string) => (mode: SemconvMode) => {
  const scope = { matchers: ['job="<job>"'], window };
  const by = [LABEL.genAiRequestModel, LABEL.genAiTokenType];
  // Legacy keeps every kind in one counter: all of its series. v0.1 has a counter per kind.
  if (genAiMetricNames(mode).tokens.input.metric === METRICS.genAiTokens.name) return sumRate(METRICS.genAiTokens.name, by, scope);
  return sumBy(by, tokenRate(Object.values(TOKEN_TYPE), scope, mode));
};
