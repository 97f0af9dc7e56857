/**
 * Alerts per AI provider and model that are not objectives: a model failing
 * right now (the fast ticket for an outage that failover may hide from users,
 * ahead of its success objective's burn alert), rate limiting and the limit
 * running out before it resets, and calls answered by another model.
 */
import {
  AI_ERROR_TYPE,
  ALERT,
  ALERT_THRESHOLD,
  APP_PAGES,
  LABEL,
  METRICS,
  RATE_LIMIT_TYPE,
  SERVICE_LABEL,
  TOKEN_TYPE,
  genAiMetricNames,
  samplesOf,
  shareBy,
  sumBy,
  sumRate,
  tokenRate,
  withLabel,
  type RateLimitType,
  type SemconvMode,
  type SeriesSelector,
  type TokenType,
} from '@modelwatch/conventions';
import type { TimingProfile } from '../profile';
import { VALUE, type AlertRule } from './alert-rule';

const BY_MODEL = [LABEL.genAiProviderName, LABEL.genAiRequestModel];
const BY_LIMIT = [SERVICE_LABEL, ...BY_MODEL, LABEL.rateLimitType].join(', ');
const common = { group: 'ai', op: '>', severity: 'warning', page: APP_PAGES.aiModels, dashboard: 'aiModels' } as const;
const model = '{{ $labels.gen_ai_provider_name }}/{{ $labels.gen_ai_request_model }}';

/** What each kind of limit counts: calls, or tokens of some kinds (cache_read, cache_creation and reasoning are subsets of input and output: counted once). */
const CONSUMED_BY: Readonly<Record<RateLimitType, 'calls' | readonly TokenType[]>> = {
  [RATE_LIMIT_TYPE.requests]: 'calls',
  [RATE_LIMIT_TYPE.tokens]: [TOKEN_TYPE.input, TOKEN_TYPE.output],
  [RATE_LIMIT_TYPE.inputTokens]: [TOKEN_TYPE.input],
  [RATE_LIMIT_TYPE.outputTokens]: [TOKEN_TYPE.output],
};

/**
 * What the last 5 minutes' pace consumes before each rate limit resets, as a multiple of what remains of it.
 * The gauges hold the last response's headers, one per instance: an instance's are current while their reset
 * time is ahead (a quiet instance's old headers say nothing); the service has the least remaining of them, and
 * its calls from every instance draw on it. Judged only under a share of the limit (see ALERT_THRESHOLD).
 */
function rateLimitExhaustion(t: TimingProfile, mode: SemconvMode): string {
  const remaining = METRICS.genAiRateLimitRemaining.name;
  const reset = METRICS.genAiRateLimitReset.name;
  const left = `min by (${BY_LIMIT}) (${remaining} and ${reset} > time())`;
  const secondsToReset = `(max by (${BY_LIMIT}) (${reset}) - time())`;
  const window = { window: t.window('5m') };
  const calls = samplesOf(genAiMetricNames(mode).callDuration, '_count');
  const consumed = (what: (typeof CONSUMED_BY)[RateLimitType]) =>
    what === 'calls' ? sumRate(calls.metric, [SERVICE_LABEL, ...BY_MODEL], window, calls.matchers) : sumBy([SERVICE_LABEL, ...BY_MODEL], tokenRate(what, window, mode));
  const pace = (Object.entries(CONSUMED_BY) as [RateLimitType, (typeof CONSUMED_BY)[RateLimitType]][]).map(([type, what]) => withLabel(consumed(what), LABEL.rateLimitType, type)).join(' or ');
  // 1 under the share, else 0: a limit far from its end measures 0 (rather than no sample), so the query answers for every current limit.
  const nearLimit = `(${left} / on (${BY_LIMIT}) max by (${BY_LIMIT}) (${METRICS.genAiRateLimitLimit.name}) < bool ${ALERT_THRESHOLD.aiRateLimitExhaustion.maxRemainingShare})`;
  return `(${pace}) * on (${BY_LIMIT}) ${secondsToReset} / on (${BY_LIMIT}) ${left} * on (${BY_LIMIT}) ${nearLimit}`;
}

/** Per requested and served model: the share of the requested model's calls that another model answered. */
function substitutedShare(t: TimingProfile, calls: SeriesSelector): string {
  const window = { window: t.window('15m') };
  const byRequested = [SERVICE_LABEL, ...BY_MODEL];
  const substituted = sumRate(METRICS.genAiModelSubstitutions.name, [...byRequested, LABEL.genAiResponseModel], window);
  return `${substituted} / on (${byRequested.join(', ')}) group_left () (${sumRate(calls.metric, byRequested, window, calls.matchers)} > 0)`;
}

/** The AI alerts, reading the GenAI names the exporters write in `mode`. */
export function aiAlerts(mode: SemconvMode): AlertRule[] {
  const calls = samplesOf(genAiMetricNames(mode).callDuration, '_count');
  return [
    {
      ...common,
      name: ALERT.aiErrorRate,
      // Rate limiting has its own alert; an empty error_type is a success.
      query: (t) => shareBy(BY_MODEL, calls.metric, [`${LABEL.errorType}!~"|${AI_ERROR_TYPE.rateLimited}"`], { window: t.window('5m') }, calls.matchers),
      threshold: ALERT_THRESHOLD.aiErrorRatio.warning,
      for: '5m',
      summary: `AI calls to ${model} fail on {{ $labels.job }}`,
      description: `${VALUE} of the calls from {{ $labels.job }} to ${model} failed over the last 5 minutes (rate limiting not counted).`,
      value: 'percent',
    },
    {
      ...common,
      name: ALERT.aiRateLimited,
      query: (t) => shareBy(BY_MODEL, calls.metric, [`${LABEL.errorType}="${AI_ERROR_TYPE.rateLimited}"`], { window: t.window('5m') }, calls.matchers),
      threshold: ALERT_THRESHOLD.aiRateLimitedRatio.warning,
      for: '5m',
      summary: `${model} rate-limits {{ $labels.job }}`,
      description: `${VALUE} of the calls from {{ $labels.job }} to ${model} were answered 429 (rate limited) over the last 5 minutes.`,
      value: 'percent',
    },
    {
      ...common,
      name: ALERT.aiRateLimitExhaustion,
      query: (t) => rateLimitExhaustion(t, mode),
      threshold: ALERT_THRESHOLD.aiRateLimitExhaustion.warning,
      for: '2m',
      summary: `{{ $labels.job }} will run out of its {{ $labels.limit_type }} rate limit on ${model} before it resets`,
      description: `At the last 5 minutes' pace, {{ $labels.job }} uses ${VALUE} what remains of its {{ $labels.limit_type }} limit on ${model} before the provider resets it; calls will be answered 429.`,
      value: 'times',
    },
    {
      ...common,
      name: ALERT.aiModelSubstituted,
      severity: 'info',
      query: (t) => substitutedShare(t, calls),
      threshold: ALERT_THRESHOLD.aiModelSubstitutedRatio.info,
      for: '15m',
      summary: `{{ $labels.gen_ai_response_model }} answers calls {{ $labels.job }} makes to ${model}`,
      description: `${VALUE} of the calls from {{ $labels.job }} to ${model} over the last 15 minutes were answered by {{ $labels.gen_ai_response_model }}; they are priced on the model that answered.`,
      value: 'percent',
    },
  ];
}
