/**
 * Alerts as a table, one row per alert: severity (the highest of its copies),
 * state, name, what it is about, summary, value, since and runbook; above it,
 * the alerting pipeline's health as the Watchdog shows it.
 */
import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Badge, TextLink, useStyles2, type BadgeColor } from '@grafana/ui';
import { SLO_LABEL } from '@modelwatch/exporter/conventions';
import { alertRows, type AlertRow, type AlertState, type AlertsResult } from '../data/alerts';
import { subjectOf } from '../data/slo';

const SEVERITY_COLOR: Record<string, BadgeColor> = { critical: 'red', warning: 'orange', info: 'blue' };

export function AlertList({ result, states, compact }: { result: AlertsResult; states: readonly AlertState[]; compact?: boolean }) {
  const styles = useStyles2(getStyles);
  const alerts = alertRows(result.alerts, states);
  return (
    <div>
      <div className={styles.pipeline[result.pipeline.state]} data-testid="alerting-pipeline" data-state={result.pipeline.state}>
        {result.pipeline.message}
      </div>
      {result.failures.map((f) => (
        <div key={f.source} className={styles.failure}>
          {f.source} could not be read: {f.message}
        </div>
      ))}
      {alerts.length === 0 ? (
        <div data-testid="no-alerts">No {states.join(' or ')} alerts.</div>
      ) : (
        <table className={styles.table} data-testid="alerts">
          <thead>
            <tr>
              <th>Severity</th>
              <th>State</th>
              <th>Alert</th>
              {!compact && <th>Summary</th>}
              <th>Value</th>
              <th>Since</th>
              <th>Runbook</th>
            </tr>
          </thead>
          <tbody>
            {alerts.map((a) => (
              <tr key={`${a.source}:${a.id}`} data-alert={a.name} data-state={a.state} data-severity={a.severity} data-about={about(a)}>
                <td>
                  <Badge text={a.severity} color={SEVERITY_COLOR[a.severity] ?? 'darkgrey'} />
                  {a.otherSeverities.length > 0 && <span className={styles.also}> and {a.otherSeverities.join(', ')}</span>}
                </td>
                <td>{a.state}</td>
                <td title={a.source}>
                  {a.name}
                  {about(a) && <div className={styles.also}>{about(a)}</div>}
                </td>
                {!compact && <td>{a.summary}</td>}
                <td>{a.value === undefined ? '—' : Number(a.value.toPrecision(4))}</td>
                <td>{a.since ? new Date(a.since).toLocaleTimeString() : '—'}</td>
                <td>{a.runbookUrl ? <TextLink href={a.runbookUrl} external>runbook</TextLink> : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

/** What an alert is about: its objective and model or cache, else its service. */
function about(alert: AlertRow): string {
  return [alert.labels[SLO_LABEL.name], subjectOf(alert.labels), alert.labels.job].filter(Boolean).join(' · ');
}

const getStyles = (theme: GrafanaTheme2) => ({
  table: css({
    width: '100%',
    'th, td': { padding: theme.spacing(0.5, 1), borderBottom: `1px solid ${theme.colors.border.weak}`, textAlign: 'left' },
    th: { color: theme.colors.text.secondary, fontWeight: theme.typography.fontWeightMedium },
  }),
  failure: css({ color: theme.colors.warning.text, marginBottom: theme.spacing(1) }),
  pipeline: {
    healthy: css({ color: theme.colors.success.text, marginBottom: theme.spacing(1) }),
    starting: css({ color: theme.colors.text.secondary, marginBottom: theme.spacing(1) }),
    unchecked: css({ color: theme.colors.warning.text, marginBottom: theme.spacing(1) }),
    undelivered: css({ color: theme.colors.error.text, fontWeight: theme.typography.fontWeightMedium, marginBottom: theme.spacing(1) }),
    broken: css({ color: theme.colors.error.text, fontWeight: theme.typography.fontWeightMedium, marginBottom: theme.spacing(1) }),
  },
  also: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
});
