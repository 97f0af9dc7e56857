/**
 * Anomalies and deploy regressions: an AI signal whose last hour leaves the
 * band of the same hour over the last week, and a service version slower or
 * failing more than the versions it replaced. Tickets, never pages: a band
 * says "unusual", not "users are hurt" (the objectives page for that).
 */
import {
  ALERT,
  ALERT_THRESHOLD,
  ANOMALY_BASELINE,
  ANOMALY_SIGNAL,
  ANOMALY_SIGNAL_LABEL,
  APP_PAGES,
  VERSION_INFO,
  anomalyScoreQuery,
  deployRegressionQuery,
  type AlertName,
  type AnomalySignal,
  type AnomalySignalKey,
} from '@modelwatch/conventions';
import { VALUE, type AlertRule } from './alert-rule';

const model = '{{ $labels.gen_ai_provider_name }}/{{ $labels.gen_ai_request_model }}';
const k = ALERT_THRESHOLD.anomalyStddevs.warning;

/** What each signal is called in prose, whose it is, and the alert it raises. */
const ANOMALY_TEXT: Readonly<Record<AnomalySignalKey, { alert: AlertName; what: string; of: string }>> = {
  aiTimeToFirstChunkP95: { alert: ALERT.aiLatencyAnomaly, what: 'p95 time to first chunk', of: `calls from {{ $labels.job }} to ${model}` },
  aiTimePerOutputTokenP95: { alert: ALERT.aiLatencyAnomaly, what: 'p95 time per output token', of: `calls from {{ $labels.job }} to ${model}` },
  aiErrorRatio: { alert: ALERT.aiErrorRatioAnomaly, what: 'error ratio (rate limiting not counted)', of: `calls from {{ $labels.job }} to ${model}` },
  aiSpend: { alert: ALERT.aiSpendAnomaly, what: 'AI spend per hour', of: '{{ $labels.job }}' },
  aiTokensPerCall: { alert: ALERT.aiTokensPerCallAnomaly, what: 'tokens per call (input and output)', of: `calls from {{ $labels.job }} to ${model}` },
};

function anomalyAlert(key: AnomalySignalKey): AlertRule {
  const signal: AnomalySignal = ANOMALY_SIGNAL[key];
  const { alert, what, of } = ANOMALY_TEXT[key];
  const side = signal.direction === 'up' ? 'above' : 'away from';
  return {
    name: alert,
    severity: 'warning',
    group: key === 'aiSpend' ? 'spend' : 'ai',
    labels: { [ANOMALY_SIGNAL_LABEL]: signal.name },
    query: () => anomalyScoreQuery(signal),
    op: '>',
    threshold: k,
    // The value covers an hour already: half an hour more outside the band is a change, not a burst.
    for: '30m',
    summary: `The ${what} of ${of} left its usual band`,
    description: `Over the last hour, the ${what} of ${of} is ${VALUE} standard deviations ${side} its mean at this hour over the last ${ANOMALY_BASELINE.days} days (the band: ±${k}, and at least ${signal.minChange} either way).`,
    value: 'number',
    page: APP_PAGES.aiModels,
    dashboard: 'aiModels',
  };
}

const version = `{{ $labels.${VERSION_INFO.label} }}`;
const deployCommon = { name: ALERT.deployRegression, severity: 'warning', group: 'slo', op: '>', for: '15m', page: APP_PAGES.overview, dashboard: 'serviceHealth' } as const;
const LOOKBACK = '1d';

export const ANOMALY_ALERTS: readonly AlertRule[] = [
  ...(Object.keys(ANOMALY_SIGNAL) as AnomalySignalKey[]).map(anomalyAlert),
  {
    ...deployCommon,
    labels: { [ANOMALY_SIGNAL_LABEL]: 'http_p95_seconds' },
    query: (t) => deployRegressionQuery('latencyP95', t.window(LOOKBACK)),
    threshold: ALERT_THRESHOLD.deployRegression.latencyFactor,
    summary: `Version ${version} of {{ $labels.job }} is slower than the version it replaced`,
    description: `Over the last hour, the HTTP p95 latency of {{ $labels.job }} version ${version} is ${VALUE} that of the slowest version it replaced in the last day (in that version's last hour).`,
    value: 'times',
  },
  {
    ...deployCommon,
    labels: { [ANOMALY_SIGNAL_LABEL]: 'http_error_ratio' },
    query: (t) => deployRegressionQuery('errorRatio', t.window(LOOKBACK)),
    threshold: ALERT_THRESHOLD.deployRegression.errorRatioIncrease,
    summary: `Version ${version} of {{ $labels.job }} answers 5xx more often than the version it replaced`,
    description: `Over the last hour, {{ $labels.job }} version ${version} answers 5xx to ${VALUE} more of its requests (percentage points) than the versions it replaced in the last day did in their last hour.`,
    value: 'percent',
  },
];
