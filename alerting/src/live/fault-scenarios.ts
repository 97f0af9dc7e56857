/**
 * The demo's faults and the notification each must cause: which alert, at
 * which severity, through which integration and channel. The live test and
 * `npm run detect` inject them through the demo's admin API.
 */
import { ALERT, LABEL, type AlertName } from '@modelwatch/conventions';
import { SLACK_CHANNEL } from '../catalogue/routing';

export interface FaultScenario {
  /** Fault class, as in the demo's fault table. */
  title: string;
  /** Body of `POST /admin/faults`. */
  fault: Record<string, unknown>;
  alert: AlertName;
  /**
   * Burn-rate alerts: the objectives the notification may name, and the labels of
   * the series the fault burns. Such an alert is judged resolved when those series'
   * short-window burn rate is back within budget: its slow pairs keep a ticket open
   * for as long as their windows remember the fault, by design (on a young stack,
   * its whole life).
   */
  slo?: { names: readonly string[]; series?: Readonly<Record<string, string>> };
  /** A dependency failure failover hides from users: it must page nobody. */
  masked?: boolean;
  /** PagerDuty for critical alerts (Slack gets them too), else the Slack channel. */
  via: { kind: 'pagerduty' } | { kind: 'slack'; channel: string };
}

const ALERTS_CHANNEL = { kind: 'slack', channel: SLACK_CHANNEL.alerts } as const;

export const FAULT_SCENARIOS: readonly FaultScenario[] = [
  // Users get 5xx: the availability objective pages.
  { title: 'http_errors on /chat', fault: { kind: 'http_errors', route: '/chat' }, alert: ALERT.availabilityBudgetBurn, slo: { names: ['availability'] }, via: { kind: 'pagerduty' } },
  { title: 'cache_outage', fault: { kind: 'cache_outage' }, alert: ALERT.cacheBudgetBurn, slo: { names: ['answers: success', 'every other cache: success'] }, via: ALERTS_CHANNEL },
  { title: 'rate_limit_storm on openai', fault: { kind: 'rate_limit_storm', provider: 'openai' }, alert: ALERT.aiRateLimited, via: ALERTS_CHANNEL },
  // Failover to OpenAI hides it from users: a ticket on the model's success objective, and no page.
  {
    title: 'provider_outage on anthropic',
    fault: { kind: 'provider_outage', provider: 'anthropic' },
    alert: ALERT.aiSuccessBudgetBurn,
    slo: { names: ['chat models: success'], series: { [LABEL.genAiProviderName]: 'anthropic' } },
    via: ALERTS_CHANNEL,
    masked: true,
  },
  { title: 'slow_db', fault: { kind: 'slow_db', delayMs: 300 }, alert: ALERT.dbLatency, via: ALERTS_CHANNEL },
  {
    title: 'latency_spike on openai',
    fault: { kind: 'latency_spike', provider: 'openai' },
    alert: ALERT.aiLatencyBudgetBurn,
    // Every OpenAI model waits before its first byte: the chat models' first chunks and the embeddings' duration
    // burn, and so does the time per output token of a call answered in one piece (its whole duration, the wait
    // included, spread over its tokens). Which of them notifies first is a race.
    slo: { names: ['chat models: time to first chunk', 'chat models: time per output token', 'embeddings: duration'], series: { [LABEL.genAiProviderName]: 'openai' } },
    via: ALERTS_CHANNEL,
  },
];
