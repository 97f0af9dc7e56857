/**
 * What the Overview's Grafana panels show: the score (a stat with its
 * sparkline, and over time against its bands), the objectives table, the key
 * SLIs and the top offenders, each with Grafana units and the thresholds the
 * health score's bands and the SLO spec set. Kept apart from the page so
 * tests can read each panel's type, unit, thresholds and links.
 */
import type { DataFrame, RawTimeRange } from '@grafana/data';
import { DASHBOARD_UID, HEALTH_BANDS, HEALTH_WINDOW, LABEL, METRICS, SLO_LABEL, SLO_MIN_BAD_EVENTS, SLO_PERIOD, SLO_RECORDING_RULE, jobScope, quantile, selector, type QueryScope } from '@modelwatch/conventions';
import { lastValue, type Series } from '../data/dsQuery';
import { formatTarget } from '../data/format';
import { coverage, objectiveBand, promise, type ObjectiveRow } from '../data/slo';
import { seriesFrames, tableFrame, valuesFrame, type Column } from '../panels/frames';
import { dashboardUrl, exploreUrl, rowLink } from '../panels/links';
import { UNIT, requestRateScale } from '../panels/units';
import { statViz, tableViz, thresholds, timeSeriesViz, type Viz } from '../panels/viz';
import type { overviewTargets } from '../queries/overview';
import type { QueryResults } from '../data/promClient';

type OverviewResults = QueryResults<keyof ReturnType<typeof overviewTargets>>;

export interface PanelContent {
  viz: Viz;
  frames: DataFrame[];
}

/** Where drill-down links go: the Prometheus data source, the page's range and service. */
export interface LinkContext {
  datasourceUid: string;
  range: RawTimeRange;
  job: string;
}

/** The health score's bands as thresholds: red below degraded, orange below healthy, green above. */
export const HEALTH_THRESHOLDS = thresholds('red', [HEALTH_BANDS.degraded, 'orange'], [HEALTH_BANDS.healthy, 'green']);

const score = { unit: UNIT.score, decimals: 0, min: 0, max: 100, thresholds: HEALTH_THRESHOLDS };

/**
 * The score now, coloured by its band, with its trend as a sparkline. The stat shows the last point, so the
 * trend ends on the instant score the band and "Why this score" read: a range query's last step can be up to a
 * step older, and a moving score then showed one figure in the stat and another in its explanation.
 */
export function scorePanel(r: OverviewResults): PanelContent {
  return { viz: statViz({ ...score, colored: true, sparkline: true }), frames: seriesFrames(endingOn(r.trend, r.score[0]), () => 'Health score') };
}

/** The trend's points before the instant reading, then that reading (the trend as it is without one). */
function endingOn(trend: readonly Series[], instant: Series | undefined): readonly Series[] {
  const at = instant?.times.at(-1);
  const value = instant?.values.at(-1);
  if (at === undefined || value === undefined || value === null) return trend;
  const before = trend[0] ?? { labels: instant!.labels, times: [], values: [] };
  const kept = before.times.filter((time) => time < at).length;
  return [{ labels: before.labels, times: [...before.times.slice(0, kept), at], values: [...before.values.slice(0, kept), value] }];
}

/** The score over the range, its bands drawn as areas. */
export function scoreTrendPanel(r: OverviewResults): PanelContent {
  return { viz: timeSeriesViz({ ...score, thresholdsStyle: 'line+area' }), frames: seriesFrames(r.trend, () => 'Health score') };
}

/** An SLI shown to two decimals, rounded down: next to a 99.9 % target, 99.96 % must not read as 100 %. */
const floorSli = (ratio: number | undefined) => (ratio === undefined || ratio >= 1 ? ratio : Math.floor(ratio * 10_000 + 1e-9) / 10_000);

/**
 * The objectives panel's description (Grafana's info icon by the title). A measured burn rate may be high while the
 * score stays 100: with little traffic one slow call makes a burn rate of 5 or more, and the alerts and the score
 * wait for five bad events (SLO_MIN_BAD_EVENTS).
 */
export const OBJECTIVES_DESCRIPTION =
  `Burn: the error ratio over the window ÷ the error budget, as measured. Score: 0–100 from the burn rates as the alerts judge them, ` +
  `below 70 exactly when a page fires. The alerts and the score count a burn-rate pair only once its long window holds ${SLO_MIN_BAD_EVENTS} bad events: ` +
  `fewer are chance at low traffic, so a burn of 5 can sit beside a score of 100.`;

/** One row per objective and model or cache, worst first, each objective linking to its error ratio in Explore. */
export function objectivesPanel(objectives: readonly ObjectiveRow[], links: LinkContext): PanelContent {
  const sli = { unit: UNIT.ratio, decimals: 2 };
  const burn = { unit: UNIT.burnRate, decimals: 1 };
  const errorRatio = selector(SLO_RECORDING_RULE.errorRatio, jobScope(links.job), [`${SLO_LABEL.name}="__OBJECTIVE__"`]);
  const columns: Array<Column<ObjectiveRow>> = [
    {
      name: 'Objective',
      value: (o) => o.name,
      config: {
        custom: { width: 190 },
        links: [rowLink('Error ratio in Explore', (field) => exploreUrl(links.datasourceUid, errorRatio.replace('__OBJECTIVE__', field('Objective')), links.range))],
      },
    },
    { name: 'Covers', value: coverage, config: { custom: { width: 180 } } },
    { name: 'Target', value: (o) => promise(o, formatTarget(o.target)), config: { custom: { width: 290 } } },
    { name: 'SLI 5m', value: (o) => floorSli(o.sli['5m']), config: sli },
    { name: 'SLI 1h', value: (o) => floorSli(o.sli['1h']), config: sli },
    { name: 'Burn 1h', value: (o) => o.burnRate['1h'], config: burn },
    { name: 'Burn 6h', value: (o) => o.burnRate['6h'], config: burn },
    { name: 'Budget left', value: (o) => o.budgetRemaining, config: { unit: UNIT.ratio, decimals: 1, description: `Share of the error budget left over the SLO period (${SLO_PERIOD})` } },
    { name: 'Alerting', value: (o) => (o.pages ? 'page' : 'ticket') },
    { name: 'Score', value: (o) => o.score, config: { ...score, custom: { cellOptions: { type: 'color-text' } } } },
    { name: 'Status', value: (o) => objectiveBand(o) ?? 'no recent traffic', config: { custom: { width: 100 } } },
  ];
  return { viz: tableViz(), frames: [tableFrame(columns, objectives)] };
}

/** The service's key SLIs over the last minutes, one tile each with its unit. */
export function slisPanel(r: OverviewResults): PanelContent {
  const requests = lastValue(r.requestRate[0]);
  const rate = requestRateScale([requests]);
  return {
    viz: statViz({}),
    frames: [
      valuesFrame([
        { name: 'Requests', value: requests === undefined ? undefined : requests * rate.factor, config: { unit: rate.unit, decimals: 2 } },
        { name: '5xx share', value: lastValue(r.errorRatio[0]), config: { unit: UNIT.ratio, decimals: 2 } },
        { name: 'p95 latency', value: lastValue(r.p95[0]), config: { unit: UNIT.seconds } },
        { name: 'AI error share', value: lastValue(r.aiErrorRatio[0]), config: { unit: UNIT.ratio, decimals: 2 } },
        { name: 'AI spend per hour', value: lastValue(r.aiSpendPerHour[0]), config: { unit: UNIT.usd } },
        { name: 'Cache hit ratio', value: lastValue(r.cacheHitRatio[0]), config: { unit: UNIT.ratio, decimals: 1 } },
      ]),
    ],
  };
}

interface RouteRow {
  method: string;
  route: string;
  p95?: number;
}

/** The slowest routes by p95, each linking to its latency quantile in Explore. */
export function slowRoutesPanel(r: OverviewResults, links: LinkContext): PanelContent {
  const rows: RouteRow[] = r.slowRoutes.map((s) => ({ method: s.labels[LABEL.httpRequestMethod] ?? '', route: s.labels[LABEL.httpRoute] ?? '', p95: lastValue(s) }));
  const routeQuantile = (route: string) =>
    quantile(0.95, METRICS.httpServerRequestDuration.name, [LABEL.httpRequestMethod, LABEL.httpRoute], { ...jobScope(links.job), window: HEALTH_WINDOW }, [`${LABEL.httpRoute}="${route}"`]);
  return {
    viz: tableViz([{ displayName: 'p95', desc: true }]),
    frames: [
      tableFrame<RouteRow>(
        [
          { name: 'Method', value: (row) => row.method },
          { name: 'Route', value: (row) => row.route, config: { links: [rowLink('p95 in Explore', (field) => exploreUrl(links.datasourceUid, routeQuantile(field('Route')), links.range))] } },
          { name: 'p95', value: (row) => row.p95, config: { unit: UNIT.seconds } },
        ],
        rows,
      ),
    ],
  };
}

interface ModelErrorRow {
  provider: string;
  model: string;
  errors?: number;
}

/** The models failing most, each linking to the AI models dashboard filtered to it. */
export function failingModelsPanel(r: OverviewResults, links: LinkContext): PanelContent {
  const rows: ModelErrorRow[] = r.failingModels.map((s) => ({ provider: s.labels[LABEL.genAiProviderName] ?? '', model: s.labels[LABEL.genAiRequestModel] ?? '', errors: lastValue(s) }));
  return {
    viz: tableViz([{ displayName: 'Errors', desc: true }]),
    frames: [
      tableFrame<ModelErrorRow>(
        [
          { name: 'Provider', value: (row) => row.provider },
          { name: 'Model', value: (row) => row.model, config: { links: [modelDashboardLink(links)] } },
          { name: 'Errors', value: (row) => row.errors, config: { unit: UNIT.ratio, decimals: 2 } },
        ],
        rows,
      ),
    ],
  };
}

/** The AI models dashboard with the page's range and service, filtered to the row's model (field `Model`). */
export function modelDashboardLink(links: LinkContext) {
  return rowLink('AI models dashboard for this model', (field) => dashboardUrl(DASHBOARD_UID.aiModels, links.range, links.job, { model: field('Model') }));
}

/** The models whose calls go to their fallback now: the failover receiver's gauge (`@modelwatch/exporter/failover`), where an app mounts one. */
export function failoverTargets(scope: QueryScope) {
  return { failovers: { expr: `${selector(METRICS.failoverActive.name, scope)} == 1`, instant: true } };
}

export interface ActiveFailover {
  provider: string;
  model: string;
}

/** One entry per model failed over on any instance, in name order. */
export function activeFailovers(series: readonly Series[]): ActiveFailover[] {
  const byKey = new Map<string, ActiveFailover>();
  for (const s of series) {
    const failover = { provider: s.labels[LABEL.genAiProviderName] ?? '', model: s.labels[LABEL.genAiRequestModel] ?? '' };
    byKey.set(`${failover.provider}/${failover.model}`, failover);
  }
  return [...byKey.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, failover]) => failover);
}
