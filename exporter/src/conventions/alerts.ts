/**
 * The alert catalogue: alert names, severities, SLO targets, burn-rate windows
 * and thresholds. The alert rules (alerting/), the dashboards' threshold lines
 * and the plugin's Alerts page read them from here, so a threshold changes in
 * one place.
 */
import { HEALTH_BANDS, HTTP_LATENCY_THRESHOLD_SECONDS } from './health';

/** Severities, as the `severity` label of every alert; Alertmanager routes on them. */
export const ALERT_SEVERITY = { critical: 'critical', warning: 'warning', info: 'info' } as const;
export type AlertSeverity = (typeof ALERT_SEVERITY)[keyof typeof ALERT_SEVERITY];

/** Severity of the always-firing watchdog: routed to the dead-man's switch, never to people. */
export const WATCHDOG_SEVERITY = 'none';

/** Alert names (the `alertname` label; each has a runbook at alerting/runbooks/<name>.md). */
export const ALERT = {
  availabilityBudgetBurn: 'AvailabilityErrorBudgetBurn',
  latencyBudgetBurn: 'LatencyErrorBudgetBurn',
  httpErrorRate: 'HttpErrorRateHigh',
  httpLatency: 'HttpLatencyHigh',
  httpRouteLatency: 'HttpRouteLatencyHigh',
  aiErrorRate: 'AiErrorRateHigh',
  aiRateLimited: 'AiRateLimited',
  aiLatency: 'AiLatencyHigh',
  aiTimeToFirstToken: 'AiTimeToFirstTokenHigh',
  aiSpendOverBudget: 'AiSpendOverBudget',
  aiSpendSpike: 'AiSpendSpike',
  aiUnpricedCalls: 'AiUnpricedCalls',
  cacheHitRatioLow: 'CacheHitRatioLow',
  dbLatency: 'DbLatencyHigh',
  memoryNearLimit: 'MemoryNearLimit',
  memoryExhaustion: 'MemoryExhaustionPredicted',
  cpuHigh: 'CpuHigh',
  eventLoopLag: 'EventLoopLagHigh',
  healthScoreLow: 'HealthScoreLow',
  targetDown: 'TargetDown',
  watchdog: 'Watchdog',
} as const;
export type AlertName = (typeof ALERT)[keyof typeof ALERT];

/** SLOs over a rolling 30 days: the share of good HTTP requests each promises. */
export const SLO = {
  /** Requests not answered 5xx. */
  availability: { target: 0.999 },
  /** Requests answered within the HTTP latency threshold (a bucket bound). */
  latency: { target: 0.99, thresholdSeconds: HTTP_LATENCY_THRESHOLD_SECONDS },
} as const;
export type SloId = keyof typeof SLO;
export const SLO_PERIOD = '30d';

/**
 * Multi-window, multi-burn-rate alerting (Google SRE workbook, "Alerting on
 * SLOs"): an alert fires when the budget burns `factor` times too fast over
 * both the long window (it matters) and the short one (it is still going on).
 * 14.4× over 1h spends 2 % of a 30-day budget; 6× over 6h spends 5 %.
 */
export const BURN_RATE_WINDOWS = [
  { severity: ALERT_SEVERITY.critical, long: '1h', short: '5m', factor: 14.4 },
  { severity: ALERT_SEVERITY.critical, long: '6h', short: '30m', factor: 6 },
  { severity: ALERT_SEVERITY.warning, long: '1d', short: '2h', factor: 3 },
  { severity: ALERT_SEVERITY.warning, long: '3d', short: '6h', factor: 1 },
] as const;

/** Every window the SLO error ratios and burn rates are recorded at. */
export const SLI_WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'] as const;
export type SliWindow = (typeof SLI_WINDOWS)[number];

/** Recording rules of the SLOs, labelled `slo` and `window`. */
export const SLO_RECORDING_RULE = {
  /** Share of bad requests over the window. */
  errorRatio: 'modelwatch:slo_error:ratio',
  /** Error ratio divided by the error budget (1 − target): 1 spends the budget exactly over the SLO period. */
  burnRate: 'modelwatch:slo_burn_rate:ratio',
  sloLabel: 'slo',
  windowLabel: 'window',
} as const;

/**
 * Thresholds of the threshold alerts. Ratios are 0–1, durations in seconds,
 * money in USD. Where a warning and a critical rule share an alert name, the
 * critical one inhibits the warning for the same job.
 */
export const ALERT_THRESHOLD = {
  /** Share of HTTP requests answered 5xx. */
  httpErrorRatio: { warning: 0.01, critical: 0.05 },
  /** Service-wide HTTP p95: past the SLO's latency threshold, then far past it. */
  httpLatencyP95Seconds: { warning: HTTP_LATENCY_THRESHOLD_SECONDS, critical: 5 },
  /** One route's HTTP p95 (a slow route can hide inside a healthy service-wide p95). */
  httpRouteLatencyP95Seconds: { warning: 2 },
  /** Share of one provider/model's calls failing (rate limiting has its own alert). */
  aiErrorRatio: { warning: 0.05 },
  /** Share of one provider/model's calls answered 429. */
  aiRateLimitedRatio: { warning: 0.05 },
  /** One provider/model's call p95 (premium models answer long prompts in several seconds). */
  aiLatencyP95Seconds: { warning: 10 },
  /** One provider/model's p95 time to first streamed chunk. */
  aiTimeToFirstTokenP95Seconds: { warning: 2 },
  /** Projected spend against the budget: the last hour's pace over a day against a 30th of the monthly budget, the last day's pace over 30 days against all of it. */
  aiSpendBudgetShare: { day: 1, month: 1 },
  /** Last hour's spend against the same hour's mean over the previous 7 days. */
  aiSpendSpikeFactor: { warning: 3 },
  /** Ignore spikes smaller than this (USD per hour): tiny baselines make big factors. */
  aiSpendSpikeMinUsdPerHour: 1,
  /** Cache hit ratio of a service (all its caches): an AI answer cache rarely hits much more than half the time, so alert on a collapse. */
  cacheHitRatio: { warning: 0.25 },
  /** DB query p95. */
  dbLatencyP95Seconds: { warning: 0.1 },
  /** Resident memory against the process's limit. */
  memoryRatio: { warning: 0.9 },
  /** How far ahead memory exhaustion is predicted (seconds). */
  memoryExhaustionHorizonSeconds: 2 * 3600,
  /** CPU seconds per second (cores). */
  cpuCores: { warning: 0.8 },
  /** Event-loop lag p99 (seconds). */
  eventLoopLagP99Seconds: { warning: 0.2 },
  /** Health score: below the degraded band's floor, then far below. */
  healthScore: { warning: HEALTH_BANDS.degraded, critical: 50 },
} as const;
