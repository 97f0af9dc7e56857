/**
 * Overview: the recorded health score with its band and trend, why it is what
 * it is (the worst components, named by objective and route or model), every
 * objective's SLI, burn rate and budget left, key SLIs, the top offenders and
 * firing alerts.
 */
import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Alert, useStyles2 } from '@grafana/ui';
import { APP_PAGES, DASHBOARD_UID, LABEL, type HealthBand } from '@modelwatch/exporter/conventions';
import { fetchAlerts } from '../data/alerts';
import { lastValue } from '../data/dsQuery';
import type { DataProblemKind } from '../data/errors';
import { formatPercent, formatRate, formatScore, formatSeconds, formatUsd } from '../data/format';
import { readHealth, type HealthReading } from '../data/health';
import type { PromClient } from '../data/promClient';
import { readObjectives } from '../data/slo';
import { useAppEnvironment } from '../components/AppContext';
import { LineChart } from '../components/LineChart';
import { PageShell, type PageContext } from '../components/PageShell';
import { ScoreBadge, useBandColor } from '../components/ScoreBadge';
import { Panel } from '../components/Panel';
import { usePanelData } from '../components/usePanelData';
import { usePromClient } from '../components/usePromClient';
import { overviewTargets } from '../queries/overview';
import { jobScope } from '../queries/promql';
import { AlertList } from './AlertList';
import { ObjectivesTable } from './ObjectivesTable';

export function Overview() {
  return (
    <PageShell page={APP_PAGES.overview} dashboard={DASHBOARD_UID.serviceHealth}>
      {(context) => <OverviewBody {...context} />}
    </PageShell>
  );
}

async function loadOverview(client: PromClient, job: string, rangeMs: PageContext['rangeMs']) {
  const r = await client.query(overviewTargets(jobScope(job)), rangeMs);
  const objectives = readObjectives({ components: r.components, errorRatios: r.errorRatios, burnRates: r.burnRates, budgetRemaining: r.budgetRemaining });
  const health = readHealth({ score: r.score, components: r.components, objectives, saturation: r.saturation, cacheHitRatios: r.cacheHitRatios });
  return { r, objectives, health };
}

/** Why the score's panels are empty: traffic without a recorded score means the recording rules are not loaded. */
function whyNoScore(data: Awaited<ReturnType<typeof loadOverview>>): DataProblemKind {
  return lastValue(data.r.requestRate[0]) === undefined ? 'no-data' : 'not-recorded';
}

function OverviewBody({ rangeMs, job }: PageContext) {
  const styles = useStyles2(getStyles);
  const { settings, transport } = useAppEnvironment();
  const client = usePromClient();
  const data = usePanelData(() => loadOverview(client, job, rangeMs), [client, job, rangeMs.from, rangeMs.to]);
  const alerts = usePanelData(() => fetchAlerts(transport, settings.alertmanagerUid), [transport, settings.alertmanagerUid, rangeMs.to]);

  return (
    <div className={styles.grid}>
      <Panel name="health-score" title="Health score" data={data} isEmpty={(d) => d.health === undefined} emptyKind={whyNoScore}>
        {({ health, r }) => health && <ScoreView score={health.score} band={health.band} trend={r.trend} rangeMs={rangeMs} />}
      </Panel>
      <Panel name="why" title="Why this score" data={data} isEmpty={(d) => !d.health || d.health.components.length === 0} emptyKind={whyNoScore}>
        {({ health }) => health && <WhyView health={health} />}
      </Panel>
      <Panel name="objectives" title="Objectives" data={data} isEmpty={(d) => d.objectives.length === 0} emptyKind={whyNoScore} wide>
        {({ objectives }) => <ObjectivesTable objectives={objectives} />}
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

/** Components below 100 explained, worst first; the rest are in the objectives table. */
const EXPLAINED_COMPONENTS = 5;

function WhyView({ health }: { health: HealthReading }) {
  const styles = useStyles2(getStyles);
  const low = health.components.filter((c) => c.score < 100);
  return (
    <div data-testid="why">
      {health.masked && (
        <Alert title="Users are unaffected" severity="info" data-testid="masked">
          {health.masked}
        </Alert>
      )}
      {low.length === 0 ? (
        <div>Every objective is within its error budget; saturation and cache hit ratios are fine.</div>
      ) : (
        <ul className={styles.why}>
          {low.slice(0, EXPLAINED_COMPONENTS).map((c) => (
            <li key={c.key} data-component={c.name} data-score={c.score.toFixed(1)}>
              <ScoreBadge score={c.score} /> {c.explanation}
            </li>
          ))}
          {low.length > EXPLAINED_COMPONENTS && <li className={styles.reason}>{low.length - EXPLAINED_COMPONENTS} more below 100 in the objectives table</li>}
        </ul>
      )}
    </div>
  );
}

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  grid: css({ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(420px, 1fr))', gap: theme.spacing(2) }),
  score: css({ display: 'flex', gap: theme.spacing(3), alignItems: 'center' }),
  bigNumber: css({ fontSize: 72, fontWeight: theme.typography.fontWeightBold, lineHeight: 1 }),
  band: css({ textTransform: 'uppercase', letterSpacing: 1, fontWeight: theme.typography.fontWeightMedium }),
  trend: css({ flex: 1, minWidth: 0 }),
  why: css({ listStyle: 'none', padding: 0, margin: 0, li: { padding: theme.spacing(0.5, 0), borderBottom: `1px solid ${theme.colors.border.weak}` } }),
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
