/**
 * Synthetic series for the anomaly and deploy-regression alerts: days of a
 * service with a weekly rhythm (busy days, quiet nights, half the traffic at
 * weekends), sampled every 10 minutes, and the step, spike and drift laid on
 * it. The rhythm alone must never alert: the band is the same hour of the
 * last week. promtool's clock starts on Thursday 1 January 1970, 00:00 UTC,
 * so days 2, 3, 9 and 10 are a weekend and day 8 is a Friday.
 */
import { ALERT, LABEL, METRICS, VERSION_INFO, type AlertName } from '@modelwatch/conventions';
import type { ExpectedAlert, Scenario } from './alert-cases';

const STEP = 10;
const INTERVAL = `${STEP}m`;
/** Minutes from promtool's start to `hour` on `day`. */
const at = (day: number, hour: number) => (day * 24 + hour) * 60;
const evalAt = (day: number, hour: number) => `${at(day, hour) / 60}h`;
const FRIDAY_NOON = { day: 8, hour: 12 };
const SATURDAY_NOON = { day: 9, hour: 12 };
const MONDAY_NOON = { day: 11, hour: 12 };

const isWeekend = (minute: number) => [2, 3].includes(Math.floor(minute / 1440) % 7);

/** Calls per 10 minutes: 150 by day (8 to 20 h), 100 in the evening, 50 at night; half at weekends. */
function calls(minute: number): number {
  const hour = (minute / 60) % 24;
  return (hour < 8 ? 50 : hour < 20 ? 150 : 100) * (isWeekend(minute) ? 0.5 : 1);
}

/** A counter sampled every 10 minutes from 0 up to `until`, each step adding `perStep(minute it ends)`. */
function counter(perStep: (minute: number) => number, until: number): string {
  const values = [0];
  for (let minute = STEP; minute <= until; minute += STEP) values.push(Number((values[values.length - 1]! + perStep(minute)).toPrecision(12)));
  return values.join(' ');
}

/** `series` as if first scraped at `minute`: their samples before it missing. */
function bornAt(series: Record<string, string>, minute: number): Record<string, string> {
  const missing = minute / STEP;
  return Object.fromEntries(Object.entries(series).map(([name, values]) => [name, values.split(' ').map((value, i) => (i < missing ? '_' : value)).join(' ')]));
}

const job = 'job="demo"';
const model = `${LABEL.genAiProviderName}="openai",${LABEL.genAiRequestModel}="gpt-4o-mini"`;
const modelLabels = { job: 'demo', [LABEL.genAiProviderName]: 'openai', [LABEL.genAiRequestModel]: 'gpt-4o-mini' };
const ai = METRICS.genAiOperationDuration.name;

/** AI calls of the demo's model, a share `failing(minute)` of them failing with a server error. */
function aiCalls(until: number, failing: (minute: number) => number = () => 0, scale = 1): Record<string, string> {
  const series = (errorType: string) => `${ai}_count{${job},${model},${LABEL.genAiOperationName}="chat",${LABEL.errorType}="${errorType}"}`;
  return {
    [series('')]: counter((m) => calls(m) * scale * (1 - failing(m)), until),
    [series('server_error')]: counter((m) => calls(m) * scale * failing(m), until),
  };
}

/** A histogram of the demo's model whose observations each step fall in buckets by `shares(minute)`: upper bound → share at or under it. */
function histogram(name: string, labels: string, shares: (minute: number) => Record<string, number>, until: number): Record<string, string> {
  const bounds = Object.keys(shares(0));
  return {
    ...Object.fromEntries(bounds.map((le) => [`${name}_bucket{${labels},le="${le}"}`, counter((m) => calls(m) * shares(m)[le]!, until)])),
    [`${name}_bucket{${labels},le="+Inf"}`]: counter(calls, until),
    [`${name}_count{${labels}}`]: counter(calls, until),
  };
}

/** First chunks between 0.64 and 1.28 s (p95 1.248 s), a share `slow(minute)` of them between 2.56 and 5.12 s instead. */
function firstChunks(until: number, slow: (minute: number) => number): Record<string, string> {
  return histogram(METRICS.genAiTimeToFirstChunk.name, `${job},${model},${LABEL.errorType}=""`, (m) => ({ '0.64': 0, '1.28': 1 - slow(m), '2.56': 1 - slow(m), '5.12': 1 }), until);
}

/** Spend of the demo: 0.5 cents a call. */
function spend(until: number, factor: (minute: number) => number = () => 1, scale = 1): Record<string, string> {
  return { [`${METRICS.genAiCost.name}{${job},${model},${LABEL.genAiOperationName}="chat"}`]: counter((m) => calls(m) * scale * 0.005 * factor(m), until) };
}

/** Per-call token histograms' sums and counts: `input(minute)` input tokens and 200 output tokens a call. */
function tokens(until: number, input: (minute: number) => number): Record<string, string> {
  const usage = (type: string, suffix: string) => `${METRICS.genAiTokenUsage.name}_${suffix}{${job},${model},${LABEL.genAiOperationName}="chat",${LABEL.genAiTokenType}="${type}"}`;
  return {
    [usage('input', 'sum')]: counter((m) => calls(m) * input(m), until),
    [usage('input', 'count')]: counter(calls, until),
    [usage('output', 'sum')]: counter((m) => calls(m) * 200, until),
    [usage('output', 'count')]: counter(calls, until),
  };
}

const from = (day: number, hour: number) => (minute: number) => minute > at(day, hour);
const anomaly = (signal: string, labels: Record<string, string>, value: string): ExpectedAlert => ({ severity: 'warning', ruleLabels: { signal }, labels, value });
const friday = at(FRIDAY_NOON.day, FRIDAY_NOON.hour);

/**
 * HTTP requests per 5 minutes of one instance running `version` from `start` to `end` minutes (absent before and
 * after, as a replaced instance): all in one latency bucket (lower, upper], a share `failing` answered 500.
 */
function instance(name: string, version: string, { start, end, lower, upper, failing = 0 }: { start: number; end: number; lower: number; upper: number; failing?: number }): Record<string, string> {
  const steps = (minutes: number) => minutes / 5;
  // promtool's notation: `_xN` is N missing samples, `a+bxN` N + 1 samples from a by b.
  const live = (perStep: number, first = 0) => [start > 0 ? `_x${steps(start)}` : '', `${first}+${perStep}x${steps(end - start)}`, end < 360 ? `_x${steps(360 - end)}` : ''].filter(Boolean).join(' ');
  const labels = `${job},instance="${name}",${LABEL.httpRequestMethod}="GET",${LABEL.httpRoute}="/items"`;
  const http = METRICS.httpServerRequestDuration.name;
  const series: Record<string, string> = { [`${VERSION_INFO.metric}{${job},instance="${name}",${VERSION_INFO.label}="${version}"}`]: live(0, 1) };
  for (const [status, perStep] of [['200', 200 * (1 - failing)], ['500', 200 * failing]] as const) {
    if (perStep === 0) continue;
    const status_ = `${labels},${LABEL.httpResponseStatusCode}="${status}"`;
    series[`${http}_count{${status_}}`] = live(perStep);
    series[`${http}_bucket{${status_},le="${lower}"}`] = live(0);
    series[`${http}_bucket{${status_},le="${upper}"}`] = live(perStep);
    series[`${http}_bucket{${status_},le="+Inf"}`] = live(perStep);
  }
  return series;
}
const deployed = (version: string, value: string, signal: string): ExpectedAlert => ({ severity: 'warning', ruleLabels: { signal }, labels: { job: 'demo', [VERSION_INFO.label]: version }, value });

export const ANOMALY_CASES = {
  [ALERT.aiSpendAnomaly]: [
    // Saturday's noon against the week's: five weekdays at $4.50 an hour, a weekend at $2.25 (mean $3.86, stddev $1.02): 1.6 stddevs under.
    { title: 'the weekly rhythm: a quiet Saturday noon', interval: INTERVAL, series: { ...aiCalls(at(9, 13)), ...spend(at(9, 13)) }, evalTime: evalAt(SATURDAY_NOON.day, SATURDAY_NOON.hour), expect: [] },
    { title: 'the weekly rhythm: a busy Monday noon after the weekend', interval: INTERVAL, series: { ...aiCalls(at(11, 13)), ...spend(at(11, 13)) }, evalTime: evalAt(MONDAY_NOON.day, MONDAY_NOON.hour), expect: [] },
    {
      // $11.25 an hour against the mean of $3.86 and a stddev of $1.02.
      title: 'a step: Friday spends 2.5 times as much from 10:00',
      interval: INTERVAL,
      series: { ...aiCalls(friday), ...spend(friday, (m) => (from(8, 10)(m) ? 2.5 : 1)) },
      evalTime: evalAt(FRIDAY_NOON.day, FRIDAY_NOON.hour),
      expect: [anomaly('ai_spend_usd_per_hour', { job: 'demo' }, '7.3')],
    },
    {
      title: 'the same step on a service too quiet to judge (a tenth of the calls)',
      interval: INTERVAL,
      series: { ...aiCalls(friday, () => 0, 0.1), ...spend(friday, (m) => (from(8, 10)(m) ? 2.5 : 1), 10) },
      evalTime: evalAt(FRIDAY_NOON.day, FRIDAY_NOON.hour),
      expect: [],
    },
  ],
  [ALERT.aiTokensPerCallAnomaly]: [
    // 900 tokens a call against 600 every day before: no spread, so the band is the minimum change (100 tokens = 3 stddevs).
    { title: 'a step: prompts 300 tokens longer from Friday 10:00', interval: INTERVAL, series: { ...aiCalls(friday), ...tokens(friday, (m) => (from(8, 10)(m) ? 700 : 400)) }, evalTime: evalAt(FRIDAY_NOON.day, FRIDAY_NOON.hour), expect: [anomaly('ai_tokens_per_call', modelLabels, '9.0')] },
    // The same step without the guard would score 9 against three days of 600 tokens; a week of history is needed.
    {
      title: 'a model first seen on Tuesday is not judged, whatever its step',
      interval: INTERVAL,
      series: bornAt({ ...aiCalls(friday), ...tokens(friday, (m) => (from(8, 10)(m) ? 700 : 400)) }, at(5, 0)),
      evalTime: evalAt(FRIDAY_NOON.day, FRIDAY_NOON.hour),
      expect: [],
    },
    // 1 % more a day: Friday's noon is 24 tokens over the mean of its week, within the minimum change.
    { title: 'a slow drift: prompts grow 1% a day, which the band follows', interval: INTERVAL, series: { ...aiCalls(friday), ...tokens(friday, (m) => 400 + 6 * (m / 1440)) }, evalTime: evalAt(FRIDAY_NOON.day, FRIDAY_NOON.hour), expect: [] },
  ],
  [ALERT.aiLatencyAnomaly]: [
    {
      // In the hour to noon, 93 % of first chunks are between 2.56 and 5.12 s: p95 4.98 s against 1.248 s every day before.
      title: 'a drift: from Friday 06:00, first chunks slow down over six hours',
      interval: INTERVAL,
      series: { ...aiCalls(friday), ...firstChunks(friday, (m) => Math.min(1, Math.max(0, (m - at(8, 6)) / 360))) },
      evalTime: evalAt(FRIDAY_NOON.day, FRIDAY_NOON.hour),
      expect: [anomaly('ai_time_to_first_chunk_p95_seconds', modelLabels, '22.4')],
    },
    {
      // p95 2.496 s on weekdays, 1.248 s at weekends: Friday's noon is 0.6 stddevs over the week's mean.
      title: 'the weekly rhythm: slower on weekdays than at weekends, on a Friday',
      interval: INTERVAL,
      series: { ...aiCalls(friday), ...firstChunks(friday, (m) => (isWeekend(m) ? 0 : 1)) },
      evalTime: evalAt(FRIDAY_NOON.day, FRIDAY_NOON.hour),
      expect: [],
    },
  ],
  [ALERT.aiErrorRatioAnomaly]: [
    {
      // 4 of the hour's 6 steps at 20 %, 2 at 1 %: 13.7 % against 1 %; the minimum change (2 points) is 3 stddevs.
      title: 'a spike: a fifth of the calls fail from Friday 11:00 for 40 minutes',
      interval: INTERVAL,
      series: aiCalls(friday, (m) => (m > at(8, 11) && m <= at(8, 11) + 40 ? 0.2 : 0.01)),
      evalTime: evalAt(FRIDAY_NOON.day, FRIDAY_NOON.hour),
      expect: [anomaly('ai_error_ratio', modelLabels, '19.0')],
    },
    { title: 'a steady 1% of failures', interval: INTERVAL, series: aiCalls(friday, () => 0.01), evalTime: evalAt(FRIDAY_NOON.day, FRIDAY_NOON.hour), expect: [] },
    {
      title: 'a model too quiet to judge (a tenth of the calls) failing half of them',
      interval: INTERVAL,
      series: aiCalls(friday, (m) => (from(8, 10)(m) ? 0.5 : 0.01), 0.1),
      evalTime: evalAt(FRIDAY_NOON.day, FRIDAY_NOON.hour),
      expect: [],
    },
  ],
  [ALERT.deployRegression]: [
    {
      // v1 (p95 0.2425 s, 0.5 % 5xx) replaced at 3 h by v2 (p95 0.4875 s, 5 % 5xx) on another instance.
      title: 'v2 is twice as slow and fails ten times as often as the v1 it replaced',
      interval: '5m',
      series: { ...instance('demo:8080', 'v1', { start: 0, end: 180, lower: 0.1, upper: 0.25, failing: 0.005 }), ...instance('demo:8081', 'v2', { start: 180, end: 360, lower: 0.25, upper: 0.5, failing: 0.05 }) },
      evalTime: '5h',
      expect: [deployed('v2', '2.0×', 'http_p95_seconds'), deployed('v2', '4.5%', 'http_error_ratio')],
    },
    {
      title: 'v2 as fast and as reliable as v1',
      interval: '5m',
      series: { ...instance('demo:8080', 'v1', { start: 0, end: 180, lower: 0.1, upper: 0.25 }), ...instance('demo:8081', 'v2', { start: 180, end: 360, lower: 0.1, upper: 0.25 }) },
      evalTime: '5h',
      expect: [],
    },
    {
      // Compared once the old version has stopped: while both serve, v2 could be a canary on a share of the traffic.
      title: 'a slower v2 while v1 still serves beside it',
      interval: '5m',
      series: { ...instance('demo:8080', 'v1', { start: 0, end: 360, lower: 0.1, upper: 0.25 }), ...instance('demo:8081', 'v2', { start: 180, end: 360, lower: 0.25, upper: 0.5 }) },
      evalTime: '5h',
      expect: [],
    },
  ],
} satisfies Partial<Record<AlertName, Scenario[]>>;
