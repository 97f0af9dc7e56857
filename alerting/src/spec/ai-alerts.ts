/** Alerts per AI provider and model: errors, rate limiting, latency, time to first token. */
import { AI_ERROR_TYPE, ALERT, ALERT_THRESHOLD, APP_PAGES, LABEL, METRICS } from '@modelwatch/exporter/conventions';
import { quantileBy, shareBy } from '../promql';
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
  {
    ...common,
    name: ALERT.aiLatency,
    query: (t) => quantileBy(0.95, AI, BY_MODEL, { window: t.window('5m') }),
    threshold: ALERT_THRESHOLD.aiLatencyP95Seconds.warning,
    for: '10m',
    summary: `${model} answers {{ $labels.job }} slowly`,
    description: `The p95 duration of calls from {{ $labels.job }} to ${model} is ${VALUE} over the last 5 minutes (warning above ${ALERT_THRESHOLD.aiLatencyP95Seconds.warning} s).`,
    value: 'seconds',
  },
  {
    ...common,
    name: ALERT.aiTimeToFirstToken,
    query: (t) => quantileBy(0.95, METRICS.genAiTimeToFirstChunk.name, BY_MODEL, { window: t.window('5m') }),
    threshold: ALERT_THRESHOLD.aiTimeToFirstTokenP95Seconds.warning,
    for: '10m',
    summary: `${model} is slow to start streaming to {{ $labels.job }}`,
    description: `The p95 time to the first streamed chunk from ${model} is ${VALUE} for {{ $labels.job }} over the last 5 minutes (warning above ${ALERT_THRESHOLD.aiTimeToFirstTokenP95Seconds.warning} s).`,
    value: 'seconds',
  },
];
