/**
 * Alerts per AI provider and model that are not objectives: a model failing
 * right now (the fast ticket for an outage that failover may hide from users,
 * ahead of its success objective's burn alert) and rate limiting.
 */
import { AI_ERROR_TYPE, ALERT, ALERT_THRESHOLD, APP_PAGES, LABEL, METRICS, shareBy } from '@modelwatch/conventions';
import { VALUE, type AlertRule } from './alert-rule';

const BY_MODEL = [LABEL.genAiProviderName, LABEL.genAiRequestModel];
const AI = METRICS.genAiOperationDuration.name;
const common = { group: 'ai', op: '>', severity: 'warning', page: APP_PAGES.aiModels, dashboard: 'aiModels' } as const;
const model = '{{ $labels.gen_ai_provider_name }}/{{ $labels.gen_ai_request_model }}';

export const AI_ALERTS: readonly AlertRule[] = [
  {
    ...common,
    name: ALERT.aiErrorRate,
    // Rate limiting has its own alert; an empty error_type is a success.
    query: (t) => shareBy(BY_MODEL, `${AI}_count`, [`${LABEL.errorType}!~"|${AI_ERROR_TYPE.rateLimited}"`], { window: t.window('5m') }),
    threshold: ALERT_THRESHOLD.aiErrorRatio.warning,
    for: '5m',
    summary: `AI calls to ${model} fail on {{ $labels.job }}`,
    description: `${VALUE} of the calls from {{ $labels.job }} to ${model} failed over the last 5 minutes (rate limiting not counted).`,
    value: 'percent',
  },
  {
    ...common,
    name: ALERT.aiRateLimited,
    query: (t) => shareBy(BY_MODEL, `${AI}_count`, [`${LABEL.errorType}="${AI_ERROR_TYPE.rateLimited}"`], { window: t.window('5m') }),
    threshold: ALERT_THRESHOLD.aiRateLimitedRatio.warning,
    for: '5m',
    summary: `${model} rate-limits {{ $labels.job }}`,
    description: `${VALUE} of the calls from {{ $labels.job }} to ${model} were answered 429 (rate limited) over the last 5 minutes.`,
    value: 'percent',
  },
];
