/**
 * The health score of a service: the lowest score of its components, 0–100.
 * The components are its objectives (scored from how fast they burn their
 * error budget), its saturation and its caches' hit ratios. The maths is built
 * so the score agrees with the pages:
 *
 * - an objective burning within its budget scores 100;
 * - a paging objective scores below 70 (critical) exactly when one of its page
 *   pairs is over its factor, i.e. when its page is pending or firing;
 * - a ticket pair over its factor puts the objective below 90 (degraded), never
 *   below 70; objectives that do not page, saturation and caches stay ≥ 70.
 *
 * So: healthy (≥ 90) means no page and no ticket; critical means a page.
 * The recording rules (slo-queries.ts) and the app use these functions' maths.
 */
import { BURN_RATE_PAIRS, type BurnRatePair } from './slo';

/** Score bands: healthy at or above `healthy`, degraded at or above `degraded`, else critical. */
export const HEALTH_BANDS = { healthy: 90, degraded: 70 } as const;
export type HealthBand = 'healthy' | 'degraded' | 'critical';

/** Recording rules that publish the score. */
export const HEALTH_RECORDING_RULE = {
  score: 'modelwatch:health_score',
  componentScore: 'modelwatch:health_component:score',
  /** The objective's name (its `slo` label), or one of {@link HEALTH_COMPONENT}. */
  componentLabel: 'component',
} as const;

/** Components that are not objectives (objective names may not take these). */
export const HEALTH_COMPONENT = {
  saturation: 'saturation',
  cacheHitRatio: 'cache_hit_ratio',
} as const;

/** Window of the saturation component's rates. */
export const HEALTH_WINDOW = '5m';

export const SCORE = {
  /** Burn rate of the fast page pair (14.4× over 1h and 5m): an effective burn rate past it is critical. */
  pageBurnRate: BURN_RATE_PAIRS[0].factor,
  /** Effective burn rate at the healthy band's edge: 100 − 30·log(e)/log(14.4) = 90 gives e = 14.4^(1/3) ≈ 2.43. */
  healthyEdgeBurnRate: BURN_RATE_PAIRS[0].factor ** ((100 - HEALTH_BANDS.healthy) / (100 - HEALTH_BANDS.degraded)),
} as const;

/** Whether a pair of this objective pages: only page pairs of objectives that page. */
export function canPage(objective: { readonly page: boolean }, pair: Pick<BurnRatePair, 'urgency'>): boolean {
  return objective.page && pair.urgency === 'page';
}

/** Scales a pair's burn rate so its factor lands on the page rate (page pairs) or the healthy edge (ticket pairs). */
export function pairBurnScale(pair: Pick<BurnRatePair, 'urgency' | 'factor'>): number {
  return (pair.urgency === 'page' ? SCORE.pageBurnRate : SCORE.healthyEdgeBurnRate) / pair.factor;
}

/** The lowest score an objective can reach: 0 if it pages, the degraded band's floor if it only opens tickets. */
export function scoreFloor(page: boolean): number {
  return page ? 0 : HEALTH_BANDS.degraded;
}

/**
 * An objective's effective burn rate from each pair's burn rate (the lower of
 * its long and short window's; missing where either window had no traffic).
 * Undefined when no pair has one.
 */
export function effectiveBurnRate(page: boolean, pairBurnRates: Partial<Record<BurnRatePair['long'], number>>): number | undefined {
  let effective: number | undefined;
  for (const pair of BURN_RATE_PAIRS) {
    const burn = pairBurnRates[pair.long];
    if (burn === undefined || !Number.isFinite(burn)) continue;
    const scaled = burn * pairBurnScale(pair);
    const value = canPage({ page }, pair) ? scaled : Math.min(scaled, SCORE.pageBurnRate);
    effective = effective === undefined ? value : Math.max(effective, value);
  }
  return effective;
}

/** 100 while burning at most the budget, falling with the logarithm of the burn rate: 70 at the page rate. */
export function scoreFromBurnRate(effectiveBurn: number, page: boolean): number {
  if (effectiveBurn <= 1) return 100;
  const score = 100 - ((100 - HEALTH_BANDS.degraded) * Math.log(effectiveBurn)) / Math.log(SCORE.pageBurnRate);
  return Math.min(100, Math.max(scoreFloor(page), score));
}

/** An objective's score from its pairs' burn rates; undefined without traffic. */
export function objectiveScore(page: boolean, pairBurnRates: Partial<Record<BurnRatePair['long'], number>>): number | undefined {
  const effective = effectiveBurnRate(page, pairBurnRates);
  return effective === undefined ? undefined : scoreFromBurnRate(effective, page);
}

/** Saturation below this share of its limit scores 100; at the limit it reaches the degraded floor. */
export const SATURATION_FULL_SCORE_BELOW = 0.8;

/** Saturation (worst of CPU, memory and event-loop lag against their limits, 1 = at the limit) as a score, 70–100. */
export function saturationScore(saturation: number): number {
  const slope = (100 - HEALTH_BANDS.degraded) / (1 - SATURATION_FULL_SCORE_BELOW);
  return Math.min(100, Math.max(HEALTH_BANDS.degraded, 100 - slope * (saturation - SATURATION_FULL_SCORE_BELOW)));
}

/** Windows of the cache component: the recent hit ratio, and the cache's own baseline when its owner set no expectation. */
export const CACHE_HIT_WINDOW = { recent: '30m', baseline: '1d' } as const;

/** Fewer lookups than this in the recent window, and a cache's hit ratio is not judged (it would be noise). */
export const CACHE_HIT_MIN_LOOKUPS = 100;

/** Hit ratio at this share of its reference (expected, or its own baseline) puts the cache at the degraded floor. */
export const CACHE_HIT_FLOOR_SHARE = 0.5;

/** A cache's hit ratio against its reference as a score, 70–100: 100 at or above it, 70 at half of it. */
export function cacheHitScore(ratio: number, reference: number): number {
  if (!(reference > 0)) return 100;
  const slope = (100 - HEALTH_BANDS.degraded) / (1 - CACHE_HIT_FLOOR_SHARE);
  return Math.min(100, Math.max(HEALTH_BANDS.degraded, 100 - slope * (1 - ratio / reference)));
}

/** The service's score: its lowest component's. Undefined when no component had traffic. */
export function healthScore(componentScores: readonly number[]): number | undefined {
  const scores = componentScores.filter((score) => Number.isFinite(score));
  return scores.length === 0 ? undefined : Math.min(...scores);
}

export function healthBand(score: number): HealthBand {
  if (score >= HEALTH_BANDS.healthy) return 'healthy';
  if (score >= HEALTH_BANDS.degraded) return 'degraded';
  return 'critical';
}
