/**
 * A report against a previous one: which figures moved past their threshold,
 * and by how much; and the recommendations the data supports. Figures missing
 * on either side are not compared (a model that appeared is news, not a regression).
 */
import type { Change, Comparison, ModelFigures, PerformanceReport, ResourceFigures, RouteFigures } from './model';

/**
 * How far a figure must move to be reported. Times and costs move by a share of
 * themselves; ratios by percentage points, because from 0.1 % to 0.2 % errors
 * is +100 % and nothing to act on.
 */
export const CHANGE_THRESHOLDS = {
  /** Latency quantiles, time to first chunk, time per output token: ±20 %. */
  latencyRelative: 0.2,
  /** Cost per 1k calls or requests: ±15 %. */
  costRelative: 0.15,
  /** Error and 429 ratios: ±1 percentage point. */
  errorRatioAbsolute: 0.01,
  /** Cache hit ratio: ±5 percentage points. */
  cacheHitRatioAbsolute: 0.05,
  /** Mean CPU, mean resident memory, worst event-loop lag: ±20 %. */
  resourceRelative: 0.2,
} as const;

/** A share of calls rate-limited at which the report recommends acting on the limit. */
export const RATE_LIMITED_ADVICE_RATIO = 0.05;

/** A share of its monthly budget a service's spend is on course for at which the report says so (1 = all of it). */
export const BUDGET_ADVICE_SHARE = 1;

type Direction = 'lower-is-better' | 'higher-is-better';
type Threshold = { relative: number } | { absolute: number };

interface Figure {
  metric: string;
  subject: string;
  value: number | null;
  direction: Direction;
  threshold: Threshold;
  /** In a recommendation: `p95 time to first chunk`. */
  words: string;
  unit: 'seconds' | 'usd' | 'ratio' | 'cores' | 'bytes';
}

const latency = { direction: 'lower-is-better', threshold: { relative: CHANGE_THRESHOLDS.latencyRelative }, unit: 'seconds' } as const;
const errors = { direction: 'lower-is-better', threshold: { absolute: CHANGE_THRESHOLDS.errorRatioAbsolute }, unit: 'ratio' } as const;
const cost = { direction: 'lower-is-better', threshold: { relative: CHANGE_THRESHOLDS.costRelative }, unit: 'usd' } as const;

function routeFigures(r: RouteFigures): Figure[] {
  const subject = `${r.job} ${r.method} ${r.route}`;
  return [
    ...(['p50', 'p95', 'p99'] as const).map((q) => ({ metric: `route.latencySeconds.${q}`, subject, value: r.latencySeconds[q], words: `${q} latency`, ...latency })),
    { metric: 'route.errorRatio', subject, value: r.errorRatio, words: '5xx ratio', ...errors },
    { metric: 'route.rateLimitedRatio', subject, value: r.rateLimitedRatio, words: '429 ratio', ...errors },
  ];
}

function modelFigures(m: ModelFigures): Figure[] {
  const subject = `${m.job} ${m.provider}/${m.model}`;
  return [
    ...(['p50', 'p95', 'p99'] as const).map((q) => ({ metric: `model.durationSeconds.${q}`, subject, value: m.durationSeconds[q], words: `${q} call duration`, ...latency })),
    ...(['p50', 'p95'] as const).map((q) => ({ metric: `model.timeToFirstChunkSeconds.${q}`, subject, value: m.timeToFirstChunkSeconds[q], words: `${q} time to first chunk`, ...latency })),
    ...(['p50', 'p95'] as const).map((q) => ({ metric: `model.timePerOutputTokenSeconds.${q}`, subject, value: m.timePerOutputTokenSeconds[q], words: `${q} time per output token`, ...latency })),
    { metric: 'model.errorRatio', subject, value: m.errorRatio, words: 'error ratio', ...errors },
    { metric: 'model.rateLimitedRatio', subject, value: m.rateLimitedRatio, words: 'rate-limited ratio', ...errors },
    { metric: 'model.costPer1kCallsUsd', subject, value: m.costPer1kCallsUsd, words: 'cost per 1k calls', ...cost },
  ];
}

function resourceFigures(r: ResourceFigures): Figure[] {
  const resource = { direction: 'lower-is-better', threshold: { relative: CHANGE_THRESHOLDS.resourceRelative } } as const;
  return [
    { metric: 'resources.cpuCores.mean', subject: r.job, value: r.cpuCores?.mean ?? null, words: 'mean CPU', unit: 'cores', ...resource },
    { metric: 'resources.residentMemoryBytes.mean', subject: r.job, value: r.residentMemoryBytes?.mean ?? null, words: 'mean resident memory', unit: 'bytes', ...resource },
    { metric: 'resources.eventLoopLagP99Seconds.max', subject: r.job, value: r.eventLoopLagP99Seconds?.max ?? null, words: 'worst event-loop lag p99', unit: 'seconds', ...resource },
  ];
}

function reportFigures(report: PerformanceReport): Figure[] {
  return [
    ...report.routes.flatMap(routeFigures),
    ...report.models.flatMap(modelFigures),
    ...report.resources.flatMap(resourceFigures),
    { metric: 'totals.costPer1kRequestsUsd', subject: 'total', value: report.totals.costPer1kRequestsUsd, words: 'cost per 1k requests', ...cost },
    { metric: 'totals.errorRatio', subject: 'total', value: report.totals.errorRatio, words: '5xx ratio', ...errors },
    {
      metric: 'cache.hitRatio',
      subject: 'cache',
      value: report.cache.hitRatio,
      words: 'hit ratio',
      direction: 'higher-is-better',
      threshold: { absolute: CHANGE_THRESHOLDS.cacheHitRatioAbsolute },
      unit: 'ratio',
    },
  ];
}

/** The figures of `current` that moved past their threshold since `baseline`, largest moves first. */
export function compareReports(current: PerformanceReport, baseline: PerformanceReport): Comparison {
  const before = new Map(reportFigures(baseline).map((f) => [`${f.metric}\u0000${f.subject}`, f.value]));
  const changes: Change[] = [];
  for (const figure of reportFigures(current)) {
    const was = before.get(`${figure.metric}\u0000${figure.subject}`);
    if (was === undefined || was === null || figure.value === null) continue;
    // Rounded like the figures, so a move of exactly the threshold counts whatever the float noise.
    const delta = Number((figure.value - was).toPrecision(6));
    const relativeChange = was === 0 ? null : Number(((figure.value - was) / was).toPrecision(6));
    const moved = 'relative' in figure.threshold ? relativeChange !== null && Math.abs(relativeChange) >= figure.threshold.relative : Math.abs(delta) >= figure.threshold.absolute;
    if (!moved) continue;
    const worse = figure.direction === 'lower-is-better' ? delta > 0 : delta < 0;
    changes.push({ metric: figure.metric, subject: figure.subject, baseline: was, current: figure.value, absoluteChange: delta, relativeChange, kind: worse ? 'regression' : 'improvement' });
  }
  const size = (c: Change) => Math.abs(c.relativeChange ?? c.absoluteChange);
  const ordered = changes.sort((a, b) => size(b) - size(a) || a.subject.localeCompare(b.subject) || a.metric.localeCompare(b.metric));
  return {
    baseline: { generatedAt: baseline.generatedAt, from: baseline.source.from, to: baseline.source.to },
    regressions: ordered.filter((c) => c.kind === 'regression'),
    improvements: ordered.filter((c) => c.kind === 'improvement'),
  };
}

const percent = (ratio: number) => `${Number((100 * ratio).toPrecision(3))} %`;

function formatValue(value: number, unit: Figure['unit']): string {
  if (unit === 'ratio') return percent(value);
  if (unit === 'usd') return `$${Number(value.toPrecision(4))}`;
  if (unit === 'cores') return `${Number(value.toPrecision(3))} cores`;
  if (unit === 'bytes') return `${Number((value / 2 ** 20).toPrecision(4))} MiB`;
  return value < 1 ? `${Number((value * 1000).toPrecision(4))} ms` : `${Number(value.toPrecision(4))} s`;
}

/**
 * Recommendations the data supports, and only those: each regression past its
 * threshold, each objective the range missed, each model rate-limited on more
 * than {@link RATE_LIMITED_ADVICE_RATIO} of its calls, each service on course to
 * spend more than {@link BUDGET_ADVICE_SHARE} of its monthly budget.
 */
export function recommendations(report: PerformanceReport): string[] {
  const advice: string[] = [];
  const figures = new Map(reportFigures(report).map((f) => [`${f.metric}\u0000${f.subject}`, f]));
  for (const change of report.comparison?.regressions ?? []) {
    const figure = figures.get(`${change.metric}\u0000${change.subject}`);
    if (!figure) continue;
    const size = change.relativeChange === null || figure.unit === 'ratio' ? `by ${Number((100 * Math.abs(change.absoluteChange)).toPrecision(3))} percentage points` : percent(Math.abs(change.relativeChange));
    const verb = figure.direction === 'lower-is-better' ? 'rose' : 'fell';
    advice.push(`${change.subject} ${figure.words} ${verb} ${size} vs baseline (${formatValue(change.baseline, figure.unit)} → ${formatValue(change.current, figure.unit)}).`);
  }
  for (const slo of report.slos) {
    if (slo.met === false && slo.compliance !== null) {
      advice.push(`${slo.job} objective ${slo.slo} (${slo.scope}) missed over the range: ${percent(slo.compliance)} good against a ${percent(slo.target)} target.`);
    }
  }
  for (const model of report.models) {
    if (model.rateLimitedRatio !== null && model.rateLimitedRatio >= RATE_LIMITED_ADVICE_RATIO) {
      advice.push(`${model.job} ${model.provider}/${model.model}: ${percent(model.rateLimitedRatio)} of calls were rate-limited: raise the provider limit, spread the load, or route to a fallback model.`);
    }
  }
  for (const budget of report.budgets) {
    if (budget.budgetShare !== null && budget.monthlyBudgetUsd !== null && budget.budgetShare >= BUDGET_ADVICE_SHARE) {
      advice.push(`${budget.job} AI spend at this range's pace comes to ${formatValue(budget.projectedMonthUsd, 'usd')} a month, ${percent(budget.budgetShare)} of its ${formatValue(budget.monthlyBudgetUsd, 'usd')} budget.`);
    }
  }
  return advice;
}
