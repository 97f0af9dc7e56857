/**
 * Alerts as a Grafana table (alertsPanel.ts); above it, the alerting
 * pipeline's health as the Watchdog shows it, and any source that could not
 * be read.
 */
import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2, TimeRange } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import { alertRows, type AlertState, type AlertsResult } from '../data/alerts';
import type { PanelSize } from '../components/Panel';
import { tableHeight } from '../panels/sizes';
import { VizPanel } from '../panels/VizPanel';
import { alertsPanel } from './alertsPanel';

/** Room for the pipeline line and one line per unreadable source. */
const LINE_HEIGHT = 28;

interface Props {
  result: AlertsResult;
  states: readonly AlertState[];
  compact?: boolean;
  range: TimeRange;
  size: PanelSize;
}

export function AlertList({ result, states, compact, range, size }: Props) {
  const styles = useStyles2(getStyles);
  const count = alertRows(result.alerts, states).length;
  const above = LINE_HEIGHT * (1 + result.failures.length);
  return (
    <div data-alerts={count}>
      <div className={styles.pipeline[result.pipeline.state]} data-testid="alerting-pipeline" data-state={result.pipeline.state}>
        {result.pipeline.message}
      </div>
      {result.failures.map((f) => (
        <div key={f.source} className={styles.failure}>
          {f.source} could not be read: {f.message}
        </div>
      ))}
      {count === 0 ? (
        <div data-testid="no-alerts">No {states.join(' or ')} alerts.</div>
      ) : (
        <VizPanel {...alertsPanel(result, states, compact)} range={range} size={{ width: size.width, height: size.height - above }} />
      )}
    </div>
  );
}

/** A panel tall enough for the pipeline line, the unreadable sources and the table (or the "no alerts" line). */
export function alertsHeight(result: AlertsResult, states: readonly AlertState[]): number {
  const count = alertRows(result.alerts, states).length;
  return LINE_HEIGHT * (1 + result.failures.length) + (count === 0 ? 80 : tableHeight(count));
}

const line = { height: LINE_HEIGHT, overflow: 'hidden', whiteSpace: 'nowrap', textOverflow: 'ellipsis' } as const;

const getStyles = (theme: GrafanaTheme2) => ({
  failure: css({ ...line, color: theme.colors.warning.text }),
  pipeline: {
    healthy: css({ ...line, color: theme.colors.success.text }),
    starting: css({ ...line, color: theme.colors.text.secondary }),
    unchecked: css({ ...line, color: theme.colors.warning.text }),
    undelivered: css({ ...line, color: theme.colors.error.text, fontWeight: theme.typography.fontWeightMedium }),
    broken: css({ ...line, color: theme.colors.error.text, fontWeight: theme.typography.fontWeightMedium }),
  },
});
