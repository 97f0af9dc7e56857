/**
 * The monitoring itself: scrape targets and the always-firing watchdog. (The
 * health score has no alert of its own: it is critical exactly when an
 * objective's page fires, so a score alert would page twice.)
 */
import { ALERT, APP_PAGES, WATCHDOG_SEVERITY } from '@modelwatch/conventions';
import { VALUE, type AlertRule } from './alert-rule';

export const META_ALERTS: readonly AlertRule[] = [
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
