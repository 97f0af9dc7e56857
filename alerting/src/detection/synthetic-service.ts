/**
 * The demo service as Prometheus would scrape it once a minute, steady and
 * healthy, then with a fault from a given minute on: promtool input series.
 *
 * The demo's routes, models and caches at a steady rate: POST /chat 4 req/s
 * (a quarter answered from the answers cache, the rest streamed from one of
 * four chat models), GET /recommendations 2 req/s (a third from its cache, the
 * rest one non-streamed call to gpt-4o-mini), POST /embeddings 1 req/s, and
 * the two probes. Every count is a multiple of ten so a fault can take a tenth
 * of it. A fault changes only the series it names; the rest stay as they were.
 *
 * As with prom-client, a series exists from its first observation: a status
 * code or error type the healthy service never produced appears at the first
 * scrape after the fault, already counting that minute, so `rate()` sees it
 * one scrape later than a series that was there before.
 */
import { CACHE_RESULT, LABEL, METRICS, type CacheResult, type MetricDefinition } from '@modelwatch/conventions';

export const JOB = 'demo';
const TARGET = { job: JOB, instance: 'demo:3000' } as const;

/** So many observations of this many seconds, every minute. */
export type Observations = readonly (readonly [seconds: number, count: number])[];

export interface RouteTraffic {
  readonly method: string;
  readonly route: string;
  readonly status: string;
  readonly seconds: Observations;
}

export interface ModelCalls {
  readonly operation: 'chat' | 'embeddings';
  readonly provider: string;
  readonly model: string;
  readonly perMinute: number;
  readonly seconds: number;
  /** Empty on success, as the exporter records it. */
  readonly errorType: string;
  /** Streamed calls only. */
  readonly firstChunkSeconds?: number;
  /** Successful calls with output only. */
  readonly secondsPerOutputToken?: number;
}

/** Lookups a minute, by `cache_result`. */
export interface CacheLookups extends Readonly<Record<CacheResult, number>> {
  readonly cache: string;
}

export interface Traffic {
  readonly routes: readonly RouteTraffic[];
  readonly models: readonly ModelCalls[];
  readonly caches: readonly CacheLookups[];
  /** A failed scrape: `up` is 0 and every other series goes stale. */
  readonly scrapeFails?: boolean;
}

const route = (method: string, path: string, seconds: Observations, status = '200'): RouteTraffic => ({ method, route: path, status, seconds });
const stream = (provider: string, model: string, perMinute: number, seconds: number, firstChunkSeconds: number, secondsPerOutputToken: number): ModelCalls => ({
  operation: 'chat',
  provider,
  model,
  perMinute,
  seconds,
  errorType: '',
  firstChunkSeconds,
  secondsPerOutputToken,
});

export const HEALTHY: Traffic = {
  routes: [
    // 60 answers-cache hits, then 180 streamed answers of a few seconds; none over 10 s.
    route('POST', '/chat', [[0.04, 60], [1.8, 40], [3.5, 80], [6, 50], [8.5, 10]]),
    // 40 cache hits, 80 pitches written by gpt-4o-mini.
    route('GET', '/recommendations', [[0.008, 40], [1.5, 60], [3, 20]]),
    route('POST', '/embeddings', [[0.2, 50], [0.4, 10]]),
    route('GET', '/healthz', [[0.002, 10]]),
    route('GET', '/readyz', [[0.004, 10]]),
  ],
  models: [
    // The 180 answers-cache misses of POST /chat, spread over the four models the router picks.
    stream('openai', 'gpt-4o-mini', 70, 2.5, 0.5, 0.02),
    stream('anthropic', 'claude-haiku-4-5', 50, 3, 0.7, 0.02),
    stream('openai', 'gpt-4o', 40, 5, 1.2, 0.04),
    stream('anthropic', 'claude-sonnet-4-6', 20, 6, 1.5, 0.04),
    // The 80 recommendations-cache misses.
    { operation: 'chat', provider: 'openai', model: 'gpt-4o-mini', perMinute: 80, seconds: 1.5, errorType: '', secondsPerOutputToken: 0.02 },
    { operation: 'embeddings', provider: 'openai', model: 'text-embedding-3-small', perMinute: 60, seconds: 0.15, errorType: '' },
  ],
  caches: [
    { cache: 'answers', hit: 60, miss: 180, error: 0 },
    { cache: 'recommendations', hit: 40, miss: 80, error: 0 },
  ],
};

/** A tenth (or any share) of every count, as whole requests: the counts are multiples of ten. */
export function share(seconds: Observations, fraction: number): Observations {
  return seconds.map(([value, count]) => {
    const part = count * fraction;
    if (!Number.isInteger(part)) throw new Error(`${fraction} of ${count} requests is not a whole number`);
    return [value, part] as const;
  });
}

export const total = (seconds: Observations): number => seconds.reduce((sum, [, count]) => sum + count, 0);

/** One series as promtool reads it, and how it moves each minute. */
type Sample = { readonly kind: 'counter'; readonly increment: number } | { readonly kind: 'gauge'; readonly value: number };
type Minute = Map<string, Sample>;

function seriesName(name: string, labels: Readonly<Record<string, string>>): string {
  return `${name}{${Object.entries(labels)
    .map(([label, value]) => `${label}=${JSON.stringify(value)}`)
    .join(',')}}`;
}

function observe(minute: Minute, metric: MetricDefinition, labels: Readonly<Record<string, string>>, seconds: Observations): void {
  const add = (series: string, increment: number) => {
    const previous = minute.get(series);
    minute.set(series, { kind: 'counter', increment: (previous?.kind === 'counter' ? previous.increment : 0) + increment });
  };
  const at = { ...TARGET, ...labels };
  for (const le of [...metric.buckets!, Infinity]) {
    add(seriesName(`${metric.name}_bucket`, { ...at, le: le === Infinity ? '+Inf' : String(le) }), total(seconds.filter(([value]) => value <= le)));
  }
  add(seriesName(`${metric.name}_count`, at), total(seconds));
}

/** Every series of one minute of this traffic. */
export function minuteOf(traffic: Traffic): Minute {
  const minute: Minute = new Map();
  minute.set(seriesName('up', TARGET), { kind: 'gauge', value: traffic.scrapeFails ? 0 : 1 });
  if (traffic.scrapeFails) return minute;
  for (const r of traffic.routes) {
    observe(minute, METRICS.httpServerRequestDuration, { [LABEL.httpRequestMethod]: r.method, [LABEL.httpRoute]: r.route, [LABEL.httpResponseStatusCode]: r.status }, r.seconds);
  }
  for (const calls of traffic.models) {
    const model = { [LABEL.genAiOperationName]: calls.operation, [LABEL.genAiProviderName]: calls.provider, [LABEL.genAiRequestModel]: calls.model };
    const call = { ...model, [LABEL.errorType]: calls.errorType };
    observe(minute, METRICS.genAiOperationDuration, call, [[calls.seconds, calls.perMinute]]);
    if (calls.firstChunkSeconds !== undefined) observe(minute, METRICS.genAiTimeToFirstChunk, call, [[calls.firstChunkSeconds, calls.perMinute]]);
    if (calls.secondsPerOutputToken !== undefined) observe(minute, METRICS.genAiTimePerOutputToken, model, [[calls.secondsPerOutputToken, calls.perMinute]]);
  }
  for (const lookups of traffic.caches) {
    for (const result of Object.values(CACHE_RESULT)) {
      // A result that never happened has no series yet.
      if (lookups[result] > 0) minute.set(seriesName(METRICS.cacheRequests.name, { ...TARGET, [LABEL.cacheName]: lookups.cache, [LABEL.cacheResult]: result }), { kind: 'counter', increment: lookups[result] });
    }
  }
  return minute;
}

export interface InputSeries {
  series: string;
  values: string;
}

/**
 * promtool input series, one sample a minute from minute 0 to `endMinute`:
 * `healthy` until `faultMinute`, `faulty` after it (the sample at minute m
 * counts what happened up to m, so the first faulty sample is at faultMinute + 1).
 * A counter the fault stops keeps its value, as prom-client keeps exporting it.
 */
export function inputSeries(healthy: Traffic, faulty: Traffic, faultMinute: number, endMinute: number, keep: (metricName: string) => boolean = () => true): InputSeries[] {
  const before = minuteOf(healthy);
  const after = minuteOf(faulty);
  const faultyMinutes = endMinute - faultMinute;
  const names = [...new Set([...before.keys(), ...after.keys()])].filter((series) => keep(series.slice(0, series.indexOf('{'))));
  return names.map((series) => {
    const was = before.get(series);
    const is = after.get(series);
    let values: string;
    if (was?.kind === 'gauge' || is?.kind === 'gauge') {
      const value = (sample: Sample | undefined) => (sample?.kind === 'gauge' ? sample.value : 0);
      values = `${value(was)}x${faultMinute} ${value(is)}x${faultyMinutes - 1}`;
    } else if (faulty.scrapeFails) {
      values = `0+${increment(was)}x${faultMinute} stale _x${faultyMinutes - 1}`;
    } else if (was === undefined) {
      values = `_x${faultMinute + 1} ${increment(is)}+${increment(is)}x${faultyMinutes - 1}`;
    } else {
      const start = increment(was) * faultMinute;
      values = `0+${increment(was)}x${faultMinute} ${start + increment(is)}+${increment(is)}x${faultyMinutes - 1}`;
    }
    return { series, values };
  });
}

const increment = (sample: Sample | undefined): number => (sample?.kind === 'counter' ? sample.increment : 0);
