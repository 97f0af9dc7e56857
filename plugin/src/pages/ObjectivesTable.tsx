/**
 * The objectives of a service, one row per objective and model or cache,
 * worst first: target, SLI now and over the fast page pair's hour, burn rate
 * over the two page pairs' long windows, error budget left over the SLO
 * period, whether it pages, and its status (its health component's band).
 */
import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Badge, useStyles2 } from '@grafana/ui';
import { SLO_PERIOD } from '@modelwatch/conventions';
import { formatBurnRate, formatPercent, formatSli, formatTarget } from '../data/format';
import { coverage, objectiveBand, promise, type ObjectiveRow } from '../data/slo';
import { ScoreBadge } from '../components/ScoreBadge';

export function ObjectivesTable({ objectives }: { objectives: readonly ObjectiveRow[] }) {
  const styles = useStyles2(getStyles);
  return (
    <table className={styles.table} data-testid="objectives">
      <thead>
        <tr>
          <th>Objective</th>
          <th>Covers</th>
          <th>Target</th>
          <th className={styles.num}>SLI 5m</th>
          <th className={styles.num}>SLI 1h</th>
          <th className={styles.num}>Burn 1h</th>
          <th className={styles.num}>Burn 6h</th>
          <th className={styles.num}>Budget left ({SLO_PERIOD})</th>
          <th>Alerting</th>
          <th>Status</th>
        </tr>
      </thead>
      <tbody>
        {objectives.map((o) => (
          <tr
            key={o.key}
            data-slo={o.name}
            data-covers={coverage(o)}
            data-score={o.score?.toFixed(1)}
            data-sli={o.sli['1h'] ?? o.sli['5m']}
            data-burn-rate={o.burnRate['1h']}
            data-budget-remaining={o.budgetRemaining}
          >
            <td>{o.name}</td>
            <td>{coverage(o)}</td>
            <td>{promise(o, formatTarget(o.target))}</td>
            <td className={styles.num}>{formatSli(o.sli['5m'])}</td>
            <td className={styles.num}>{formatSli(o.sli['1h'])}</td>
            <td className={styles.num}>{formatBurnRate(o.burnRate['1h'])}</td>
            <td className={styles.num}>{formatBurnRate(o.burnRate['6h'])}</td>
            <td className={styles.num}>{formatPercent(o.budgetRemaining)}</td>
            <td>
              <Badge text={o.pages ? 'page' : 'ticket'} color={o.pages ? 'red' : 'blue'} />
            </td>
            <td>
              {o.score === undefined ? (
                'no recent traffic'
              ) : (
                <>
                  <ScoreBadge score={o.score} /> {objectiveBand(o)}
                </>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  table: css({
    width: '100%',
    'th, td': { padding: theme.spacing(0.5, 1), borderBottom: `1px solid ${theme.colors.border.weak}`, textAlign: 'left' },
    th: { color: theme.colors.text.secondary, fontWeight: theme.typography.fontWeightMedium },
  }),
  // `&&` outranks the table's own left alignment.
  num: css({ '&&': { textAlign: 'right', whiteSpace: 'nowrap' } }),
});
