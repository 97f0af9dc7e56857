/**
 * The alert catalogue: alert names, severities and the thresholds of the
 * alerts that are not objectives. The alert rules (alerting/), the dashboards'
 * threshold lines and the plugin's Alerts page read them from here, so a
 * threshold changes in one place. Objectives and their burn-rate pairs are in slo.ts.
 */
import { SLO_KIND, type SloKind } from './slo';

/** Severities, as the `severity` label of every alert; Alertmanager routes on them. */
export const ALERT_SEVERITY = { critical: 'critical', warning: 'warning', info: 'info' } as const;
export type AlertSeverity = (typeof ALERT_SEVERITY)[keyof typeof ALERT_SEVERITY];

/** Severity of the always-firing watchdog: routed to the dead-man's switch, never to people. */
export const WATCHDOG_SEVERITY = 'none';

/** Alert names (the `alertname` label; each has a runbook at alerting/runbooks/<name>.md). */
export const ALERT = {
  availabilityBudgetBurn: 'AvailabilityErrorBudgetBurn',
  latencyBudgetBurn: 'LatencyErrorBudgetBurn',
  aiSuccessBudgetBurn: 'AiSuccessErrorBudgetBurn',
  aiLatencyBudgetBurn: 'AiLatencyErrorBudgetBurn',
  cacheBudgetBurn: 'CacheErrorBudgetBurn',
  aiErrorRate: 'AiErrorRateHigh',
  aiRateLimited: 'AiRateLimited',
  aiRateLimitExhaustion: 'AiRateLimitExhaustionPredicted',
  aiModelSubstituted: 'AiModelSubstituted',
  aiSpendOverBudget: 'AiSpendOverBudget',
  aiTenantSpendOverBudget: 'AiTenantSpendOverBudget',
  aiFeatureSpendOverBudget: 'AiFeatureSpendOverBudget',
  aiSpendSpike: 'AiSpendSpike',
  aiUnpricedCalls: 'AiUnpricedCalls',
  aiLatencyAnomaly: 'AiLatencyAnomaly',
  aiErrorRatioAnomaly: 'AiErrorRatioAnomaly',
  aiSpendAnomaly: 'AiSpendAnomaly',
  aiTokensPerCallAnomaly: 'AiTokensPerCallAnomaly',
  deployRegression: 'DeployRegression',
  cacheHitRatioLow: 'CacheHitRatioLow',
  dbLatency: 'DbLatencyHigh',
  memoryNearLimit: 'MemoryNearLimit',
  memoryExhaustion: 'MemoryExhaustionPredicted',
  cpuHigh: 'CpuHigh',
  eventLoopLag: 'EventLoopLagHigh',
  targetDown: 'TargetDown',
  watchdog: 'Watchdog',
} as const;
export type AlertName = (typeof ALERT)[keyof typeof ALERT];

/** Label of the tenant and feature budget alerts: the share of the budget the rule fires at (`80%`, `100%`). */
export const BUDGET_THRESHOLD_LABEL = 'threshold';

/** The burn-rate alert of each kind of objective (one runbook per kind). */
export const SLO_ALERT: Readonly<Record<SloKind, AlertName>> = {
  [SLO_KIND.availability]: ALERT.availabilityBudgetBurn,
  [SLO_KIND.httpLatency]: ALERT.latencyBudgetBurn,
  [SLO_KIND.aiSuccess]: ALERT.aiSuccessBudgetBurn,
  [SLO_KIND.aiTimeToFirstChunk]: ALERT.aiLatencyBudgetBurn,
  [SLO_KIND.aiTimePerOutputToken]: ALERT.aiLatencyBudgetBurn,
  [SLO_KIND.aiDuration]: ALERT.aiLatencyBudgetBurn,
  [SLO_KIND.cacheSuccess]: ALERT.cacheBudgetBurn,
};

/**
 * Thresholds of the threshold alerts. Ratios are 0–1, durations in seconds,
 * money in USD. Where a warning and a critical rule share an alert name, the
 * critical one inhibits the warning for the same job.
 */
export const ALERT_THRESHOLD = {
  /** Share of one provider/model's calls failing (rate limiting has its own alert): the fast "provider down" ticket, ahead of the AI success objective's burn. */
  aiErrorRatio: { warning: 0.05 },
  /** Share of one provider/model's calls answered 429. */
  aiRateLimitedRatio: { warning: 0.05 },
  /**
   * A provider's rate limit: what the last pace consumes before the limit resets, against what remains. Judged
   * only while less than `maxRemainingShare` of the limit remains: a quiet service, far from its limit, never
   * alerts on a burst, and a provider that refills continuously has refilled much of it by then.
   */
  aiRateLimitExhaustion: { warning: 1, maxRemainingShare: 0.25 },
  /** Share of a requested model's calls answered by another model (fallbacks, routers). */
  aiModelSubstitutedRatio: { info: 0.05 },
  /** Projected spend against the budget: the last hour's pace over a day against a 30th of the monthly budget, the last day's pace over 30 days against all of it. */
  aiSpendBudgetShare: { day: 1, month: 1 },
  /** Last hour's spend against the same hour's mean over the previous 7 days. */
  aiSpendSpikeFactor: { warning: 3 },
  /** Ignore spikes smaller than this (USD per hour): tiny baselines make big factors. */
  aiSpendSpikeMinUsdPerHour: 1,
  /**
   * Anomaly bands (anomaly.ts): a signal's last hour against the same hour of each of the last 7 days, alerting
   * beyond this many standard deviations from their mean (and beyond the signal's minimum change), judged only
   * where the hour paced at least `anomalyMinCallsPerHour` calls: a quiet series' hour is noise.
   */
  anomalyStddevs: { warning: 3 },
  anomalyMinCallsPerHour: 100,
  /**
   * A service's running version against the versions it replaced in the last day (anomaly.ts): HTTP p95 this
   * factor of theirs and at least `minLatencyIncreaseSeconds` slower, or a 5xx share this much above theirs;
   * versions serving under `minRequestsPerHour` are not judged.
   */
  deployRegression: { latencyFactor: 1.25, minLatencyIncreaseSeconds: 0.1, errorRatioIncrease: 0.02, minRequestsPerHour: 100 },
  /** A cache's recent hit ratio against its reference (its owner's expectation, else its own last day): at half of it, it has collapsed. */
  cacheHitRatioShare: { warning: 0.5 },
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
} as const;

/**
 * The app's failover webhook (`@modelwatch/exporter/failover`) as the local stack and compose run it: the
 * path the demo mounts it at, and the placeholder bearer token the generated local Alertmanager config and
 * the demo share (loopback and the compose network only; production reads a secret file).
 */
export const FAILOVER_WEBHOOK = { path: '/hooks/alertmanager', localToken: 'modelwatch-local-failover-token0' } as const;
