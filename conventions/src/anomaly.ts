/**
 * Anomaly and deploy-regression queries: the recorded series each anomaly
 * alert judges (an AI signal over the last hour), its seasonal baseline (the
 * same hour on each of the last 7 days: mean and standard deviation, GitLab's
 * "anomaly detection using Prometheus" with a daily season) and the band
 * around it; and a service's latency and error ratio per deployed version.
 * The rules (alerting/), the dashboards' band panel and the runbooks read
 * these names, so a band drawn is the band alerted on.
 */
import { ALERT_THRESHOLD } from './alerts';
import { AI_ERROR_TYPE, LABEL } from './labels';
import { METRICS } from './metrics';
import { SERVICE_LABEL, byService, selector, shareBy, sumBy, sumRate } from './promql';
import { quantileOf } from './queries';
import { genAiMetricNames, samplesOf, type SemconvMode, type SeriesSelector } from './semconv';

/** The baseline: the signal's values at the same time of day on each of the last `days` days. */
export const ANOMALY_BASELINE = { days: 7, window: '1h' } as const;

/** Label telling the anomaly rules (and the alerts of one name) apart: the signal's name. */
export const ANOMALY_SIGNAL_LABEL = 'signal';

/** Label of the day offset while the baseline gathers its samples (`1d` … `7d`); aggregated away in every recorded series. */
const OFFSET_LABEL = 'baseline_day';

const BY_MODEL = [LABEL.genAiProviderName, LABEL.genAiRequestModel];

export interface AnomalySignal {
  /** The `signal` label and the middle of the recorded names. */
  readonly name: string;
  /** Labels of each judged series (the service always). */
  readonly by: readonly string[];
  /** `up`: only a rise is an anomaly (slower, failing more); `both`: a fall too (spend or tokens dropping means calls went missing). */
  readonly direction: 'up' | 'both';
  /**
   * The smallest change from the baseline's mean that alerts, in the signal's unit: the band is never narrower than
   * this on either side, so a series that never varies (a standard deviation of 0) alerts on a change that matters,
   * not on noise.
   */
  readonly minChange: number;
  /** Over `window`: the value of each series (no sample where its calls are too few to judge, see {@link judged}). */
  value(window: string, mode: SemconvMode): string;
}

/** `expr` where the calls of `calls` paced at least `ALERT_THRESHOLD.anomalyMinCallsPerHour` over `window`, per `by`. */
function judged(expr: string, calls: SeriesSelector, by: readonly string[], window: string): string {
  const pace = `${sumRate(calls.metric, byService(by), { window }, calls.matchers)} * 3600`;
  return `(${expr}) and on (${byService(by).join(', ')}) (${pace} >= ${ALERT_THRESHOLD.anomalyMinCallsPerHour})`;
}

const aiCalls = (mode: SemconvMode) => samplesOf(genAiMetricNames(mode).callDuration, '_count');
const p95Seconds = (histogram: string, window: string) =>
  judged(quantileOf(0.95, samplesOf([histogram], '_bucket'), byService(BY_MODEL), { window }), samplesOf([histogram], '_count'), BY_MODEL, window);

/** The AI signals with a seasonal baseline. */
export const ANOMALY_SIGNAL = {
  aiTimeToFirstChunkP95: {
    name: 'ai_time_to_first_chunk_p95_seconds',
    by: BY_MODEL,
    direction: 'up',
    minChange: 0.5,
    value: (window, mode) => p95Seconds(genAiMetricNames(mode).timeToFirstChunk, window),
  },
  aiTimePerOutputTokenP95: {
    name: 'ai_time_per_output_token_p95_seconds',
    by: BY_MODEL,
    direction: 'up',
    minChange: 0.02,
    value: (window) => p95Seconds(METRICS.genAiTimePerOutputToken.name, window),
  },
  aiErrorRatio: {
    name: 'ai_error_ratio',
    by: BY_MODEL,
    direction: 'up',
    minChange: 0.02,
    // As AiErrorRateHigh: rate limiting is its own alert.
    value: (window, mode) => {
      const calls = aiCalls(mode);
      return judged(shareBy(BY_MODEL, calls.metric, [`${LABEL.errorType}!~"|${AI_ERROR_TYPE.rateLimited}"`], { window }, calls.matchers), calls, BY_MODEL, window);
    },
  },
  aiSpend: {
    name: 'ai_spend_usd_per_hour',
    by: [],
    direction: 'both',
    minChange: 1,
    value: (window, mode) => judged(`${sumRate(METRICS.genAiCost.name, [SERVICE_LABEL], { window })} * 3600`, aiCalls(mode), [], window),
  },
  aiTokensPerCall: {
    name: 'ai_tokens_per_call',
    by: BY_MODEL,
    direction: 'both',
    minChange: 100,
    // Input and output tokens over the calls that reported them (the per-call token histograms).
    value: (window, mode) => {
      const { input, output } = genAiMetricNames(mode).tokensPerCall;
      const labels = byService(BY_MODEL);
      const inputs = sumRate(`${input.metric}_sum`, labels, { window }, input.matchers);
      // Embeddings have no output tokens: their output term is 0, not missing.
      const tokens = `(${inputs} + (${sumRate(`${output.metric}_sum`, labels, { window }, output.matchers)} or ${inputs} * 0))`;
      const calls = { metric: `${input.metric}_count`, matchers: input.matchers };
      return judged(`${tokens} / (${sumRate(calls.metric, labels, { window }, calls.matchers)} > 0)`, calls, BY_MODEL, window);
    },
  },
} as const satisfies Record<string, AnomalySignal>;

export type AnomalySignalKey = keyof typeof ANOMALY_SIGNAL;

/** The recorded series of a signal: its last hour, and that hour's mean, standard deviation and sample count over the last week's same hours. */
export function anomalyRecords(signal: Pick<AnomalySignal, 'name'>) {
  const value = `modelwatch:${signal.name}:1h`;
  return { value, mean: `${value}_mean_same_hour_7d`, stddev: `${value}_stddev_same_hour_7d`, days: `${value}_days_same_hour_7d` };
}

export type BaselineStat = 'mean' | 'stddev' | 'days';
const AGGREGATION: Readonly<Record<BaselineStat, string>> = { mean: 'avg', stddev: 'stddev', days: 'count' };

/**
 * A baseline statistic over the signal's recorded value `offset(day)` ago for each day of the last week (offsets
 * come from the caller, so a timing profile can shrink them with the windows). Each day's sample carries its
 * offset as a label until the aggregation, so the seven are seven series and not one.
 */
export function seasonalBaseline(signal: Pick<AnomalySignal, 'name'>, stat: BaselineStat, offset: (day: number) => string): string {
  const { value } = anomalyRecords(signal);
  const days = Array.from({ length: ANOMALY_BASELINE.days }, (_, i) => `label_replace(${value} offset ${offset(i + 1)}, "${OFFSET_LABEL}", "${i + 1}d", "", "")`);
  return `${AGGREGATION[stat]} without (${OFFSET_LABEL}) (${days.join(' or ')})`;
}

/** The baseline's standard deviation, never under the signal's minimum change over k: the band is at least the minimum change wide on either side. */
function flooredStddev(signal: AnomalySignal, matchers: readonly string[]): string {
  // Written as a division: k times a rounded quotient would miss the minimum change by a rounding error.
  return `clamp_min(${selector(anomalyRecords(signal).stddev, {}, matchers)}, ${signal.minChange} / ${ALERT_THRESHOLD.anomalyStddevs.warning})`;
}

/**
 * How far the last hour is from its baseline's mean, in (floored) standard deviations: the alert fires above k,
 * so never on a change under the minimum. Judged only with all 7 days of history (a new model, or a quiet hour
 * on one of the days, is not judged). Signed for a signal that alerts on a rise only, absolute for one that
 * alerts both ways.
 */
export function anomalyScoreQuery(signal: AnomalySignal, matchers: readonly string[] = []): string {
  const records = anomalyRecords(signal);
  const deviation = `(${selector(records.value, {}, matchers)} - ${selector(records.mean, {}, matchers)}) / ${flooredStddev(signal, matchers)}`;
  const score = signal.direction === 'both' ? `abs(${deviation})` : deviation;
  return `(${score} and ${selector(records.days, {}, matchers)} >= ${ANOMALY_BASELINE.days})`;
}

/** The band's upper or lower edge (mean ± k standard deviations, at least the minimum change): what the dashboards draw. */
export function anomalyBandQuery(signal: AnomalySignal, edge: 'upper' | 'lower', matchers: readonly string[] = []): string {
  return `${selector(anomalyRecords(signal).mean, {}, matchers)} ${edge === 'upper' ? '+' : '-'} ${ALERT_THRESHOLD.anomalyStddevs.warning} * ${flooredStddev(signal, matchers)}`;
}

/**
 * The deployed version of each instance: OpenTelemetry's `target_info` info metric (value 1), whose
 * `service_version` label is the resource's `service.version`. Joined on the instance, it puts the version on
 * a service's series without a version label on each of them.
 */
export const VERSION_INFO = { metric: METRICS.targetInfo.name, label: LABEL.serviceVersion } as const;

const BY_VERSION = [SERVICE_LABEL, VERSION_INFO.label];
const INSTANCE = [SERVICE_LABEL, 'instance'];

/** Recorded per service and version: the last hour's HTTP p95 and 5xx share. */
export const DEPLOY_RECORDING_RULE = {
  latencyP95: 'modelwatch:version_http_p95_seconds:1h',
  errorRatio: 'modelwatch:version_http_error:ratio_1h',
} as const;
export type DeploySignal = keyof typeof DEPLOY_RECORDING_RULE;

/** `rate(metric[window])` per `by` and version, each instance's rate counted for the version it runs now. */
function rateByVersion(metric: string, by: readonly string[], window: string, extra: readonly string[] = []): string {
  return sumBy([...by, VERSION_INFO.label], `rate(${selector(metric, {}, extra)}[${window}]) * on (${INSTANCE.join(', ')}) group_left (${VERSION_INFO.label}) ${VERSION_INFO.metric}`);
}

/** The value each deploy rule records over `window`, for versions serving at least `ALERT_THRESHOLD.deployRegression.minRequestsPerHour`. */
export function deploySignalQuery(signal: DeploySignal, window: string): string {
  const http = METRICS.httpServerRequestDuration.name;
  const value =
    signal === 'latencyP95'
      ? `histogram_quantile(0.95, ${rateByVersion(`${http}_bucket`, ['le', SERVICE_LABEL], window)})`
      : `(${rateByVersion(`${http}_count`, [SERVICE_LABEL], window, [`${LABEL.httpResponseStatusCode}=~"5.."`])} or ${rateByVersion(`${http}_count`, [SERVICE_LABEL], window)} * 0) / (${rateByVersion(`${http}_count`, [SERVICE_LABEL], window)} > 0)`;
  return `(${value}) and on (${BY_VERSION.join(', ')}) (${rateByVersion(`${http}_count`, [SERVICE_LABEL], window)} * 3600 >= ${ALERT_THRESHOLD.deployRegression.minRequestsPerHour})`;
}

/**
 * The versions a service ran in the last `lookback` and no longer runs, at their worst: the highest value each
 * recorded in its last hour (a version's series ends when its instances stop reporting it). Per service.
 */
export function previousVersionsQuery(signal: DeploySignal, lookback: string): string {
  const record = DEPLOY_RECORDING_RULE[signal];
  return `max by (${SERVICE_LABEL}) (last_over_time(${record}[${lookback}]) unless on (${BY_VERSION.join(', ')}) ${record})`;
}

/**
 * The running versions against the versions replaced in the last `lookback`: latency as a factor of theirs (and
 * at least the minimum increase slower), the error ratio as its increase over theirs. No sample while the old
 * version still runs (a rolling deploy compares once it is done) or after `lookback`.
 */
export function deployRegressionQuery(signal: DeploySignal, lookback: string): string {
  const record = DEPLOY_RECORDING_RULE[signal];
  const previous = `on (${SERVICE_LABEL}) group_left () ${previousVersionsQuery(signal, lookback)}`;
  if (signal === 'errorRatio') return `(${record} - ${previous})`;
  return `(${record} / ${previous} and (${record} - ${previous}) > ${ALERT_THRESHOLD.deployRegression.minLatencyIncreaseSeconds})`;
}

/** Every series the anomaly and deploy rules record. */
export const ANOMALY_RECORDING_RULES: readonly string[] = [...Object.values(ANOMALY_SIGNAL).flatMap((signal) => Object.values(anomalyRecords(signal))), ...Object.values(DEPLOY_RECORDING_RULE)];

/**
 * Does `expr` read the anomaly or deploy rules? Their series need a week of history (the baselines), enough calls
 * in an hour, or a `target_info` with the version: a live test on a fresh stack leaves such queries out (promtool
 * checks them on days of synthetic series).
 */
export function readsAnomalyRules(expr: string): boolean {
  return ANOMALY_RECORDING_RULES.some((record) => expr.includes(record));
}
