/**
 * Cache: hit ratio per cache with its health (the lowest of its success
 * objective and its hit ratio against its reference), the trend, operation
 * latency and the AI spend cache hits saved.
 */
import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import { APP_PAGES, DASHBOARD_UID, LABEL } from '@modelwatch/exporter/conventions';
import { NO_VALUE, formatPercent, formatRate, formatSeconds, formatUsd } from '../data/format';
import { joinOn } from '../data/join';
import { LineChart } from '../components/LineChart';
import { PageShell, type PageContext } from '../components/PageShell';
import { ScoreBadge } from '../components/ScoreBadge';
import { Panel } from '../components/Panel';
import { usePanelData } from '../components/usePanelData';
import { usePromClient } from '../components/usePromClient';
import { cacheTargets } from '../queries/cache';
import { jobScope, rangeWindow } from '../queries/promql';

const CACHE = [LABEL.cacheName];
const cacheName = (labels: Record<string, string>) => labels[LABEL.cacheName] ?? '';

export function Cache() {
  return (
    <PageShell page={APP_PAGES.cache} dashboard={DASHBOARD_UID.cache}>
      {(context) => <CacheBody {...context} />}
    </PageShell>
  );
}

function CacheBody({ rangeMs, job }: PageContext) {
  const styles = useStyles2(getStyles);
  const client = usePromClient();
  const data = usePanelData(async () => {
    const r = await client.query(cacheTargets(jobScope(job, rangeWindow(rangeMs)), jobScope(job, '5m')), rangeMs);
    return { r, rows: joinOn(CACHE, { hitRatio: r.hitRatio, lookups: r.lookups, p95: r.p95, savedPerHour: r.savedPerHour, score: r.score }) };
  }, [client, job, rangeMs.from, rangeMs.to]);

  return (
    <div className={styles.grid}>
      <Panel name="caches" title="Caches" data={data} isEmpty={(d) => d.rows.length === 0} wide>
        {({ rows }) => (
          <table className={styles.table} data-testid="caches">
            <thead>
              <tr>
                <th>Cache</th>
                <th>Hit ratio</th>
                <th>Lookups (5m)</th>
                <th>p95 latency</th>
                <th>Saved by hits (5m)</th>
                <th>Health</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.key} data-cache={row.key} data-hit-ratio={row.values.hitRatio}>
                  <td>{row.key}</td>
                  <td className={styles.big}>{formatPercent(row.values.hitRatio)}</td>
                  <td>{formatRate(row.values.lookups, '/s')}</td>
                  <td>{formatSeconds(row.values.p95)}</td>
                  <td>{row.values.savedPerHour === undefined ? NO_VALUE : `${formatUsd(row.values.savedPerHour)}/h`}</td>
                  <td>{row.values.score === undefined ? NO_VALUE : <ScoreBadge score={row.values.score} />}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Panel>
      <Panel name="hit-ratio-chart" title="Hit ratio over time" data={data} isEmpty={(d) => d.r.hitRatioChart.length === 0}>
        {({ r }) => <LineChart series={r.hitRatioChart} legend={cacheName} format={formatPercent} range={rangeMs} max={1} />}
      </Panel>
      <Panel name="cache-latency-chart" title="p95 operation latency" data={data} isEmpty={(d) => d.r.latencyChart.length === 0}>
        {({ r }) => <LineChart series={r.latencyChart} legend={cacheName} format={formatSeconds} range={rangeMs} />}
      </Panel>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  grid: css({ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(420px, 1fr))', gap: theme.spacing(2) }),
  table: css({
    width: '100%',
    'th, td': { padding: theme.spacing(0.5, 1), borderBottom: `1px solid ${theme.colors.border.weak}`, textAlign: 'left' },
    th: { color: theme.colors.text.secondary },
  }),
  big: css({ fontSize: theme.typography.h4.fontSize, fontWeight: theme.typography.fontWeightBold }),
});
