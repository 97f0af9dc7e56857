/**
 * Queries of the Cache page, per cache over the selected range, plus the
 * hit-ratio trend and each cache's lowest health component (its success
 * objective, its hit ratio against its reference).
 */
import { CACHE_RESULT, HEALTH_RECORDING_RULE, LABEL, METRICS, type QueryScope, quantile, ratio, selector, sumRate } from '@modelwatch/conventions';

const CACHE = [LABEL.cacheName];
const requests = METRICS.cacheRequests.name;

/** Hit ratio per cache over the scope's window. */
export function hitRatioByCache(scope: QueryScope): string {
  return ratio(sumRate(requests, CACHE, scope, [`${LABEL.cacheResult}="${CACHE_RESULT.hit}"`]), sumRate(requests, CACHE, scope));
}

/** Hit ratio and latency over the selected range (`scope`); lookups and savings as current (5m, `rateScope`) rates. */
export function cacheTargets(scope: QueryScope, rateScope: QueryScope) {
  return {
    hitRatio: { expr: hitRatioByCache(scope), instant: true },
    lookups: { expr: sumRate(requests, CACHE, rateScope), instant: true },
    p95: { expr: quantile(0.95, METRICS.cacheOperationDuration.name, CACHE, scope), instant: true },
    savedPerHour: { expr: `${sumRate(METRICS.cacheSavedCost.name, CACHE, rateScope)} * 3600`, instant: true },
    hitRatioChart: { expr: hitRatioByCache(rateScope) },
    latencyChart: { expr: quantile(0.95, METRICS.cacheOperationDuration.name, CACHE, rateScope) },
    score: { expr: `min by (${LABEL.cacheName}) (${selector(HEALTH_RECORDING_RULE.componentScore, rateScope, [`${LABEL.cacheName}!=""`])})`, instant: true },
  };
}
