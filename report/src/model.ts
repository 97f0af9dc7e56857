/**
 * The performance baseline report, as `performance-baseline-report.json`
 * holds it. `performance-baseline-report.schema.json` publishes the same
 * shape; the generator validates every report against it before writing.
 * Figures without data are `null` (a model that never streamed has no time
 * to first chunk), never 0.
 */

/** The version of the report's shape, bumped when a field changes meaning. */
export const REPORT_SCHEMA_VERSION = 1;

export interface Quantiles {
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

export interface RouteFigures {
  job: string;
  method: string;
  route: string;
  requests: number;
  requestsPerSecond: number;
  latencySeconds: Quantiles;
  /** Share of requests answered 5xx. */
  errorRatio: number | null;
  /** Share of requests answered 429. */
  rateLimitedRatio: number | null;
}

export interface ModelFigures {
  job: string;
  provider: string;
  model: string;
  calls: number;
  callsPerSecond: number;
  durationSeconds: Quantiles;
  timeToFirstChunkSeconds: Quantiles;
  timePerOutputTokenSeconds: Quantiles;
  /** Share of calls that failed (any error type). */
  errorRatio: number | null;
  /** Share of calls the provider rate-limited. */
  rateLimitedRatio: number | null;
  costUsd: number;
  costPer1kCallsUsd: number | null;
}

export interface SloFigures {
  job: string;
  slo: string;
  kind: string;
  scope: string;
  target: number;
  /** Share of good events over the range (1 − mean recorded 5-minute error ratio). */
  compliance: number | null;
  met: boolean | null;
  /** Share of the SLO period's error budget left at the start and end of the range. */
  budgetRemainingAtStart: number | null;
  budgetRemainingAtEnd: number | null;
  /** Share of the period's budget the range spent (start minus end). */
  budgetUsed: number | null;
}

export interface ResourceFigures {
  job: string;
  cpuCores: { mean: number; max: number } | null;
  residentMemoryBytes: { mean: number; max: number } | null;
  eventLoopLagP99Seconds: { mean: number; max: number } | null;
}

/** One series over the range, for the charts: `[unix seconds, value]` pairs. */
export interface TimeSeries {
  name: string;
  points: Array<[number, number]>;
}

/** What the traffic generator saw from the client side, when the report comes from a traffic run. */
export interface TrafficRun {
  scenario: string;
  target: string;
  users: number;
  seed: number;
  requests: number;
  errors: number;
  requestsPerSecond: number;
  latencySeconds: Quantiles;
  byStatus: Record<string, number>;
}

export interface Change {
  /** Figure, e.g. `model.timeToFirstChunkSeconds.p95`. */
  metric: string;
  /** What it is about, e.g. `openai/gpt-4o`, `POST /chat`, `total`. */
  subject: string;
  baseline: number;
  current: number;
  /** current − baseline. */
  absoluteChange: number;
  /** (current − baseline) / baseline; null when the baseline is 0. */
  relativeChange: number | null;
  kind: 'regression' | 'improvement';
}

export interface Comparison {
  baseline: { generatedAt: string; from: string; to: string };
  regressions: Change[];
  improvements: Change[];
}

export interface PerformanceReport {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  generatedAt: string;
  source: {
    kind: 'prometheus' | 'traffic';
    prometheus: string;
    job: string | null;
    from: string;
    to: string;
    durationSeconds: number;
    traffic: TrafficRun | null;
  };
  totals: {
    requests: number;
    requestsPerSecond: number;
    errorRatio: number | null;
    rateLimitedRatio: number | null;
    aiCalls: number;
    costUsd: number;
    costPer1kRequestsUsd: number | null;
  };
  routes: RouteFigures[];
  models: ModelFigures[];
  cache: { hitRatio: number | null; savedUsd: number };
  slos: SloFigures[];
  resources: ResourceFigures[];
  /** Each service's AI spend this month at the range's pace, against its monthly budget (the SLO spec's). */
  budgets: Array<{ job: string; projectedMonthUsd: number; monthlyBudgetUsd: number | null; budgetShare: number | null }>;
  /** Spend per tenant over the range, and at its pace over the month against the tenant's budget where the spec gives one. */
  tenants: Array<{ job: string; tenant: string; costUsd: number; projectedMonthUsd: number; monthlyBudgetUsd: number | null }>;
  series: {
    requestsPerSecond: TimeSeries[];
    latencyP95Seconds: TimeSeries[];
    modelCallsPerSecond: TimeSeries[];
    cpuCores: TimeSeries[];
    residentMemoryBytes: TimeSeries[];
    eventLoopLagP99Seconds: TimeSeries[];
  };
  comparison: Comparison | null;
  recommendations: string[];
}
