/**
 * Queries of the Overview page: the recorded health score and its components,
 * each objective's error ratio, burn rate and budget left, what drags the
 * non-objective components down, key SLIs and the top offenders. The score is
 * read, never computed here: the recording rules generated from each
 * service's SLO spec are its one source.
 */
import {
  CACHE_HIT_WINDOW,
  HEALTH_RECORDING_RULE,
  HEALTH_WINDOW,
  LABEL,
  METRICS,
  type QueryScope,
  SATURATION_RECORDING_RULE,
  SLO_LABEL,
  SLO_RECORDING_RULE,
  type SemconvMode,
  aiErrorRatio,
  cacheHitRatio,
  genAiMetricNames,
  httpErrorRatio,
  quantile,
  ratio,
  samplesOf,
  selector,
  sumRate,
} from '@modelwatch/conventions';
import type { PromTarget } from '../data/dsQuery';
import { BURN_RATE_COLUMNS, SLI_COLUMNS } from '../data/slo';
import { hitRatioByCache } from './cache';

type Target = Omit<PromTarget, 'refId'>;

const http = METRICS.httpServerRequestDuration.name;
const ROUTE = [LABEL.httpRequestMethod, LABEL.httpRoute];
const MODEL = [LABEL.genAiProviderName, LABEL.genAiRequestModel];

const windows = (list: readonly string[]) => [`${SLO_LABEL.window}=~"${list.join('|')}"`];

/** The recorded series of the score and the objectives (instant), and the score's trend. */
export function healthTargets(scope: QueryScope) {
  return {
    score: { expr: selector(HEALTH_RECORDING_RULE.score, scope), instant: true },
    trend: { expr: selector(HEALTH_RECORDING_RULE.score, scope) },
    components: { expr: selector(HEALTH_RECORDING_RULE.componentScore, scope), instant: true },
    errorRatios: { expr: selector(SLO_RECORDING_RULE.errorRatio, scope, windows(SLI_COLUMNS)), instant: true },
    burnRates: { expr: selector(SLO_RECORDING_RULE.burnRate, scope, windows(BURN_RATE_COLUMNS)), instant: true },
    budgetRemaining: { expr: selector(SLO_RECORDING_RULE.budgetRemaining, scope), instant: true },
    saturation: { expr: selector(SATURATION_RECORDING_RULE, scope), instant: true },
    // Over the window the cache component judges, so the explanation quotes the ratio it scored.
    cacheHitRatios: { expr: hitRatioByCache({ ...scope, window: CACHE_HIT_WINDOW.recent }), instant: true },
  } satisfies Record<string, Target>;
}

/** `mode`: the GenAI names the exporters write (the app's `semconv` setting). */
export function overviewTargets(scope: QueryScope, mode: SemconvMode = 'legacy') {
  const recent = { ...scope, window: HEALTH_WINDOW };
  const calls = samplesOf(genAiMetricNames(mode).callDuration, '_count');
  return {
    ...healthTargets(scope),
    requestRate: { expr: `sum(rate(${selector(`${http}_count`, recent)}[${HEALTH_WINDOW}]))`, instant: true },
    errorRatio: { expr: httpErrorRatio(recent), instant: true },
    p95: { expr: quantile(0.95, http, [], recent), instant: true },
    aiErrorRatio: { expr: aiErrorRatio(recent, mode), instant: true },
    aiSpendPerHour: { expr: `sum(rate(${selector(METRICS.genAiCost.name, recent)}[${HEALTH_WINDOW}])) * 3600`, instant: true },
    cacheHitRatio: { expr: cacheHitRatio(recent), instant: true },
    // `>= 0` drops the NaN of routes without requests in the window.
    slowRoutes: { expr: `topk(5, ${quantile(0.95, http, ROUTE, recent)} >= 0)`, instant: true },
    failingModels: {
      expr: `topk(5, ${ratio(sumRate(calls.metric, MODEL, recent, [`${LABEL.errorType}!=""`, ...calls.matchers]), sumRate(calls.metric, MODEL, recent, calls.matchers))} > 0)`,
      instant: true,
    },
  } satisfies Record<string, Target>;
}
