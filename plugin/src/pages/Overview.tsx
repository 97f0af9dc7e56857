/**
 * Overview: the health score with its band and trend, each component's score
 * and the reason for a low one, key SLIs, the top offenders and firing alerts.
 */
import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';
import { APP_PAGES, DASHBOARD_UID, HEALTH_COMPONENTS, LABEL, healthBand, type HealthBand, type HealthComponentId } from '@modelwatch/exporter/conventions';
import { fetchAlerts } from '../data/alerts';
import { lastValue } from '../data/dsQuery';
import { formatPercent, formatRate, formatScore, formatSeconds, formatUsd } from '../data/format';
import { LOW_COMPONENT_SCORE, explain, readHealth } from '../data/health';
import { useAppEnvironment } from '../components/AppContext';
import { LineChart } from '../components/LineChart';
import { PageShell, type PageContext } from '../components/PageShell';
import { Panel } from '../components/Panel';
import { usePanelData } from '../components/usePanelData';
import { usePromClient } from '../components/usePromClient';
import { overviewTargets } from '../queries/overview';
import { jobScope } from '../queries/promql';
import { AlertList } from './AlertList';

export function Overview() {
  return (
    <PageShell page={APP_PAGES.overview} dashboard={DASHBOARD_UID.serviceHealth}>
      {(context) => <OverviewBody {...context} />}
    </PageShell>
  );
}

function OverviewBody({ rangeMs, job }: PageContext) {
  const styles = useStyles2(getStyles);
  const { settings, transport } = useAppEnvironment();
  const client = usePromClient();
  const data = usePanelData(async () => {
    const r = await client.query(overviewTargets(jobScope(job), settings.healthWeights), rangeMs);
    const offenders = Object.fromEntries(HEALTH_COMPONENTS.map((c) => [c.id, r[`offender_${c.id}`]])) as Record<HealthComponentId, typeof r.score>;
    return { r, health: readHealth(lastValue(r.score[0]), r.components, offenders, settings.healthWeights) };
  }, [client, job, rangeMs.from, rangeMs.to, settings.healthWeights]);
  const alerts = usePanelData(() => fetchAlerts(transport, settings.alertmanagerUid), [transport, settings.alertmanagerUid, rangeMs.to]);

  return (
    <div className={styles.grid}>
      <Panel name="health-score" title="Health score" data={data} isEmpty={(d) => d.health === undefined}>
        {({ health, r }) => health && <ScoreView score={health.score} band={health.band} trend={r.trend} rangeMs={rangeMs} />}
      </Panel>
      <Panel name="components" title="Components" data={data} isEmpty={(d) => !d.health || d.health.components.length === 0}>
        {({ health }) => (
          <table className={styles.table} data-testid="components">
            <tbody>
              {health?.components.map((c) => (
                <tr key={c.id} data-component={c.id} data-score={c.score.toFixed(1)}>
                  <td>{c.title}</td>
                  <td className={styles.num}>
                    <ScoreBadge score={c.score} />
                  </td>
                  <td className={styles.reason}>{c.score < LOW_COMPONENT_SCORE ? explain(c) : 'ok'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Panel>
      <Panel name="slis" title="Key SLIs (last 5 minutes)" data={data} isEmpty={(d) => lastValue(d.r.requestRate[0]) === undefined && lastValue(d.r.aiSpendPerHour[0]) === undefined}>
        {({ r }) => (
          <dl className={styles.slis} data-testid="slis">
            <Stat label="Requests" value={formatRate(lastValue(r.requestRate[0]))} />
            <Stat label="5xx share" value={formatPercent(lastValue(r.errorRatio[0]))} />
            <Stat label="p95 latency" value={formatSeconds(lastValue(r.p95[0]))} />
            <Stat label="AI error share" value={formatPercent(lastValue(r.aiErrorRatio[0]))} />
            <Stat label="AI spend" value={`${formatUsd(lastValue(r.aiSpendPerHour[0]))}/h`} />
            <Stat label="Cache hit ratio" value={formatPercent(lastValue(r.cacheHitRatio[0]))} />
          </dl>
        )}
      </Panel>
      <Panel name="offenders" title="Top offenders" data={data}>
        {({ r }) => (
          <div className={styles.offenders}>
            <div>
              <h4>Slowest routes (p95)</h4>
              <ol data-testid="slow-routes">
                {r.slowRoutes.map((s) => (
                  <li key={`${s.labels[LABEL.httpRequestMethod]} ${s.labels[LABEL.httpRoute]}`}>
                    {s.labels[LABEL.httpRequestMethod]} {s.labels[LABEL.httpRoute]} — {formatSeconds(lastValue(s))}
                  </li>
                ))}
                {r.slowRoutes.length === 0 && <li>no HTTP traffic</li>}
              </ol>
            </div>
            <div>
              <h4>Most failing models</h4>
              <ol data-testid="failing-models">
                {r.failingModels.map((s) => (
                  <li key={`${s.labels[LABEL.genAiProviderName]}/${s.labels[LABEL.genAiRequestModel]}`}>
                    {s.labels[LABEL.genAiProviderName]}/{s.labels[LABEL.genAiRequestModel]} — {formatPercent(lastValue(s))} errors
                  </li>
                ))}
                {r.failingModels.length === 0 && <li>no failing AI calls</li>}
              </ol>
            </div>
          </div>
        )}
      </Panel>
      <Panel name="firing-alerts" title="Firing alerts" data={alerts} wide>
        {(result) => <AlertList result={result} states={['firing']} compact />}
      </Panel>
    </div>
  );
}

function ScoreView({ score, band, trend, rangeMs }: { score: number; band: HealthBand; trend: Parameters<typeof LineChart>[0]['series']; rangeMs: PageContext['rangeMs'] }) {
  const styles = useStyles2(getStyles);
  const color = useBandColor(band);
  return (
    <div className={styles.score}>
      <div>
        <div className={styles.bigNumber} style={{ color }} data-testid="health-score" data-band={band}>
          {formatScore(score)}
        </div>
        <div className={styles.band} style={{ color }}>
          {band}
        </div>
      </div>
      <div className={styles.trend}>
        <LineChart series={trend} legend={() => 'health score'} format={formatScore} range={rangeMs} max={100} height={90} testId="health-trend" />
      </div>
    </div>
  );
}

function ScoreBadge({ score }: { score: number }) {
  return <strong style={{ color: useBandColor(healthBand(score)) }}>{formatScore(score)}</strong>;
}

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

export function useBandColor(band: HealthBand): string {
  const theme = useTheme2();
  return { healthy: theme.colors.success.text, degraded: theme.colors.warning.text, critical: theme.colors.error.text }[band];
}

const getStyles = (theme: GrafanaTheme2) => ({
  grid: css({ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(420px, 1fr))', gap: theme.spacing(2) }),
  score: css({ display: 'flex', gap: theme.spacing(3), alignItems: 'center' }),
  bigNumber: css({ fontSize: 72, fontWeight: theme.typography.fontWeightBold, lineHeight: 1 }),
  band: css({ textTransform: 'uppercase', letterSpacing: 1, fontWeight: theme.typography.fontWeightMedium }),
  trend: css({ flex: 1, minWidth: 0 }),
  table: css({ width: '100%', td: { padding: theme.spacing(0.5, 1), borderBottom: `1px solid ${theme.colors.border.weak}` } }),
  num: css({ textAlign: 'right' }),
  reason: css({ color: theme.colors.text.secondary }),
  slis: css({
    display: 'grid',
    gridTemplateColumns: 'repeat(3, 1fr)',
    gap: theme.spacing(2),
    dt: { color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize },
    dd: { fontSize: theme.typography.h3.fontSize, margin: 0 },
  }),
  offenders: css({ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: theme.spacing(2), ol: { paddingLeft: theme.spacing(2) } }),
});
