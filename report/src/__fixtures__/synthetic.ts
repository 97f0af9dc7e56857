/**
 * One synthetic hour of a demo service as OpenMetrics, for `promtool tsdb
 * create-blocks-from openmetrics`: a fixed TSDB, so a report over it is the
 * same on every machine and its JSON can be a golden file. The first half
 * hour is the baseline; in the second, gpt-4o's first chunks come later (p95
 * 0.75 s → 0.95 s, +27 %), its calls are rate-limited twice as often, and the
 * service uses more CPU and memory.
 */
import { ATTRIBUTED_BUDGET_RECORDING_RULE, BUDGET_RECORDING_RULE, LABEL, METRICS, RUNTIME_METRIC, SLO_LABEL, SLO_RECORDING_RULE } from '@modelwatch/conventions';

/** 2026-01-01T00:00:00Z. */
export const T0 = 1_767_225_600;
export const SCRAPE_SECONDS = 15;
export const HOUR = 3600;
/** The two ranges the tests report on: the second 25 minutes of each half hour. */
export const BASELINE_RANGE = { from: T0 + 300, to: T0 + 1800 };
export const REGRESSED_RANGE = { from: T0 + 2100, to: T0 + 3600 };

const BOUNDS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
type Phase = 'baseline' | 'regressed';
type Labels = Record<string, string>;

/** Observations per scrape interval in each bucket (not cumulative; the last is above every bound), per phase. */
interface HistogramSeries {
  name: string;
  labels: Labels;
  perScrape: (phase: Phase) => number[];
}

interface SampleSeries {
  name: string;
  labels: Labels;
  /** A counter's increase per scrape, or a gauge's value, at `t` seconds since T0. */
  value: (phase: Phase, t: number) => number;
  counter: boolean;
}

const job = { job: 'demo', instance: 'demo:8080' };
const model = (provider: string, name: string, operation: string, errorType?: string): Labels => ({
  ...job,
  [LABEL.genAiProviderName]: provider,
  [LABEL.genAiRequestModel]: name,
  [LABEL.genAiOperationName]: operation,
  ...(errorType ? { [LABEL.errorType]: errorType } : {}),
});
const route = (method: string, path: string, status: string): Labels => ({ ...job, [LABEL.httpRequestMethod]: method, [LABEL.httpRoute]: path, [LABEL.httpResponseStatusCode]: status });
const constant = (counts: number[]) => () => counts;
const phased = (baseline: number[], regressed: number[]) => (phase: Phase) => (phase === 'baseline' ? baseline : regressed);

const HISTOGRAMS: HistogramSeries[] = [
  { name: METRICS.httpServerRequestDuration.name, labels: route('POST', '/chat', '200'), perScrape: phased([0, 0, 2, 10, 12, 5, 1, 0], [0, 0, 1, 8, 13, 6, 2, 0]) },
  { name: METRICS.httpServerRequestDuration.name, labels: route('POST', '/chat', '500'), perScrape: constant([0, 0, 0, 0, 1, 0, 0, 0]) },
  { name: METRICS.httpServerRequestDuration.name, labels: route('POST', '/chat', '429'), perScrape: phased([2, 0, 0, 0, 0, 0, 0, 0], [4, 0, 0, 0, 0, 0, 0, 0]) },
  { name: METRICS.httpServerRequestDuration.name, labels: route('POST', '/embeddings', '200'), perScrape: constant([3, 8, 4, 0, 0, 0, 0, 0]) },
  { name: METRICS.genAiOperationDuration.name, labels: model('openai', 'gpt-4o', 'chat'), perScrape: phased([0, 0, 0, 2, 5, 3, 0, 0], [0, 0, 0, 1, 5, 3, 1, 0]) },
  { name: METRICS.genAiOperationDuration.name, labels: model('openai', 'gpt-4o', 'chat', 'rate_limited'), perScrape: phased([1, 0, 0, 0, 0, 0, 0, 0], [2, 0, 0, 0, 0, 0, 0, 0]) },
  { name: METRICS.genAiOperationDuration.name, labels: model('openai', 'gpt-4o-mini', 'chat'), perScrape: constant([0, 0, 4, 10, 6, 0, 0, 0]) },
  { name: METRICS.genAiOperationDuration.name, labels: model('openai', 'text-embedding-3-small', 'embeddings'), perScrape: constant([5, 8, 2, 0, 0, 0, 0, 0]) },
  { name: METRICS.genAiTimeToFirstChunk.name, labels: model('openai', 'gpt-4o', 'chat'), perScrape: phased([0, 2, 4, 3, 1, 0, 0, 0], [0, 0, 1, 4, 5, 0, 0, 0]) },
  { name: METRICS.genAiTimeToFirstChunk.name, labels: model('openai', 'gpt-4o-mini', 'chat'), perScrape: constant([2, 10, 6, 2, 0, 0, 0, 0]) },
  { name: METRICS.genAiTimePerOutputToken.name, labels: model('openai', 'gpt-4o', 'chat'), perScrape: constant([10, 0, 0, 0, 0, 0, 0, 0]) },
  { name: METRICS.genAiTimePerOutputToken.name, labels: model('openai', 'gpt-4o-mini', 'chat'), perScrape: constant([20, 0, 0, 0, 0, 0, 0, 0]) },
];

const MIB = 2 ** 20;
const slo = (name: string, kind: string, target: string, scope: string): Labels => ({
  job: 'demo',
  [SLO_LABEL.name]: name,
  [SLO_LABEL.kind]: kind,
  [SLO_LABEL.target]: target,
  [SLO_LABEL.scope]: scope,
  [SLO_LABEL.alerting]: 'page',
});
const availability = slo('availability', 'availability', '0.99', 'every route');
const gpt4oSuccess = slo('gpt-4o-success', 'ai_success', '0.95', 'openai/gpt-4o');
/** Budget left falls by `perScrape` from `start` over the hour. */
const budget = (start: number, perScrape: (phase: Phase) => number) => (phase: Phase, t: number) =>
  start - (Math.min(t, 1800) / SCRAPE_SECONDS) * perScrape('baseline') - (Math.max(0, t - 1800) / SCRAPE_SECONDS) * perScrape(phase);

const SAMPLES: SampleSeries[] = [
  { name: METRICS.genAiCost.name, labels: model('openai', 'gpt-4o', 'chat'), value: () => 0.05, counter: true },
  { name: METRICS.genAiCost.name, labels: model('openai', 'gpt-4o-mini', 'chat'), value: () => 0.004, counter: true },
  { name: METRICS.genAiCost.name, labels: model('openai', 'text-embedding-3-small', 'embeddings'), value: () => 0.0001, counter: true },
  { name: METRICS.cacheRequests.name, labels: { ...job, [LABEL.cacheName]: 'answers', [LABEL.cacheResult]: 'hit' }, value: () => 6, counter: true },
  { name: METRICS.cacheRequests.name, labels: { ...job, [LABEL.cacheName]: 'answers', [LABEL.cacheResult]: 'miss' }, value: () => 14, counter: true },
  { name: METRICS.cacheSavedCost.name, labels: { ...job, [LABEL.cacheName]: 'answers' }, value: () => 0.012, counter: true },
  { name: METRICS.genAiAttributedCost.name, labels: { ...job, [LABEL.tenant]: 'acme', [LABEL.feature]: 'chat' }, value: () => 0.03, counter: true },
  { name: METRICS.genAiAttributedCost.name, labels: { ...job, [LABEL.tenant]: 'globex', [LABEL.feature]: 'chat' }, value: () => 0.015, counter: true },
  { name: METRICS.genAiAttributedCost.name, labels: { ...job, [LABEL.tenant]: '_other', [LABEL.feature]: 'chat' }, value: () => 0.009, counter: true },
  { name: METRICS.genAiAttributedCost.name, labels: { ...job, [LABEL.tenant]: '_none', [LABEL.feature]: 'search' }, value: () => 0.0001, counter: true },
  { name: BUDGET_RECORDING_RULE, labels: { job: 'demo' }, value: () => 2000, counter: false },
  { name: ATTRIBUTED_BUDGET_RECORDING_RULE.tenant, labels: { job: 'demo', [LABEL.tenant]: 'acme' }, value: () => 5000, counter: false },
  { name: RUNTIME_METRIC.cpuSecondsTotal, labels: job, value: (phase) => (phase === 'baseline' ? 3 : 4.5), counter: true },
  { name: RUNTIME_METRIC.residentMemoryBytes, labels: job, value: (phase, t) => (phase === 'baseline' ? 150 : 180) * MIB + ((t / SCRAPE_SECONDS) % 4) * MIB, counter: false },
  { name: RUNTIME_METRIC.eventLoopLagP99Seconds, labels: job, value: (phase) => (phase === 'baseline' ? 0.02 : 0.03), counter: false },
  { name: SLO_RECORDING_RULE.errorRatio, labels: { ...availability, [SLO_LABEL.window]: '5m' }, value: () => 1 / 49, counter: false },
  { name: SLO_RECORDING_RULE.errorRatio, labels: { ...gpt4oSuccess, [SLO_LABEL.window]: '5m' }, value: (phase) => (phase === 'baseline' ? 1 / 11 : 2 / 12), counter: false },
  { name: SLO_RECORDING_RULE.budgetRemaining, labels: availability, value: budget(0.8, () => 0.0005), counter: false },
  { name: SLO_RECORDING_RULE.budgetRemaining, labels: gpt4oSuccess, value: budget(0.5, (phase) => (phase === 'baseline' ? 0.001 : 0.002)), counter: false },
];

const phaseAt = (t: number): Phase => (t <= 1800 ? 'baseline' : 'regressed');
const labelText = (labels: Labels) => `{${Object.entries(labels).map(([k, v]) => `${k}="${v}"`).join(',')}}`;
const times = () => Array.from({ length: HOUR / SCRAPE_SECONDS + 1 }, (_, i) => i * SCRAPE_SECONDS);

function histogramLines(series: HistogramSeries): string[] {
  const buckets = new Array<number>(BOUNDS.length + 1).fill(0);
  let sum = 0;
  const bucketLines = BOUNDS.map(() => [] as string[]);
  const infLines: string[] = [];
  const countLines: string[] = [];
  const sumLines: string[] = [];
  for (const t of times()) {
    if (t > 0) {
      const counts = series.perScrape(phaseAt(t));
      counts.forEach((n, i) => (buckets[i]! += n));
      // Each observation at its bucket's upper bound (the last at twice the largest).
      sum += counts.reduce((s, n, i) => s + n * (BOUNDS[i] ?? 2 * BOUNDS[BOUNDS.length - 1]!), 0);
    }
    const ts = T0 + t;
    let cumulative = 0;
    BOUNDS.forEach((bound, i) => {
      cumulative += buckets[i]!;
      bucketLines[i]!.push(`${series.name}_bucket${labelText({ ...series.labels, le: String(bound) })} ${cumulative} ${ts}`);
    });
    cumulative += buckets[BOUNDS.length]!;
    infLines.push(`${series.name}_bucket${labelText({ ...series.labels, le: '+Inf' })} ${cumulative} ${ts}`);
    countLines.push(`${series.name}_count${labelText(series.labels)} ${cumulative} ${ts}`);
    sumLines.push(`${series.name}_sum${labelText(series.labels)} ${Number(sum.toFixed(6))} ${ts}`);
  }
  return [...bucketLines.flat(), ...infLines, ...countLines, ...sumLines];
}

function sampleLines(series: SampleSeries): string[] {
  let total = 0;
  return times().map((t) => {
    const phase = phaseAt(t);
    if (series.counter) {
      if (t > 0) total += series.value(phase, t);
    } else total = series.value(phase, t);
    return `${series.name}${labelText(series.labels)} ${Number(total.toFixed(9))} ${T0 + t}`;
  });
}

/** The whole hour as an OpenMetrics text, series after series. */
export function syntheticOpenMetrics(): string {
  return [...HISTOGRAMS.flatMap(histogramLines), ...SAMPLES.flatMap(sampleLines), '# EOF', ''].join('\n');
}
