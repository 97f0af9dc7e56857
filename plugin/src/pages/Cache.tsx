/**
 * Cache: hit ratio per cache with its health (the lowest of its success
 * objective and its hit ratio against its reference), the trend, operation
 * latency and the AI spend cache hits saved, as Grafana panels.
 */
import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import { APP_PAGES, DASHBOARD_UID, LABEL, jobScope, rangeWindow } from '@modelwatch/conventions';
import { joinOn } from '../data/join';
import { PageShell, type PageContext } from '../components/PageShell';
import { Panel } from '../components/Panel';
import { useLoaded } from '../components/useLoaded';
import { usePromClient } from '../components/usePromClient';
import { tableHeight } from '../panels/sizes';
import { VizPanel } from '../panels/VizPanel';
import { cacheTargets } from '../queries/cache';
import { cacheLatencyPanel, cachesPanel, hitRatioPanel } from './cachePanels';

const CACHE = [LABEL.cacheName];

export function Cache() {
  return (
    <PageShell page={APP_PAGES.cache} dashboard={DASHBOARD_UID.cache}>
      {(context) => <CacheBody {...context} />}
    </PageShell>
  );
}

function CacheBody({ range, rangeMs, job, zoomTo }: PageContext) {
  const styles = useStyles2(getStyles);
  const client = usePromClient();
  const data = useLoaded(async () => {
    const r = await client.query(cacheTargets(jobScope(job, rangeWindow(rangeMs)), jobScope(job, '5m')), rangeMs);
    return { r, rows: joinOn(CACHE, { hitRatio: r.hitRatio, lookups: r.lookups, p95: r.p95, savedPerHour: r.savedPerHour, score: r.score }) };
  }, [client, job, rangeMs.from, rangeMs.to]);

  return (
    <div className={styles.grid}>
      <Panel
        name="caches"
        title="Caches"
        data={data}
        height={(d) => tableHeight(d.rows.length)}
        isEmpty={(d) => d.rows.length === 0}
        attributes={(d) => ({ caches: d.rows.map((row) => `${row.key}=${row.values.hitRatio ?? ''}`).join(' ') })}
        wide
      >
        {({ rows }, size) => <VizPanel {...cachesPanel(rows)} range={range} size={size} />}
      </Panel>
      <Panel name="hit-ratio-chart" title="Hit ratio over time" data={data} height={280} isEmpty={(d) => d.r.hitRatioChart.length === 0}>
        {({ r }, size) => <VizPanel {...hitRatioPanel(r.hitRatioChart)} range={range} size={size} onZoom={zoomTo} />}
      </Panel>
      <Panel name="cache-latency-chart" title="p95 operation latency" data={data} height={280} isEmpty={(d) => d.r.latencyChart.length === 0}>
        {({ r }, size) => <VizPanel {...cacheLatencyPanel(r.latencyChart)} range={range} size={size} onZoom={zoomTo} />}
      </Panel>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  grid: css({ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(480px, 1fr))', gap: theme.spacing(2) }),
});
