/**
 * What each chart of the HTML report shows, as Chart.js configurations built
 * from the report (plain JSON, so the page only hands them to Chart.js).
 * A chart without data is left out rather than drawn empty.
 */
import type { PerformanceReport, Quantiles, TimeSeries } from './model';

export interface ChartSpec {
  id: string;
  title: string;
  /** Chart.js configuration (type, data, options); JSON only. */
  config: { type: 'line' | 'bar'; data: { labels?: string[]; datasets: Array<Record<string, unknown>> }; options: Record<string, unknown> };
  /** The x axis holds unix seconds, shown as UTC times by the page. */
  timeAxis: boolean;
}

/** Tenants the HTML names one by one, top spenders first; the rest are one row (the JSON keeps every tenant). */
export const HTML_TOP_TENANTS = 10;

/** The top spenders and, when there are more, one row summing the others. */
export function topTenants(report: PerformanceReport): Array<{ tenant: string; costUsd: number; projectedMonthUsd: number; monthlyBudgetUsd: number | null }> {
  const top = report.tenants.slice(0, HTML_TOP_TENANTS).map((t) => ({ ...t, tenant: report.source.job ? t.tenant : `${t.job} ${t.tenant}` }));
  const rest = report.tenants.slice(HTML_TOP_TENANTS);
  const sum = (figure: (t: (typeof rest)[number]) => number) => Number(rest.reduce((total, t) => total + figure(t), 0).toPrecision(6));
  if (rest.length > 0) top.push({ job: '', tenant: `${rest.length} more`, costUsd: sum((t) => t.costUsd), projectedMonthUsd: sum((t) => t.projectedMonthUsd), monthlyBudgetUsd: null });
  return top;
}

/** The Okabe-Ito palette: distinguishable with every common colour-vision deficiency. */
const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#F0E442', '#000000'];
const colour = (index: number) => PALETTE[index % PALETTE.length]!;

function lineChart(id: string, title: string, series: readonly TimeSeries[], yTitle: string): ChartSpec | undefined {
  if (series.length === 0) return undefined;
  return {
    id,
    title,
    timeAxis: true,
    config: {
      type: 'line',
      data: {
        datasets: series.map((s, i) => ({ label: s.name, data: s.points.map(([x, y]) => ({ x, y })), borderColor: colour(i), backgroundColor: colour(i), pointRadius: 0, borderWidth: 1.5 })),
      },
      options: { scales: { x: { type: 'linear', title: { display: true, text: 'time (UTC)' } }, y: { beginAtZero: true, title: { display: true, text: yTitle } } } },
    },
  };
}

function barChart(id: string, title: string, labels: string[], datasets: Array<{ label: string; values: Array<number | null> }>, yTitle: string, horizontal = false): ChartSpec | undefined {
  const shown = datasets.filter((d) => d.values.some((v) => v !== null));
  if (labels.length === 0 || shown.length === 0) return undefined;
  return {
    id,
    title,
    timeAxis: false,
    config: {
      type: 'bar',
      data: { labels, datasets: shown.map((d, i) => ({ label: d.label, data: d.values, backgroundColor: colour(i) })) },
      options: { indexAxis: horizontal ? 'y' : 'x', scales: { [horizontal ? 'x' : 'y']: { beginAtZero: true, title: { display: true, text: yTitle } } } },
    },
  };
}

function quantileBars(id: string, title: string, labels: string[], values: Quantiles[], yTitle: string): ChartSpec | undefined {
  return barChart(id, title, labels, (['p50', 'p95', 'p99'] as const).map((q) => ({ label: q, values: values.map((v) => v[q]) })), yTitle);
}

export function chartSpecs(report: PerformanceReport): ChartSpec[] {
  const routes = report.routes.map((r) => `${r.method} ${r.route}`);
  const models = report.models.map((m) => `${m.provider}/${m.model}`);
  const slos = report.slos.map((s) => `${s.slo} (${s.job})`);
  const changes = [...(report.comparison?.regressions ?? []), ...(report.comparison?.improvements ?? [])].filter((c) => c.relativeChange !== null);
  const tenants = topTenants(report);
  const specs = [
    lineChart('requests-over-time', 'Requests per second by route', report.series.requestsPerSecond, 'requests/s'),
    lineChart('latency-over-time', 'p95 latency by route', report.series.latencyP95Seconds, 'seconds'),
    quantileBars('route-latency', 'Latency by route over the range', routes, report.routes.map((r) => r.latencySeconds), 'seconds'),
    barChart('route-errors', 'Error and 429 ratios by route', routes, [
      { label: '5xx ratio', values: report.routes.map((r) => r.errorRatio) },
      { label: '429 ratio', values: report.routes.map((r) => r.rateLimitedRatio) },
    ], 'share of requests'),
    lineChart('model-calls-over-time', 'AI calls per second by model', report.series.modelCallsPerSecond, 'calls/s'),
    quantileBars('model-duration', 'AI call duration by model', models, report.models.map((m) => m.durationSeconds), 'seconds'),
    quantileBars('model-ttfc', 'Time to first chunk by model', models, report.models.map((m) => m.timeToFirstChunkSeconds), 'seconds'),
    quantileBars('model-tpot', 'Time per output token by model', models, report.models.map((m) => m.timePerOutputTokenSeconds), 'seconds'),
    barChart('model-errors', 'Error and rate-limited ratios by model', models, [
      { label: 'error ratio', values: report.models.map((m) => m.errorRatio) },
      { label: 'rate-limited ratio', values: report.models.map((m) => m.rateLimitedRatio) },
    ], 'share of calls'),
    barChart('model-cost', 'Spend by model over the range', models, [{ label: 'USD', values: report.models.map((m) => m.costUsd) }], 'USD'),
    barChart('model-cost-per-1k', 'Cost per 1k calls by model', models, [{ label: 'USD per 1k calls', values: report.models.map((m) => m.costPer1kCallsUsd) }], 'USD'),
    barChart('slo-compliance', 'SLO compliance over the range against target', slos, [
      { label: 'compliance', values: report.slos.map((s) => s.compliance) },
      { label: 'target', values: report.slos.map((s) => s.target) },
    ], 'share of good events'),
    barChart('slo-budget', 'Error budget used in the range (share of the SLO period’s)', slos, [{ label: 'budget used', values: report.slos.map((s) => s.budgetUsed) }], 'share of budget'),
    lineChart('cpu', 'CPU', report.series.cpuCores, 'cores'),
    lineChart('memory', 'Resident memory', report.series.residentMemoryBytes, 'bytes'),
    lineChart('event-loop-lag', 'Event-loop lag p99', report.series.eventLoopLagP99Seconds, 'seconds'),
    barChart('tenant-spend', 'Spend by tenant', tenants.map((t) => t.tenant), [{ label: 'USD', values: tenants.map((t) => t.costUsd) }], 'USD', true),
    barChart('changes', 'Changes vs baseline (relative)', changes.map((c) => `${c.subject} ${c.metric}`), [
      { label: 'regression', values: changes.map((c) => (c.kind === 'regression' ? c.relativeChange : null)) },
      { label: 'improvement', values: changes.map((c) => (c.kind === 'improvement' ? c.relativeChange : null)) },
    ], 'relative change', true),
  ];
  return specs.filter((spec): spec is ChartSpec => spec !== undefined);
}
