/** Alerts as a table: severity, state, name, summary, value, since and runbook. */
import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Badge, TextLink, useStyles2, type BadgeColor } from '@grafana/ui';
import type { AlertState, AlertsResult } from '../data/alerts';

const SEVERITY_COLOR: Record<string, BadgeColor> = { critical: 'red', warning: 'orange', info: 'blue' };

export function AlertList({ result, states, compact }: { result: AlertsResult; states: readonly AlertState[]; compact?: boolean }) {
  const styles = useStyles2(getStyles);
  const alerts = result.alerts.filter((a) => states.includes(a.state));
  return (
    <div>
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
              <tr key={`${a.source}:${a.id}`} data-alert={a.name} data-state={a.state}>
                <td>
                  <Badge text={a.severity} color={SEVERITY_COLOR[a.severity] ?? 'darkgrey'} />
                </td>
                <td>{a.state}</td>
                <td title={a.source}>{a.name}</td>
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

const getStyles = (theme: GrafanaTheme2) => ({
  table: css({
    width: '100%',
    'th, td': { padding: theme.spacing(0.5, 1), borderBottom: `1px solid ${theme.colors.border.weak}`, textAlign: 'left' },
    th: { color: theme.colors.text.secondary, fontWeight: theme.typography.fontWeightMedium },
  }),
  failure: css({ color: theme.colors.warning.text, marginBottom: theme.spacing(1) }),
});
