/** The health score, scrape targets and the always-firing watchdog. */
import { ALERT, ALERT_THRESHOLD, APP_PAGES, HEALTH_RECORDING_RULE, WATCHDOG_SEVERITY } from '@modelwatch/exporter/conventions';
import { VALUE, type AlertRule } from './alert-rule';

export const HEALTH_ALERTS: readonly AlertRule[] = [
  ...(['warning', 'critical'] as const).map(
    (severity): AlertRule => ({
      name: ALERT.healthScoreLow,
      severity,
      group: 'health',
      query: () => HEALTH_RECORDING_RULE.score,
      op: '<',
      threshold: ALERT_THRESHOLD.healthScore[severity],
      for: severity === 'critical' ? '5m' : '10m',
      summary: 'The health score of {{ $labels.job }} is low',
      description: `The health score of {{ $labels.job }} is ${VALUE} out of 100 (${severity} below ${ALERT_THRESHOLD.healthScore[severity]}); the Overview page shows its worst components.`,
      value: 'number',
      page: APP_PAGES.overview,
      dashboard: 'serviceHealth',
    }),
  ),
  {
    name: ALERT.targetDown,
    severity: 'critical',
    group: 'meta',
    query: () => 'up',
    op: '<',
    threshold: 1,
    for: '2m',
    summary: 'Prometheus cannot scrape {{ $labels.instance }} ({{ $labels.job }})',
    description: `The last scrape of {{ $labels.instance }} ({{ $labels.job }}) failed (up = ${VALUE}): the service is down or its /metrics does not answer, and every other alert on it is blind.`,
    value: 'number',
    page: APP_PAGES.overview,
    dashboard: 'serviceHealth',
  },
  {
    name: ALERT.watchdog,
    severity: WATCHDOG_SEVERITY,
    group: 'meta',
    query: () => 'vector(1)',
    op: '>',
    threshold: 0,
    for: '0s',
    summary: 'The alerting pipeline works (always firing)',
    description: `Always firing (value ${VALUE}) so a dead-man's switch outside this stack notices when notifications stop: then Prometheus, Alertmanager or the path between them is down.`,
    value: 'number',
    page: APP_PAGES.alerts,
    dashboard: 'serviceHealth',
  },
];
