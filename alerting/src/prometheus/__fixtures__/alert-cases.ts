/**
 * Input series for the promtool unit tests of every alert: per alert name, a
 * few scenarios (raw series as the exporter writes them, an evaluation time)
 * and the alerts expected then — severity, extra labels, the labels of the
 * series and the value as the description must show it. The healthy scenario
 * of each expects nothing.
 */
import { ALERT, LABEL, METRICS, RUNTIME_METRIC, type AlertName } from '@modelwatch/exporter/conventions';

export interface ExpectedAlert {
  severity: string;
  /** Labels of the rule besides severity (e.g. slo, long_window). */
  ruleLabels?: Record<string, string>;
  /** Labels of the alerting series. */
  labels: Record<string, string>;
  /** The value as rendered in the description (humanised). */
  value: string;
}

export interface Scenario {
  title: string;
  /** Test input interval. @defaultValue 1m */
  interval?: string;
  series: Record<string, string>;
  evalTime: string;
  expect: ExpectedAlert[];
}

const job = 'job="demo"';
const http = METRICS.httpServerRequestDuration.name;
const ai = METRICS.genAiOperationDuration.name;
const ttft = METRICS.genAiTimeToFirstChunk.name;
const model = `${LABEL.genAiProviderName}="openai",${LABEL.genAiRequestModel}="gpt-4o-mini"`;
const modelLabels = { job: 'demo', [LABEL.genAiProviderName]: 'openai', [LABEL.genAiRequestModel]: 'gpt-4o-mini' };
const demo = { job: 'demo' };
const instance = { job: 'demo', instance: 'demo:8080' };
const inst = `${job},instance="demo:8080"`;

/** HTTP requests per minute: `ok` answered 200, `errors` 500, all within `le` (a bucket bound) when given. */
function httpTraffic(ok: number, errors: number, fastShare = 1, minutes = 300): Record<string, string> {
  const series: Record<string, string> = {
    [`${http}_count{${job},${LABEL.httpResponseStatusCode}="200"}`]: `0+${ok}x${minutes}`,
    [`${http}_bucket{${job},${LABEL.httpResponseStatusCode}="200",le="0.5"}`]: `0+${ok * fastShare}x${minutes}`,
  };
  if (errors > 0) {
    series[`${http}_count{${job},${LABEL.httpResponseStatusCode}="500"}`] = `0+${errors}x${minutes}`;
    series[`${http}_bucket{${job},${LABEL.httpResponseStatusCode}="500",le="0.5"}`] = `0+${errors * fastShare}x${minutes}`;
  }
  return series;
}

/** A histogram whose `perMinute` observations all fall in the bucket (lower, upper]. */
function histogram(name: string, labels: string, lower: number, upper: number, perMinute = 100, minutes = 30): Record<string, string> {
  return {
    [`${name}_bucket{${labels},le="${lower}"}`]: `0x${minutes}`,
    [`${name}_bucket{${labels},le="${upper}"}`]: `0+${perMinute}x${minutes}`,
    [`${name}_bucket{${labels},le="+Inf"}`]: `0+${perMinute}x${minutes}`,
    [`${name}_count{${labels}}`]: `0+${perMinute}x${minutes}`,
  };
}

function aiCalls(perMinute: Record<string, number>): Record<string, string> {
  return Object.fromEntries(Object.entries(perMinute).map(([errorType, n]) => [`${ai}_count{${job},${model},${LABEL.errorType}="${errorType}"}`, `0+${n}x30`]));
}

const burn = (slo: string, severity: string, long: string, value: string): ExpectedAlert => ({ severity, ruleLabels: { slo, long_window: long }, labels: { ...demo, slo }, value });

export const ALERT_CASES: Record<AlertName, Scenario[]> = {
  [ALERT.availabilityBudgetBurn]: [
    {
      title: '5% errors burn the budget 50× in every window',
      series: httpTraffic(95, 5),
      evalTime: '4h',
      expect: [burn('availability', 'critical', '1h', '50.0×'), burn('availability', 'critical', '6h', '50.0×'), burn('availability', 'warning', '1d', '50.0×'), burn('availability', 'warning', '3d', '50.0×')],
    },
    {
      title: '1% errors (10×) page through the 6h window only and open tickets',
      series: httpTraffic(99, 1),
      evalTime: '4h',
      expect: [burn('availability', 'critical', '6h', '10.0×'), burn('availability', 'warning', '1d', '10.0×'), burn('availability', 'warning', '3d', '10.0×')],
    },
    { title: 'healthy', series: httpTraffic(100, 0), evalTime: '4h', expect: [] },
  ],
  [ALERT.latencyBudgetBurn]: [
    {
      title: '5% slow requests (5×) open tickets, page nobody',
      series: httpTraffic(100, 0, 0.95),
      evalTime: '4h',
      expect: [burn('latency', 'warning', '1d', '5.0×'), burn('latency', 'warning', '3d', '5.0×')],
    },
    {
      title: '50% slow requests page',
      series: httpTraffic(100, 0, 0.5),
      evalTime: '4h',
      expect: [burn('latency', 'critical', '1h', '50.0×'), burn('latency', 'critical', '6h', '50.0×'), burn('latency', 'warning', '1d', '50.0×'), burn('latency', 'warning', '3d', '50.0×')],
    },
    { title: 'healthy', series: httpTraffic(100, 0), evalTime: '4h', expect: [] },
  ],
  [ALERT.httpErrorRate]: [
    { title: '3% errors warn', series: httpTraffic(97, 3, 1, 30), evalTime: '20m', expect: [{ severity: 'warning', labels: demo, value: '3%' }] },
    { title: '10% errors are critical too', series: httpTraffic(90, 10, 1, 30), evalTime: '20m', expect: [{ severity: 'warning', labels: demo, value: '10%' }, { severity: 'critical', labels: demo, value: '10%' }] },
    { title: 'healthy', series: httpTraffic(100, 0, 1, 30), evalTime: '20m', expect: [] },
  ],
  [ALERT.httpLatency]: [
    { title: 'p95 just under 1 s warns', series: histogram(http, `${job},${LABEL.httpRoute}="/chat"`, 0.5, 1), evalTime: '20m', expect: [{ severity: 'warning', labels: demo, value: '975ms' }] },
    {
      title: 'p95 near 10 s is critical too',
      series: histogram(http, `${job},${LABEL.httpRoute}="/chat"`, 5, 10),
      evalTime: '20m',
      expect: [{ severity: 'warning', labels: demo, value: '9.75s' }, { severity: 'critical', labels: demo, value: '9.75s' }],
    },
    { title: 'healthy', series: histogram(http, `${job},${LABEL.httpRoute}="/chat"`, 0, 0.1), evalTime: '20m', expect: [] },
  ],
  [ALERT.httpRouteLatency]: [
    { title: 'one slow route', series: histogram(http, `${job},${LABEL.httpRoute}="/chat"`, 2.5, 5), evalTime: '20m', expect: [{ severity: 'warning', labels: { ...demo, [LABEL.httpRoute]: '/chat' }, value: '4.875s' }] },
    { title: 'healthy', series: histogram(http, `${job},${LABEL.httpRoute}="/chat"`, 0.5, 1), evalTime: '20m', expect: [] },
  ],
  [ALERT.aiErrorRate]: [
    { title: '10% server errors', series: aiCalls({ '': 90, server_error: 10 }), evalTime: '20m', expect: [{ severity: 'warning', labels: modelLabels, value: '10%' }] },
    { title: 'rate limiting alone does not count', series: aiCalls({ '': 90, rate_limited: 10 }), evalTime: '20m', expect: [] },
  ],
  [ALERT.aiRateLimited]: [
    { title: '10% answered 429', series: aiCalls({ '': 90, rate_limited: 10 }), evalTime: '20m', expect: [{ severity: 'warning', labels: modelLabels, value: '10%' }] },
    { title: 'server errors are another alert', series: aiCalls({ '': 90, server_error: 10 }), evalTime: '20m', expect: [] },
  ],
  [ALERT.aiLatency]: [
    { title: 'p95 near 20 s', series: histogram(ai, `${job},${model}`, 10.24, 20.48), evalTime: '20m', expect: [{ severity: 'warning', labels: modelLabels, value: '19.97s' }] },
    { title: 'healthy', series: histogram(ai, `${job},${model}`, 0.64, 1.28), evalTime: '20m', expect: [] },
  ],
  [ALERT.aiTimeToFirstToken]: [
    { title: 'p95 near 5 s', series: histogram(ttft, `${job},${model}`, 2.56, 5.12), evalTime: '20m', expect: [{ severity: 'warning', labels: modelLabels, value: '4.992s' }] },
    { title: 'healthy', series: histogram(ttft, `${job},${model}`, 0.16, 0.32), evalTime: '20m', expect: [] },
  ],
  [ALERT.aiSpendOverBudget]: [
    {
      // $1 a minute: $1440 a day against a $16.67 daily share; over the 1d window only 2 h of data ($120) → 720% of the month's budget.
      title: '$1 a minute overspends the day and the month',
      series: { [`${METRICS.genAiCost.name}{${job},${model}}`]: '0+1x120' },
      evalTime: '2h',
      expect: [
        { severity: 'warning', ruleLabels: { projection: 'day' }, labels: demo, value: '8640%' },
        { severity: 'warning', ruleLabels: { projection: 'month' }, labels: demo, value: '720%' },
      ],
    },
    { title: 'a tenth of a cent a minute is fine', series: { [`${METRICS.genAiCost.name}{${job},${model}}`]: '0+0.001x120' }, evalTime: '2h', expect: [] },
  ],
  [ALERT.aiSpendSpike]: [
    {
      title: '$80 in the last hour against $4 on the same hour of each previous day',
      interval: '15m',
      series: { [`${METRICS.genAiCost.name}{${job},${model}}`]: '0+1x764 784+20x3' },
      evalTime: '8d',
      expect: [{ severity: 'warning', labels: demo, value: '20.0×' }],
    },
    { title: 'steady spend', interval: '15m', series: { [`${METRICS.genAiCost.name}{${job},${model}}`]: '0+1x768' }, evalTime: '8d', expect: [] },
  ],
  [ALERT.aiUnpricedCalls]: [
    { title: 'a call a minute to an unpriced model', series: { [`${METRICS.genAiUnpricedOperations.name}{${job},${model}}`]: '0+1x30' }, evalTime: '20m', expect: [{ severity: 'info', labels: modelLabels, value: '15.0' }] },
    { title: 'none lately', series: { [`${METRICS.genAiUnpricedOperations.name}{${job},${model}}`]: '3x30' }, evalTime: '20m', expect: [] },
  ],
  [ALERT.cacheHitRatioLow]: [
    {
      title: '10% hits',
      series: { [`${METRICS.cacheRequests.name}{${job},${LABEL.cacheName}="answers",${LABEL.cacheResult}="hit"}`]: '0+10x40', [`${METRICS.cacheRequests.name}{${job},${LABEL.cacheName}="answers",${LABEL.cacheResult}="miss"}`]: '0+90x40' },
      evalTime: '30m',
      expect: [{ severity: 'warning', labels: demo, value: '10%' }],
    },
    {
      title: 'half the lookups hit',
      series: { [`${METRICS.cacheRequests.name}{${job},${LABEL.cacheName}="answers",${LABEL.cacheResult}="hit"}`]: '0+50x40', [`${METRICS.cacheRequests.name}{${job},${LABEL.cacheName}="answers",${LABEL.cacheResult}="miss"}`]: '0+50x40' },
      evalTime: '30m',
      expect: [],
    },
  ],
  [ALERT.dbLatency]: [
    { title: 'p95 near 500 ms', series: histogram(METRICS.dbOperationDuration.name, `${job},${LABEL.dbOperationName}="SELECT"`, 0.1, 0.5), evalTime: '20m', expect: [{ severity: 'warning', labels: demo, value: '480ms' }] },
    { title: 'healthy', series: histogram(METRICS.dbOperationDuration.name, `${job},${LABEL.dbOperationName}="SELECT"`, 0.001, 0.005), evalTime: '20m', expect: [] },
  ],
  [ALERT.memoryNearLimit]: [
    { title: '95% of the limit', series: { [`${RUNTIME_METRIC.residentMemoryBytes}{${inst}}`]: '950x20', [`${METRICS.processMemoryLimit.name}{${inst}}`]: '1000x20' }, evalTime: '10m', expect: [{ severity: 'warning', labels: instance, value: '95%' }] },
    { title: 'half the limit', series: { [`${RUNTIME_METRIC.residentMemoryBytes}{${inst}}`]: '500x20', [`${METRICS.processMemoryLimit.name}{${inst}}`]: '1000x20' }, evalTime: '10m', expect: [] },
  ],
  [ALERT.memoryExhaustion]: [
    {
      title: 'growing 10 bytes a minute from 100 toward a limit of 1000',
      series: { [`${RUNTIME_METRIC.residentMemoryBytes}{${inst}}`]: '100+10x60', [`${METRICS.processMemoryLimit.name}{${inst}}`]: '1000x60', [`${RUNTIME_METRIC.startTimeSeconds}{${inst}}`]: '0x60' },
      evalTime: '60m',
      expect: [{ severity: 'warning', labels: instance, value: '190%' }],
    },
    {
      // Restarted at 40 min, warming up fast: the same growth as above, but the process is younger than the window.
      title: 'growing as fast, but restarted 20 minutes ago',
      series: { [`${RUNTIME_METRIC.residentMemoryBytes}{${inst}}`]: '100+10x60', [`${METRICS.processMemoryLimit.name}{${inst}}`]: '1000x60', [`${RUNTIME_METRIC.startTimeSeconds}{${inst}}`]: '0x40 2400x20' },
      evalTime: '60m',
      expect: [],
    },
    { title: 'flat', series: { [`${RUNTIME_METRIC.residentMemoryBytes}{${inst}}`]: '500x60', [`${METRICS.processMemoryLimit.name}{${inst}}`]: '1000x60', [`${RUNTIME_METRIC.startTimeSeconds}{${inst}}`]: '0x60' }, evalTime: '60m', expect: [] },
  ],
  [ALERT.cpuHigh]: [
    { title: '0.9 cores', series: { [`${RUNTIME_METRIC.cpuSecondsTotal}{${inst}}`]: '0+54x40' }, evalTime: '30m', expect: [{ severity: 'warning', labels: instance, value: '0.9' }] },
    { title: '0.1 cores', series: { [`${RUNTIME_METRIC.cpuSecondsTotal}{${inst}}`]: '0+6x40' }, evalTime: '30m', expect: [] },
  ],
  [ALERT.eventLoopLag]: [
    { title: '300 ms lag', series: { [`${RUNTIME_METRIC.eventLoopLagP99Seconds}{${inst}}`]: '0.3x30' }, evalTime: '20m', expect: [{ severity: 'warning', labels: instance, value: '300ms' }] },
    { title: '20 ms lag', series: { [`${RUNTIME_METRIC.eventLoopLagP99Seconds}{${inst}}`]: '0.02x30' }, evalTime: '20m', expect: [] },
  ],
  [ALERT.healthScoreLow]: [
    // HTTP only: availability (weight 0.3) and latency (0.2, all fast = 100) renormalised over 0.5.
    { title: '3% errors: availability 40.8, score 64.5', series: httpTraffic(97, 3, 1, 30), evalTime: '20m', expect: [{ severity: 'warning', labels: demo, value: '64.5' }] },
    {
      title: '5% errors: availability 0, score 40',
      series: httpTraffic(95, 5, 1, 30),
      evalTime: '20m',
      expect: [{ severity: 'warning', labels: demo, value: '40.0' }, { severity: 'critical', labels: demo, value: '40.0' }],
    },
    { title: 'healthy', series: httpTraffic(100, 0, 1, 30), evalTime: '20m', expect: [] },
  ],
  [ALERT.targetDown]: [
    { title: 'scrapes fail', series: { [`up{${inst}}`]: '0x10' }, evalTime: '5m', expect: [{ severity: 'critical', labels: instance, value: '0.0' }] },
    { title: 'scrapes work', series: { [`up{${inst}}`]: '1x10' }, evalTime: '5m', expect: [] },
  ],
  [ALERT.watchdog]: [{ title: 'always fires', series: {}, evalTime: '1m', expect: [{ severity: 'none', labels: {}, value: '1.0' }] }],
};
