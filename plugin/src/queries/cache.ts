/** Queries of the Cache page, per cache over the selected range, plus the hit-ratio trend. */
import { CACHE_RESULT, LABEL, METRICS, type QueryScope } from '@modelwatch/exporter/conventions';
import { quantile, ratio, sumRate } from './promql';

const CACHE = [LABEL.cacheName];
const requests = METRICS.cacheRequests.name;

/** Hit ratio and latency over the selected range (`scope`); lookups and savings as current (5m, `rateScope`) rates. */
export function cacheTargets(scope: QueryScope, rateScope: QueryScope) {
  const hitRatio = (s: QueryScope) => ratio(sumRate(requests, CACHE, s, [`${LABEL.cacheResult}="${CACHE_RESULT.hit}"`]), sumRate(requests, CACHE, s));
  return {
    hitRatio: { expr: hitRatio(scope), instant: true },
    lookups: { expr: sumRate(requests, CACHE, rateScope), instant: true },
    p95: { expr: quantile(0.95, METRICS.cacheOperationDuration.name, CACHE, scope), instant: true },
    savedPerHour: { expr: `${sumRate(METRICS.cacheSavedCost.name, CACHE, rateScope)} * 3600`, instant: true },
    hitRatioChart: { expr: hitRatio(rateScope) },
    latencyChart: { expr: quantile(0.95, METRICS.cacheOperationDuration.name, CACHE, rateScope) },
  };
}
