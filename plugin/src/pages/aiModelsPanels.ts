/**
 * What the AI models page's Grafana panels show: the per-model table (with
 * units per column, its objectives' lowest score coloured by band, each model
 * opening the AI models dashboard filtered to it), the month's projected spend
 * against the budget of the service's SLO spec, and latency, time to first
 * token (against its objectives' thresholds) and spend over time.
 */
import { DEFAULT_SERVICE_SLOS, LABEL } from '@modelwatch/conventions';
import type { Series } from '../data/dsQuery';
import { seriesFrames, tableFrame, valuesFrame, type Column } from '../panels/frames';
import { UNIT, requestRateScale } from '../panels/units';
import { barGaugeViz, statViz, tableViz, thresholds, timeSeriesViz } from '../panels/viz';
import { HEALTH_THRESHOLDS, modelDashboardLink, type LinkContext, type PanelContent } from './overviewPanels';

export interface ModelRow {
  id: string;
  provider: string;
  model: string;
  rate?: number;
  p50?: number;
  p95?: number;
  p99?: number;
  ttft?: number;
  timePerToken?: number;
  errorRatio?: number;
  tokensPerSecond?: number;
  costPerHour?: number;
  costPerRequest?: number;
  cachedShare?: number;
  objectiveScore?: number;
  unpriced: boolean;
}

export const modelName = (labels: Record<string, string>) => `${labels[LABEL.genAiProviderName]}/${labels[LABEL.genAiRequestModel]}`;

export function modelsPanel(rows: readonly ModelRow[], links: LinkContext): PanelContent {
  const calls = requestRateScale(rows.map((row) => row.rate));
  const seconds = { unit: UNIT.seconds };
  const columns: Array<Column<ModelRow>> = [
    { name: 'Provider', value: (row) => row.provider, config: { custom: { width: 100 } } },
    { name: 'Model', value: (row) => row.model, config: { custom: { width: 210 }, links: [modelDashboardLink(links)] } },
    { name: 'Calls (5m)', value: (row) => (row.rate === undefined ? undefined : row.rate * calls.factor), config: { unit: calls.unit, decimals: 2 } },
    { name: 'p50', value: (row) => row.p50, config: seconds },
    { name: 'p95', value: (row) => row.p95, config: seconds },
    { name: 'p99', value: (row) => row.p99, config: seconds },
    { name: 'TTFT p95', value: (row) => row.ttft, config: seconds },
    { name: 'Per token p95', value: (row) => row.timePerToken, config: seconds },
    { name: 'Errors', value: (row) => row.errorRatio, config: { unit: UNIT.ratio, decimals: 2 } },
    { name: 'Tokens (5m)', value: (row) => row.tokensPerSecond, config: { unit: UNIT.tokensPerSecond, decimals: 1 } },
    { name: 'Cost/hour (5m)', value: (row) => row.costPerHour, config: { unit: UNIT.usd } },
    // Per thousand calls: Grafana prints dollar amounts below a millionth in exponent form, and prices are quoted per thousand.
    { name: 'Cost/1k calls', value: (row) => (row.costPerRequest === undefined ? undefined : row.costPerRequest * 1000), config: { unit: UNIT.usd } },
    { name: 'Cached', value: (row) => row.cachedShare, config: { unit: UNIT.ratio, decimals: 1 } },
    { name: 'SLOs', value: (row) => row.objectiveScore, config: { unit: UNIT.score, decimals: 0, min: 0, max: 100, thresholds: HEALTH_THRESHOLDS, custom: { cellOptions: { type: 'color-text' } } } },
  ];
  return { viz: tableViz([{ displayName: 'Cost/hour (5m)', desc: true }]), frames: [tableFrame(columns, rows)] };
}

/**
 * Share of a budget at which its bar turns orange: the SLO spec's first early warning by default (the recording
 * rules carry a budget, not a service's own warnings).
 */
export const BUDGET_WARNING_SHARE = DEFAULT_SERVICE_SLOS.budgets.warnAt[0] ?? 1;

/** The month's spend at the current rate, against the budget when the spec sets one. */
export function budgetPanel(projected: number, budget: number | undefined): PanelContent {
  const frames = [valuesFrame([{ name: 'Projected month spend', value: projected }])];
  if (budget === undefined) return { viz: statViz({ unit: UNIT.usd }), frames };
  return {
    viz: barGaugeViz({ unit: UNIT.usd, min: 0, max: budget, thresholds: thresholds('green', [budget * BUDGET_WARNING_SHARE, 'orange'], [budget, 'red']) }),
    frames,
  };
}

export function latencyPanel(series: readonly Series[]): PanelContent {
  return { viz: timeSeriesViz({ unit: UNIT.seconds, min: 0 }), frames: seriesFrames(series, modelName) };
}

/** Time to first token, with the lowest threshold of the service's time-to-first-chunk objectives as a line. */
export function ttftPanel(series: readonly Series[], objectiveThresholds: readonly number[]): PanelContent {
  const lowest = objectiveThresholds.length > 0 ? Math.min(...objectiveThresholds) : undefined;
  return {
    viz: timeSeriesViz({ unit: UNIT.seconds, min: 0, ...(lowest === undefined ? {} : { thresholds: thresholds('green', [lowest, 'red']), thresholdsStyle: 'line' as const, softMax: lowest }) }),
    frames: seriesFrames(series, modelName),
  };
}

export function spendPanel(series: readonly Series[]): PanelContent {
  return { viz: timeSeriesViz({ unit: UNIT.usd, min: 0 }), frames: seriesFrames(series, modelName) };
}
