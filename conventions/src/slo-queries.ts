/**
 * PromQL of the objectives: each kind's error ratio over a window from the raw
 * metrics, the burn-rate pairs of the alerts, and each objective's health
 * score from those pairs. The recording and alert rules are built from these
 * only, so an alert and the score it moves can never disagree.
 */
import { CACHE_RESULT, LABEL } from './labels';
import { METRICS } from './metrics';
import { SERVICE_LABEL, promString, selector, shareOf, withLabel } from './promql';
import { SATURATION_RECORDING_RULE, projectedMonthSpend } from './queries';
import { genAiMetricNames, samplesOf, type SemconvMode } from './semconv';
import type { AttributedBudgetOwner } from './slo-spec';
import { CACHE_HIT_FLOOR_SHARE, CACHE_HIT_MIN_LOOKUPS, CACHE_HIT_WINDOW, HEALTH_BANDS, HEALTH_COMPONENT, HEALTH_RECORDING_RULE, SATURATION_FULL_SCORE_BELOW, SCORE, canPage, pairBurnScale, scoreFloor } from './health';
import {
  BURN_RATE_PAIRS,
  SLO_KIND,
  SLO_LABEL,
  SLO_MIN_BAD_EVENTS,
  SLO_RECORDING_RULE,
  globToRegex,
  type BurnRatePair,
  type JobScope,
  type ModelMatch,
  type Objective,
  type RouteMatch,
} from './slo';

/** `label="v"` for a literal, `label=~"regex"` for a glob, nothing for `*`. */
export function globMatcher(label: string, glob: string): string[] {
  if (glob === '*') return [];
  return glob.includes('*') ? [`${label}=~${promString(globToRegex(glob))}`] : [`${label}=${promString(glob)}`];
}

/** The service matcher of a job scope: `job="demo"`, or `job!~"demo|other"` for the defaults. */
export function jobMatchers(jobs: JobScope): string[] {
  if ('job' in jobs) return [`${SERVICE_LABEL}=${promString(jobs.job)}`];
  return jobs.allBut.length === 0 ? [] : [`${SERVICE_LABEL}!~${promString(jobs.allBut.map((job) => globToRegex(job)).join('|'))}`];
}

/**
 * Static labels a rule of `jobs` can carry: the job of a named service (its
 * series carry it anyway), nothing for the defaults. Rules of one name for
 * different services then differ in their labels, as Prometheus' lint wants.
 */
export function jobLabels(jobs: JobScope): Record<string, string> {
  return 'job' in jobs ? { [SERVICE_LABEL]: jobs.job } : {};
}

/** Static labels of a rule about the caches matching `glob`: the cache's name when it is one name, not a pattern. */
export function cacheLabels(glob: string): Record<string, string> {
  return glob.includes('*') ? {} : { [LABEL.cacheName]: glob };
}

function routeMatchers(match: RouteMatch): string[] {
  return [...(match.method ? [`${LABEL.httpRequestMethod}=${promString(match.method)}`] : []), ...globMatcher(LABEL.httpRoute, match.route)];
}

function modelMatchers(match: ModelMatch): string[] {
  return [
    ...globMatcher(LABEL.genAiProviderName, match.provider),
    ...globMatcher(LABEL.genAiRequestModel, match.model),
    ...(match.operation ? [`${LABEL.genAiOperationName}=${promString(match.operation)}`] : []),
  ];
}

/** Labels an objective's SLI is grouped by: per service, and per model or cache for dependencies. */
export function objectiveGrouping({ scope }: Pick<Objective, 'scope'>): string[] {
  switch (scope.over) {
    case 'http':
      return [SERVICE_LABEL];
    case 'ai':
      return [SERVICE_LABEL, LABEL.genAiProviderName, LABEL.genAiRequestModel];
    case 'cache':
      return [SERVICE_LABEL, LABEL.cacheName];
  }
}

/**
 * The per-series rate (or `fn`) of `metric` over what the objective covers: its matches
 * (`a or b`: a series matched twice counts once), minus what earlier
 * objectives claimed (`unless`: the same metric and matchers, so label sets line up).
 */
function scopedRate(target: Pick<Objective, 'jobs' | 'scope'>, metric: string, extra: readonly string[], window: string, fn: 'rate' | 'increase' = 'rate'): string {
  return scopedSelection(target, (matchers) => `${fn}(${metric}{${[...jobMatchers(target.jobs), ...extra, ...matchers].join(',')}}[${window}])`);
}

/** `select(matchers)` over what the objective covers: its matches or'ed, minus what earlier objectives claimed. */
function scopedSelection({ scope }: Pick<Objective, 'scope'>, select: (matchers: readonly string[]) => string): string {
  const either = (parts: string[]) => (parts.length === 1 ? parts[0]! : `(${parts.join(' or ')})`);
  let include: string;
  let exclude: string[];
  switch (scope.over) {
    case 'http':
      include = either(scope.include === undefined ? [select([])] : scope.include.map((m) => select(routeMatchers(m))));
      exclude = scope.exclude.map((m) => select(routeMatchers(m)));
      break;
    case 'ai':
      include = select(modelMatchers(scope.include));
      exclude = scope.exclude.map((m) => select(modelMatchers(m)));
      break;
    case 'cache':
      include = select(globMatcher(LABEL.cacheName, scope.include));
      exclude = scope.exclude.map((glob) => select(globMatcher(LABEL.cacheName, glob)));
      break;
  }
  return exclude.length === 0 ? include : `(${include} unless ${either(exclude)})`;
}

/** The objective's counter series themselves (an instant selector with `modifier`, e.g. an offset), scoped like {@link scopedRate}. */
function scopedCounter(target: Pick<Objective, 'jobs' | 'scope'>, metric: string, modifier: string): string {
  return scopedSelection(target, (matchers) => `${metric}{${[...jobMatchers(target.jobs), ...matchers].join(',')}} ${modifier}`);
}

function sumBy(target: Pick<Objective, 'scope'>, rate: string): string {
  return `sum by (${objectiveGrouping(target).join(', ')}) (${rate})`;
}

/** `le` of a bucket bound as the exporter writes it. */
function le(seconds: number): string {
  return `le=${promString(String(seconds))}`;
}

/**
 * What an objective counts: its events (a counter, or a histogram's samples:
 * one name, or several of the same buckets, see `samplesOf`), narrowed by
 * `extra`, and what makes an event bad: labels, or being slower than the
 * objective's threshold. AI objectives read the GenAI names the exporters
 * write in `mode`.
 */
interface ObjectiveEvents {
  readonly metrics: readonly string[];
  /** Histograms: their samples are `_count` and `_bucket`. */
  readonly histogram: boolean;
  readonly extra: readonly string[];
  readonly bad: { readonly labels: readonly string[] } | typeof SLOWER_THAN_THRESHOLD;
}

const SLOWER_THAN_THRESHOLD = 'slower than the threshold';

function objectiveEvents(objective: Objective, mode: SemconvMode): ObjectiveEvents {
  const names = genAiMetricNames(mode);
  const slow = SLOWER_THAN_THRESHOLD;
  switch (objective.kind) {
    case SLO_KIND.availability:
      return { metrics: [METRICS.httpServerRequestDuration.name], histogram: true, extra: [], bad: { labels: [`${LABEL.httpResponseStatusCode}=~"5.."`] } };
    case SLO_KIND.httpLatency:
      return { metrics: [METRICS.httpServerRequestDuration.name], histogram: true, extra: [], bad: slow };
    case SLO_KIND.aiSuccess:
      return { metrics: names.callDuration, histogram: true, extra: [], bad: { labels: [`${LABEL.errorType}!=""`] } };
    case SLO_KIND.aiTimeToFirstChunk:
      return { metrics: [names.timeToFirstChunk], histogram: true, extra: [], bad: slow };
    case SLO_KIND.aiTimePerOutputToken:
      return { metrics: [METRICS.genAiTimePerOutputToken.name], histogram: true, extra: [], bad: slow };
    case SLO_KIND.aiDuration:
      // Failed calls are the success objective's; a fast failure must not count as a fast answer.
      return { metrics: names.callDuration, histogram: true, extra: [`${LABEL.errorType}=""`], bad: slow };
    case SLO_KIND.cacheSuccess:
      return { metrics: [METRICS.cacheRequests.name], histogram: false, extra: [], bad: { labels: [`${LABEL.cacheResult}="${CACHE_RESULT.error}"`] } };
  }
}

/** The objective's events over `window`, summed per its grouping, with `fn` (`rate` or `increase`) and `more` matchers. */
function eventsOver(objective: Objective, events: ObjectiveEvents, window: string, fn: 'rate' | 'increase', suffix: '_count' | '_bucket' = '_count', more: readonly string[] = []): string {
  const { metric, matchers } = samplesOf(events.metrics, events.histogram ? suffix : '');
  return sumBy(objective, scopedRate(objective, metric, [...events.extra, ...more, ...matchers], window, fn));
}

/**
 * Share of bad events of an objective over `window`: no sample without
 * traffic, 0 with traffic and nothing bad. AI objectives read the GenAI names
 * the exporters write in `mode`.
 */
export function objectiveErrorRatio(objective: Objective, window: string, mode: SemconvMode = 'legacy'): string {
  const events = objectiveEvents(objective, mode);
  const total = eventsOver(objective, events, window, 'rate');
  if (events.bad !== SLOWER_THAN_THRESHOLD) return shareOf(eventsOver(objective, events, window, 'rate', '_count', events.bad.labels), total);
  const threshold = objective.thresholdSeconds;
  if (threshold === undefined) throw new Error(`objective ${objective.name} (${objective.kind}) has no threshold`);
  return `1 - (${shareOf(eventsOver(objective, events, window, 'rate', '_bucket', [le(threshold)]), total)})`;
}

/** The objective's events (requests, calls, lookups) over `window`, per its grouping: the error ratio's denominator as a count. */
export function objectiveEventCount(objective: Objective, window: string, mode: SemconvMode = 'legacy'): string {
  return eventsOver(objective, objectiveEvents(objective, mode), window, 'increase');
}

/** Matchers selecting an objective's recorded series (its service and name). */
export function objectiveSeriesMatchers(objective: Objective): string[] {
  return [...jobMatchers(objective.jobs), `${SLO_LABEL.name}=${promString(objective.name)}`];
}

/**
 * A pair's burn rate: the lower of its long and short window's, and only where
 * both have a sample (no traffic in the short window is not "still burning");
 * 0 until the long window holds {@link SLO_MIN_BAD_EVENTS} bad events
 * (`judgedBurnRate` in slo.ts). Over the pair's factor exactly when the alert's condition holds.
 */
export function pairBurnRate(objective: Objective, pair: Pick<BurnRatePair, 'long' | 'short'>): string {
  return pairBurnRateOf(objectiveSeriesMatchers(objective), pair);
}

/** {@link pairBurnRate} of the recorded burn rates these matchers select (a panel's, for every objective of the selected services). */
export function pairBurnRateOf(matchers: readonly string[], pair: Pick<BurnRatePair, 'long' | 'short'>): string {
  const series = `${SLO_RECORDING_RULE.burnRate}{${[...matchers, `${SLO_LABEL.window}=~"${pair.long}|${pair.short}"`].join(',')}}`;
  const measured = `(min without (${SLO_LABEL.window}) (${series}) and count without (${SLO_LABEL.window}) (${series}) == 2)`;
  const badEvents = `${SLO_RECORDING_RULE.badEvents}{${[...matchers, `${SLO_LABEL.window}="${pair.long}"`].join(',')}}`;
  // × 1 with enough bad events in the long window, × 0 without: the measured pair is evaluated once.
  return `(${measured} * ignoring (${SLO_LABEL.window}) (${badEvents} >= bool ${SLO_MIN_BAD_EVENTS}))`;
}

const PAIR_LABEL = 'burn_pair';

/** The pairs an objective alerts on at one urgency: a ticket from an objective that never pages watches every pair. */
export function alertPairs(objective: Pick<Objective, 'page'>, urgency: BurnRatePair['urgency']): BurnRatePair[] {
  return BURN_RATE_PAIRS.filter((pair) => (urgency === 'page' ? canPage(objective, pair) : !canPage(objective, pair)));
}

/**
 * The measured value of an objective's burn alert: its pairs' burn rates each
 * over its own factor, the highest. Over 1 exactly when a pair is over its factor.
 */
export function burnAlertQuery(objective: Objective, pairs: readonly BurnRatePair[]): string {
  const parts = pairs.map((pair) => `label_replace(${pairBurnRate(objective, pair)} / ${pair.factor}, "${PAIR_LABEL}", "${pair.long}", "", "")`);
  return `max without (${PAIR_LABEL}) (${parts.join(' or ')})`;
}

/**
 * The objective's effective burn rate: each pair's burn rate scaled so that it
 * reaches {@link SCORE.pageBurnRate} where a page pair fires and the healthy
 * band's edge where a ticket pair fires, capped below a page unless the pair
 * can page; the highest of them. `effectiveBurnRate` in health.ts is the same maths.
 */
export function effectiveBurnRateQuery(objective: Objective): string {
  const scaled = BURN_RATE_PAIRS.map((pair) => {
    const value = `${pairBurnRate(objective, pair)} * ${pairBurnScale(pair)}`;
    const capped = canPage(objective, pair) ? value : `clamp_max(${value}, ${SCORE.pageBurnRate})`;
    return `label_replace(${capped}, "${PAIR_LABEL}", "${pair.long}", "", "")`;
  });
  return `max without (${PAIR_LABEL}) (${scaled.join(' or ')})`;
}

/** The objective's 0–100 score from its effective burn rate (see `scoreFromBurnRate` in health.ts). */
export function objectiveScoreQuery(objective: Objective): string {
  return `clamp(100 - ${100 - HEALTH_BANDS.degraded} * ln(${effectiveBurnRateQuery(objective)}) / ${Math.log(SCORE.pageBurnRate)}, ${scoreFloor(objective.page)}, 100)`;
}

/** The saturation component of the services in `jobs`, 70–100 (see `saturationScore` in health.ts). */
export function saturationScoreQuery(jobs: JobScope): string {
  const saturation = `max by (${SERVICE_LABEL}) (${SATURATION_RECORDING_RULE}{${jobMatchers(jobs).join(',')}})`;
  const slope = (100 - HEALTH_BANDS.degraded) / (1 - SATURATION_FULL_SCORE_BELOW);
  return withLabel(`clamp(100 - ${slope} * (${saturation} - ${SATURATION_FULL_SCORE_BELOW}), ${HEALTH_BANDS.degraded}, 100)`, HEALTH_RECORDING_RULE.componentLabel, HEALTH_COMPONENT.saturation);
}

/** Caches of some services: those matching `include` (a glob) and not claimed by an earlier entry. */
export interface CacheScope {
  readonly jobs: JobScope;
  readonly include: string;
  readonly exclude: readonly string[];
}

/** A cache scope in the shape the objective builders take. */
function cacheTarget(caches: CacheScope): Pick<Objective, 'jobs' | 'scope'> {
  return { jobs: caches.jobs, scope: { over: 'cache', include: caches.include, exclude: caches.exclude } };
}

/** Hit ratio per service and cache over `window`. */
export function cacheHitRatioQuery(caches: CacheScope, window: string): string {
  const target = cacheTarget(caches);
  const total = (extra: readonly string[]) => sumBy(target, scopedRate(target, METRICS.cacheRequests.name, extra, window));
  return shareOf(total([`${LABEL.cacheResult}="${CACHE_RESULT.hit}"`]), total([]));
}

/**
 * Each cache's recent hit ratio against its reference: its owner's expectation,
 * or its own last day when there is none (no sample while that baseline is 0).
 * A cache is judged once its recent window holds enough lookups to mean
 * something and, against an expectation, once it has been looked up for a
 * whole recent window: a cache warming up after a start is cold, not broken.
 */
export function cacheHitShareQuery(caches: CacheScope, expectedHitRatio?: number, windows: { recent: string; baseline: string } = CACHE_HIT_WINDOW): string {
  const target = cacheTarget(caches);
  const recent = cacheHitRatioQuery(caches, windows.recent);
  // A handful of lookups says nothing about a ratio: a quiet cache is not judged until the window holds enough.
  const enoughLookups = `sum by (${objectiveGrouping(target).join(', ')}) (${scopedSelection(target, (matchers) => `increase(${METRICS.cacheRequests.name}{${[...jobMatchers(caches.jobs), ...matchers].join(',')}}[${windows.recent}])`)}) >= ${CACHE_HIT_MIN_LOOKUPS}`;
  if (expectedHitRatio === undefined) return `(${recent} / (${cacheHitRatioQuery(caches, windows.baseline)} > 0) and ${enoughLookups})`;
  const lookedUpBefore = sumBy(target, scopedCounter(target, METRICS.cacheRequests.name, `offset ${windows.recent}`));
  return `(${recent} / ${expectedHitRatio} and ${enoughLookups} and ${lookedUpBefore})`;
}

/** The cache component per cache, 70–100 (see `cacheHitScore` in health.ts). */
export function cacheHitScoreQuery(caches: CacheScope, expectedHitRatio?: number, windows: { recent: string; baseline: string } = CACHE_HIT_WINDOW): string {
  const slope = (100 - HEALTH_BANDS.degraded) / (1 - CACHE_HIT_FLOOR_SHARE);
  const share = cacheHitShareQuery(caches, expectedHitRatio, windows);
  return withLabel(`clamp(100 - ${slope} * (1 - ${share}), ${HEALTH_BANDS.degraded}, 100)`, HEALTH_RECORDING_RULE.componentLabel, HEALTH_COMPONENT.cacheHitRatio);
}

/** Each service's monthly AI budget (USD) as a recorded series, for the spend panels: a named service's from its spec; the defaults' for every other service that spends. */
export const BUDGET_RECORDING_RULE = 'modelwatch:ai_budget:usd_per_month';

/**
 * Monthly AI budgets the spec gives a service's tenants (label `tenant`) and features (label `feature`),
 * one series per budget: the app's spend-by-tenant bars and the per-tenant alerts read them.
 */
export const ATTRIBUTED_BUDGET_RECORDING_RULE = {
  tenant: 'modelwatch:ai_tenant_budget:usd_per_month',
  feature: 'modelwatch:ai_feature_budget:usd_per_month',
} as const satisfies Record<AttributedBudgetOwner, string>;

export function budgetQuery(jobs: JobScope, monthlyUsd: number): string {
  return 'job' in jobs ? `vector(${monthlyUsd})` : `max by (${SERVICE_LABEL}) (${METRICS.genAiCost.name}{${jobMatchers(jobs).join(',')}}) * 0 + ${monthlyUsd}`;
}

/**
 * The monthly budget of one tenant or feature (`name`) of the services in `jobs`, for its recording rule (which
 * carries the job and the tenant or feature as static labels): a named service's as a constant; under the
 * defaults, one series per other service that has spent on that tenant or feature.
 */
export function attributedBudgetQuery(jobs: JobScope, owner: AttributedBudgetOwner, name: string, monthlyUsd: number): string {
  if ('job' in jobs) return `vector(${monthlyUsd})`;
  const spent = selector(METRICS.genAiAttributedCost.name, { matchers: [...jobMatchers(jobs), `${LABEL[owner]}=${promString(name)}`] });
  return `max by (${SERVICE_LABEL}, ${LABEL[owner]}) (${spent}) * 0 + ${monthlyUsd}`;
}

/**
 * Each tenant's (or feature's) spend this month at the pace of the last `window` (the app's spend bars project the
 * same way), as a share of its monthly budget: only the tenants or features with a recorded budget (`_other` and
 * `_none` have none).
 */
export function attributedBudgetShareQuery(jobs: JobScope, owner: AttributedBudgetOwner, window: string): string {
  const by = [SERVICE_LABEL, LABEL[owner]];
  const scope = { matchers: jobMatchers(jobs) };
  return `${projectedMonthSpend(METRICS.genAiAttributedCost.name, by, { ...scope, window })} / on (${by.join(', ')}) ${selector(ATTRIBUTED_BUDGET_RECORDING_RULE[owner], scope)}`;
}

/** The health score per service: its lowest component's. */
export function healthScoreQuery(): string {
  return `min by (${SERVICE_LABEL}) (${HEALTH_RECORDING_RULE.componentScore})`;
}
