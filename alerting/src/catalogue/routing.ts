/**
 * Where alerts go, shared by the Alertmanager config and Grafana's
 * notification policies: one receiver per severity, the watchdog to the
 * dead-man's switch, grouped per alert and job; a critical alert silences the
 * warning of the same alert, job and objective, and a budget alert's higher
 * level its lower ones.
 */
import { ALERT, ALERT_SEVERITY, BUDGET_THRESHOLD_LABEL, LABEL, SERVICE_LABEL, SLO_LABEL, WATCHDOG_SEVERITY } from '@modelwatch/conventions';
import { percent } from './alert-rule';

export const RECEIVER = {
  page: 'pagerduty-and-slack',
  slack: 'slack-alerts',
  lowPriority: 'slack-low-priority',
  watchdog: 'watchdog',
} as const;
export type ReceiverName = (typeof RECEIVER)[keyof typeof RECEIVER];

/** Slack channels, one webhook URL each. */
export const SLACK_CHANNEL = { alerts: 'modelwatch-alerts', lowPriority: 'modelwatch-info' } as const;

export const GROUP_BY = ['alertname', 'job'] as const;

export interface Route {
  receiver: ReceiverName;
  /** label → value, all must match. */
  match: Readonly<Record<string, string>>;
  /** Timers of this route when they differ from the root's. */
  timing?: Partial<RouteTimers>;
}

export interface RouteTimers {
  group_wait: string;
  group_interval: string;
  repeat_interval: string;
}

/** Checked in order, first match wins; anything unmatched goes to the root (Slack). */
export const ROUTES: readonly Route[] = [
  // Every minute, so the dead-man's switch notices within minutes when the pings stop.
  { receiver: RECEIVER.watchdog, match: { alertname: ALERT.watchdog, severity: WATCHDOG_SEVERITY }, timing: { group_interval: '1m', repeat_interval: '1m' } },
  { receiver: RECEIVER.page, match: { severity: ALERT_SEVERITY.critical }, timing: { repeat_interval: '1h' } },
  { receiver: RECEIVER.slack, match: { severity: ALERT_SEVERITY.warning } },
  { receiver: RECEIVER.lowPriority, match: { severity: ALERT_SEVERITY.info }, timing: { repeat_interval: '24h' } },
];
export const ROOT_RECEIVER: ReceiverName = RECEIVER.slack;

/** Root timers: production, and the local stack's (a page within seconds of Prometheus firing in a demo). */
export const ROOT_TIMING: Record<'production' | 'local', RouteTimers> = {
  production: { group_wait: '30s', group_interval: '5m', repeat_interval: '4h' },
  local: { group_wait: '10s', group_interval: '30s', repeat_interval: '4h' },
};

/**
 * A critical alert silences the warning of the same alert on the same job and
 * the same objective (model, cache): a page on one objective must not hide the
 * ticket of another. Labels missing on both sides count as equal.
 */
export const INHIBITION: Inhibition = {
  source: { severity: ALERT_SEVERITY.critical },
  target: { severity: ALERT_SEVERITY.warning },
  equal: ['alertname', 'job', SLO_LABEL.name, LABEL.genAiProviderName, LABEL.genAiRequestModel, LABEL.cacheName],
};

export interface Inhibition {
  readonly source: Readonly<Record<string, string>>;
  readonly target: Readonly<Record<string, string>>;
  readonly equal: readonly string[];
}

/**
 * The tenant and feature budget alerts fire at every level a projection is over: each level silences the lower
 * ones of the same alert, job and tenant or feature (95 % silences 80 %; 100 % both), so one tenant over its budget
 * sends one notification. `levels` are the spec's (its warnings and 100 %), increasing.
 */
export function budgetLevelInhibitions(levels: readonly number[]): Inhibition[] {
  return [ALERT.aiTenantSpendOverBudget, ALERT.aiFeatureSpendOverBudget].flatMap((alertname) =>
    levels.flatMap((higher, index) =>
      levels.slice(0, index).map((lower) => ({
        source: { alertname, [BUDGET_THRESHOLD_LABEL]: percent(higher) },
        target: { alertname, [BUDGET_THRESHOLD_LABEL]: percent(lower) },
        equal: [SERVICE_LABEL, LABEL.tenant, LABEL.feature],
      })),
    ),
  );
}

/** Example mute timing: low-priority alerts stay quiet at night and at weekends. */
export const QUIET_HOURS = {
  name: 'low-priority-quiet-hours',
  appliesTo: RECEIVER.lowPriority,
  time_intervals: [
    { times: [{ start_time: '00:00', end_time: '07:00' }], weekdays: ['monday:friday'] },
    { weekdays: ['saturday', 'sunday'] },
  ],
} as const;
