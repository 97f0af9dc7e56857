/**
 * The demo's faults and the notification each must cause: which alert, at
 * which severity, through which integration and channel. The live test and
 * `npm run detect` inject them through the demo's admin API.
 */
import { ALERT, type AlertName } from '@modelwatch/exporter/conventions';
import { SLACK_CHANNEL } from '../spec/routing';

export interface FaultScenario {
  /** Fault class, as in the demo's fault table. */
  title: string;
  /** Body of `POST /admin/faults`. */
  fault: Record<string, unknown>;
  alert: AlertName;
  /** PagerDuty for critical alerts (Slack gets them too), else the Slack channel. */
  via: { kind: 'pagerduty' } | { kind: 'slack'; channel: string };
}

export const FAULT_SCENARIOS: readonly FaultScenario[] = [
  { title: 'http_errors on /chat', fault: { kind: 'http_errors', route: '/chat' }, alert: ALERT.httpErrorRate, via: { kind: 'pagerduty' } },
  { title: 'cache_outage', fault: { kind: 'cache_outage' }, alert: ALERT.cacheHitRatioLow, via: { kind: 'slack', channel: SLACK_CHANNEL.alerts } },
  { title: 'rate_limit_storm on openai', fault: { kind: 'rate_limit_storm', provider: 'openai' }, alert: ALERT.aiRateLimited, via: { kind: 'slack', channel: SLACK_CHANNEL.alerts } },
  { title: 'provider_outage on anthropic', fault: { kind: 'provider_outage', provider: 'anthropic' }, alert: ALERT.aiErrorRate, via: { kind: 'slack', channel: SLACK_CHANNEL.alerts } },
  { title: 'slow_db', fault: { kind: 'slow_db', delayMs: 300 }, alert: ALERT.dbLatency, via: { kind: 'slack', channel: SLACK_CHANNEL.alerts } },
  { title: 'latency_spike on openai', fault: { kind: 'latency_spike', provider: 'openai' }, alert: ALERT.aiTimeToFirstToken, via: { kind: 'slack', channel: SLACK_CHANNEL.alerts } },
];
