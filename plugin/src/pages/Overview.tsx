/**
 * Overview: the recorded health score with its band and trend, why it is what
 * it is (the worst components, named by objective and route or model, each
 * opening its query in Explore), every objective's SLI, burn rate and budget
 * left, key SLIs, the top offenders and firing alerts. Charts, stats and
 * tables are Grafana panels (see overviewPanels.ts).
 */
import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Alert, LinkButton, useStyles2 } from '@grafana/ui';
import { APP_PAGES, DASHBOARD_UID, HEALTH_RECORDING_RULE, jobScope, selector, type SemconvMode } from '@modelwatch/conventions';
import { fetchAlerts } from '../data/alerts';
import { lastValue } from '../data/dsQuery';
import type { DataProblemKind } from '../data/errors';
import { readHealth, type ComponentReading, type HealthReading } from '../data/health';
import type { PromClient } from '../data/promClient';
import { readObjectives } from '../data/slo';
import { useAppEnvironment } from '../components/AppContext';
import { PageShell, type PageContext } from '../components/PageShell';
import { ScoreBadge } from '../components/ScoreBadge';
import { Panel } from '../components/Panel';
import { useLoaded } from '../components/useLoaded';
import { usePromClient } from '../components/usePromClient';
import { exploreUrl } from '../panels/links';
import { tableHeight } from '../panels/sizes';
import { VizPanel } from '../panels/VizPanel';
import { overviewTargets } from '../queries/overview';
import { AlertList, alertsHeight } from './AlertList';
import { OBJECTIVES_DESCRIPTION, activeFailovers, failingModelsPanel, failoverTargets, objectivesPanel, scorePanel, scoreTrendPanel, slisPanel, slowRoutesPanel, type ActiveFailover, type LinkContext } from './overviewPanels';

export function Overview() {
  return (
    <PageShell page={APP_PAGES.overview} dashboard={DASHBOARD_UID.serviceHealth}>
      {(context) => <OverviewBody {...context} />}
    </PageShell>
  );
}

async function loadOverview(client: PromClient, job: string, rangeMs: PageContext['rangeMs'], semconv: SemconvMode) {
  const [r, f] = await Promise.all([client.query(overviewTargets(jobScope(job), semconv), rangeMs), client.query(failoverTargets(jobScope(job)), rangeMs)]);
  const objectives = readObjectives({ components: r.components, errorRatios: r.errorRatios, burnRates: r.burnRates, budgetRemaining: r.budgetRemaining });
  const health = readHealth({ score: r.score, components: r.components, objectives, saturation: r.saturation, cacheHitRatios: r.cacheHitRatios });
  return { r, objectives, health, failovers: activeFailovers(f.failovers) };
}

type OverviewData = Awaited<ReturnType<typeof loadOverview>>;

/** Why the score's panels are empty: traffic without a recorded score means the recording rules are not loaded. */
function whyNoScore(data: OverviewData): DataProblemKind {
  return lastValue(data.r.requestRate[0]) === undefined ? 'no-data' : 'not-recorded';
}

function OverviewBody({ range, rangeMs, job, zoomTo }: PageContext) {
  const styles = useStyles2(getStyles);
  const { settings, transport } = useAppEnvironment();
  const client = usePromClient();
  const data = useLoaded(() => loadOverview(client, job, rangeMs, settings.semconv), [client, job, rangeMs.from, rangeMs.to, settings.semconv]);
  const alerts = useLoaded(() => fetchAlerts(transport, settings.alertmanagerUid), [transport, settings.alertmanagerUid, rangeMs.to]);
  const links: LinkContext = { datasourceUid: settings.prometheusUid, range: range.raw, job };
  const noScore = (d: OverviewData) => d.health === undefined;

  return (
    <div className={styles.grid}>
      {data.state === 'ready' && data.data.failovers.length > 0 && <FailoverLine failovers={data.data.failovers} />}
      <Panel
        name="health-score"
        title="Health score"
        data={data}
        height={200}
        isEmpty={noScore}
        emptyKind={whyNoScore}
        attributes={(d) => ({ score: d.health?.score.toFixed(1), band: d.health?.band })}
      >
        {({ r }, size) => <VizPanel {...scorePanel(r)} range={range} size={size} />}
      </Panel>
      <Panel name="health-trend" title="Health score over time" data={data} height={200} isEmpty={noScore} emptyKind={whyNoScore}>
        {({ r }, size) => <VizPanel {...scoreTrendPanel(r)} range={range} size={size} onZoom={zoomTo} />}
      </Panel>
      <Panel
        name="why"
        title="Why this score"
        data={data}
        height={(d) => whyHeight(d.health)}
        isEmpty={(d) => !d.health || d.health.components.length === 0}
        emptyKind={whyNoScore}
        wide
      >
        {({ health }) => health && <WhyView health={health} links={links} />}
      </Panel>
      <Panel
        name="objectives"
        title="Objectives"
        description={OBJECTIVES_DESCRIPTION}
        data={data}
        height={(d) => tableHeight(d.objectives.length)}
        isEmpty={(d) => d.objectives.length === 0}
        emptyKind={whyNoScore}
        attributes={(d) => ({ rows: d.objectives.length })}
        wide
      >
        {({ objectives }, size) => <VizPanel {...objectivesPanel(objectives, links)} range={range} size={size} />}
      </Panel>
      <Panel
        name="slis"
        title="Key SLIs (last 5 minutes)"
        data={data}
        height={160}
        isEmpty={(d) => lastValue(d.r.requestRate[0]) === undefined && lastValue(d.r.aiSpendPerHour[0]) === undefined}
        wide
      >
        {({ r }, size) => <VizPanel {...slisPanel(r)} range={range} size={size} />}
      </Panel>
      <Panel name="slow-routes" title="Slowest routes (p95, last 5 minutes)" data={data} height={(d) => tableHeight(d.r.slowRoutes.length)} isEmpty={(d) => d.r.slowRoutes.length === 0}>
        {({ r }, size) => <VizPanel {...slowRoutesPanel(r, links)} range={range} size={size} />}
      </Panel>
      <Panel
        name="failing-models"
        title="Most failing models (last 5 minutes)"
        data={data}
        height={(d) => tableHeight(d.r.failingModels.length)}
        isEmpty={(d) => d.r.failingModels.length === 0}
        emptyKind={() => 'no-failures'}
      >
        {({ r }, size) => <VizPanel {...failingModelsPanel(r, links)} range={range} size={size} />}
      </Panel>
      <Panel name="firing-alerts" title="Firing alerts" data={alerts} height={(a) => alertsHeight(a, ['firing'])} wide>
        {(result, size) => <AlertList result={result} states={['firing']} compact range={range} size={size} />}
      </Panel>
    </div>
  );
}

/** Models whose failover alert moved their calls to the fallback: said above everything, as it changes what the panels mean. */
function FailoverLine({ failovers }: { failovers: readonly ActiveFailover[] }) {
  const styles = useStyles2(getStyles);
  return (
    <div className={styles.wide} data-testid="failovers">
      <Alert title="Failover active" severity="warning">
        Calls to {failovers.map((f) => `${f.provider}/${f.model}`).join(', ')} go to {failovers.length === 1 ? 'its' : 'their'} fallback model while an alert on{' '}
        {failovers.length === 1 ? 'it' : 'them'} fires.
      </Alert>
    </div>
  );
}

/** Components below 100 explained, worst first; the rest are in the objectives table. */
const EXPLAINED_COMPONENTS = 5;

function whyHeight(health: HealthReading | undefined): number {
  const low = health?.components.filter((c) => c.score < 100).length ?? 0;
  return 70 + Math.max(1, Math.min(low, EXPLAINED_COMPONENTS + 1)) * 40 + (health?.masked ? 90 : 0);
}

function WhyView({ health, links }: { health: HealthReading; links: LinkContext }) {
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
              <span>
                <ScoreBadge score={c.score} /> {c.explanation}
              </span>
              <LinkButton size="sm" variant="secondary" fill="text" icon="compass" href={exploreUrl(links.datasourceUid, componentQuery(c, links.job), links.range)}>
                Explore
              </LinkButton>
            </li>
          ))}
          {low.length > EXPLAINED_COMPONENTS && <li className={styles.reason}>{low.length - EXPLAINED_COMPONENTS} more below 100 in the objectives table</li>}
        </ul>
      )}
    </div>
  );
}

/** The component's recorded score, selected by all its labels: what Explore charts for it. */
function componentQuery(component: ComponentReading, job: string): string {
  const matchers = Object.entries(component.labels)
    .filter(([name]) => name !== '__name__')
    .map(([name, value]) => `${name}="${value.replace(/["\\]/g, '\\$&')}"`);
  return selector(HEALTH_RECORDING_RULE.componentScore, jobScope(job), matchers.filter((m) => !m.startsWith('job=')));
}

const getStyles = (theme: GrafanaTheme2) => ({
  grid: css({ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(480px, 1fr))', gap: theme.spacing(2) }),
  why: css({
    listStyle: 'none',
    padding: 0,
    margin: 0,
    li: { display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: theme.spacing(1), padding: theme.spacing(0.5, 0), borderBottom: `1px solid ${theme.colors.border.weak}` },
  }),
  reason: css({ color: theme.colors.text.secondary }),
  wide: css({ gridColumn: '1 / -1' }),
});
