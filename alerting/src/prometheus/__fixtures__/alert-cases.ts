/**
 * Input series for the promtool unit tests of every alert: per alert name, a
 * few scenarios (raw series as the exporter writes them, an evaluation time)
 * and the alerts expected then — severity, extra labels, the labels of the
 * series and the value as the description must show it. The healthy scenario
 * of each expects nothing.
 */
import { join } from 'node:path';
import { ALERT, LABEL, METRICS, RUNTIME_METRIC, SLO_LABEL, objectiveLabels, type AlertName, type Objective } from '@modelwatch/conventions';
import { DEMO_SPEC } from '../../generate';
import { REPO_ROOT } from '../../repo';
import { loadSpec } from '../../slo-spec/load';
import { serviceObjectives } from '../../slo-spec/objectives';
import { ANOMALY_CASES } from './anomaly-cases';

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
const ttfc = METRICS.genAiTimeToFirstChunk.name;
const model = `${LABEL.genAiProviderName}="openai",${LABEL.genAiRequestModel}="gpt-4o-mini",${LABEL.genAiOperationName}="chat"`;
const modelLabels = { job: 'demo', [LABEL.genAiProviderName]: 'openai', [LABEL.genAiRequestModel]: 'gpt-4o-mini' };
const demo = { job: 'demo' };
const instance = { job: 'demo', instance: 'demo:8080' };
const inst = `${job},instance="demo:8080"`;

/** The demo's objectives (demo/slos.yaml), by name: burn alerts carry their labels. */
const DEMO = serviceObjectives(loadSpec(join(REPO_ROOT, DEMO_SPEC))).find((service) => 'job' in service.jobs && service.jobs.job === 'demo')!;
function objective(name: string): Objective {
  const found = DEMO.objectives.find((o) => o.name === name);
  if (!found) throw new Error(`demo/slos.yaml has no objective ${name}`);
  return found;
}

/**
 * One route's requests per minute: `ok` answered 200 and `errors` 500; `fast`
 * maps a bucket bound to the share of them at or under it (1 when left out).
 */
function route(methodAndRoute: string, { ok, errors = 0, fast = {}, minutes = 300 }: { ok: number; errors?: number; fast?: Record<string, number>; minutes?: number }): Record<string, string> {
  const [method, path] = methodAndRoute.split(' ');
  const labels = `${job},${LABEL.httpRequestMethod}="${method}",${LABEL.httpRoute}="${path}"`;
  const series: Record<string, string> = {};
  for (const [status, count] of [['200', ok], ['500', errors]] as const) {
    if (count === 0) continue;
    series[`${http}_count{${labels},${LABEL.httpResponseStatusCode}="${status}"}`] = `0+${count}x${minutes}`;
    for (const le of ['0.5', '5', '10']) series[`${http}_bucket{${labels},${LABEL.httpResponseStatusCode}="${status}",le="${le}"}`] = `0+${count * (fast[le] ?? 1)}x${minutes}`;
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

function aiCalls(perMinute: Record<string, number>, minutes = 30): Record<string, string> {
  return Object.fromEntries(Object.entries(perMinute).map(([errorType, n]) => [`${ai}_count{${job},${model},${LABEL.errorType}="${errorType}"}`, `0+${n}x${minutes}`]));
}

function cacheLookups(cache: string, { hit, miss, error = 0 }: { hit: number; miss: number; error?: number }, minutes = 300): Record<string, string> {
  const series = (result: string) => `${METRICS.cacheRequests.name}{${job},${LABEL.cacheName}="${cache}",${LABEL.cacheResult}="${result}"}`;
  return { [series('hit')]: `0+${hit}x${minutes}`, [series('miss')]: `0+${miss}x${minutes}`, ...(error > 0 ? { [series('error')]: `0+${error}x${minutes}` } : {}) };
}

/**
 * Attributed spend in USD per minute by tenant and feature, at {@link ATTRIBUTED_INTERVAL} steps for 26 hours: the
 * month projections read the last day's rate, which counts a day's window whole (2 hours of data in it would read
 * as a twelfth of their pace).
 */
function attributedSpend(perMinute: readonly { tenant: string; feature: string; usd: number }[]): Record<string, string> {
  return Object.fromEntries(perMinute.map(({ tenant, feature, usd }) => [`${METRICS.genAiAttributedCost.name}{${job},${LABEL.tenant}="${tenant}",${LABEL.feature}="${feature}"}`, `0+${usd * 10}x${26 * 6}`]));
}
const ATTRIBUTED_INTERVAL = '10m';

/**
 * The demo's normal month (demo/slos.yaml: about $340 a day) split as it attributes it: tenants acme 40 %, globex
 * 25 %, initech 10 %, the rest folded into _other; features chat 70 %, recommendations 25 %, embeddings 5 %.
 */
const DEMO_ATTRIBUTED_SPEND = Object.entries({ acme: 0.4, globex: 0.25, initech: 0.1, _other: 0.25 }).flatMap(([tenant, tenantShare]) =>
  Object.entries({ chat: 0.7, recommendations: 0.25, embeddings: 0.05 }).map(([feature, featureShare]) => ({ tenant, feature, usd: (340 / 1440) * tenantShare * featureShare })),
);

/** An attributed budget alert of the demo at one level (`threshold` label) for one tenant or feature. */
function overBudget(owner: 'tenant' | 'feature', name: string, threshold: string, value: string): ExpectedAlert {
  return { severity: 'warning', ruleLabels: { job: 'demo', threshold }, labels: { ...demo, [LABEL[owner]]: name }, value };
}

/**
 * One instance's rate-limit gauges of a kind of limit, flat for 30 minutes; the reset is `resetIn` seconds ahead at
 * every minute, or at a fixed time (`resetAt`, seconds from the start).
 */
function rateLimit(limitType: string, { limit, remaining, resetIn, resetAt, instance = 'demo:8080' }: { limit: number; remaining: number; resetIn?: number; resetAt?: number; instance?: string }): Record<string, string> {
  const labels = `${job},instance="${instance}",${LABEL.genAiProviderName}="openai",${LABEL.genAiRequestModel}="gpt-4o-mini",${LABEL.rateLimitType}="${limitType}"`;
  return {
    [`${METRICS.genAiRateLimitLimit.name}{${labels}}`]: `${limit}x30`,
    [`${METRICS.genAiRateLimitRemaining.name}{${labels}}`]: `${remaining}x30`,
    [`${METRICS.genAiRateLimitReset.name}{${labels}}`]: resetIn === undefined ? `${resetAt}x30` : `${resetIn}+60x30`,
  };
}

function tokensPerMinute(type: string, n: number, minutes = 30): Record<string, string> {
  return { [`${METRICS.genAiTokens.name}{${job},${LABEL.genAiProviderName}="openai",${LABEL.genAiRequestModel}="gpt-4o-mini",${LABEL.genAiTokenType}="${type}"}`]: `0+${n}x${minutes}` };
}

const limitAlert = (limitType: string, value: string): ExpectedAlert => ({ severity: 'warning', labels: { ...modelLabels, [LABEL.rateLimitType]: limitType }, value });

function substitutions(served: string, perMinute: number, minutes = 60): Record<string, string> {
  return { [`${METRICS.genAiModelSubstitutions.name}{${job},${LABEL.genAiProviderName}="openai",${LABEL.genAiRequestModel}="gpt-4o-mini",${LABEL.genAiResponseModel}="${served}"}`]: `0+${perMinute}x${minutes}` };
}

/** The burn alert of a demo objective: critical is its page, warning its ticket; `series` are the labels its SLI is grouped by. */
function burn(name: string, severity: 'critical' | 'warning', value: string, series: Record<string, string> = demo): ExpectedAlert {
  return { severity, ruleLabels: { job: 'demo', [SLO_LABEL.name]: name }, labels: { ...series, ...objectiveLabels(objective(name)) }, value };
}

export const ALERT_CASES: Record<AlertName, Scenario[]> = {
  [ALERT.availabilityBudgetBurn]: [
    {
      // Burn 50: the page's worst pair is 6h at 50/6; the ticket's 3d at 50/1.
      title: '5% errors burn the budget 50× in every window: page and ticket',
      series: route('GET /items', { ok: 95, errors: 5 }),
      evalTime: '4h',
      expect: [burn('availability', 'critical', '8.3×'), burn('availability', 'warning', '50.0×')],
    },
    {
      title: '1% errors (10×) page through the 6h pair only, and open a ticket',
      series: route('GET /items', { ok: 99, errors: 1 }),
      evalTime: '4h',
      expect: [burn('availability', 'critical', '1.7×'), burn('availability', 'warning', '10.0×')],
    },
    { title: '0.2% errors (2×) open a ticket and page nobody', series: route('GET /items', { ok: 998, errors: 2 }), evalTime: '4h', expect: [burn('availability', 'warning', '2.0×')] },
    { title: 'healthy', series: route('GET /items', { ok: 2000, errors: 1 }), evalTime: '4h', expect: [] },
  ],
  [ALERT.latencyBudgetBurn]: [
    {
      title: '5% of the fast routes over 0.5 s (5×) open a ticket, page nobody',
      series: route('GET /items', { ok: 100, fast: { '0.5': 0.95 } }),
      evalTime: '4h',
      expect: [burn('latency', 'warning', '5.0×')],
    },
    { title: 'half over 0.5 s pages', series: route('GET /items', { ok: 100, fast: { '0.5': 0.5 } }), evalTime: '4h', expect: [burn('latency', 'critical', '8.3×'), burn('latency', 'warning', '50.0×')] },
    {
      title: '20% of chats over 10 s page through their own objective',
      series: route('POST /chat', { ok: 100, fast: { '0.5': 0, '5': 0.5, '10': 0.8 } }),
      evalTime: '4h',
      expect: [burn('POST /chat: latency', 'critical', '3.3×'), burn('POST /chat: latency', 'warning', '20.0×')],
    },
    // The realistic case: answers that take seconds are what a chat route promises, not a fault.
    { title: 'chats taking 1 to 10 s and fast routes under 0.5 s', series: { ...route('POST /chat', { ok: 100, fast: { '0.5': 0, '5': 0.7 } }), ...route('GET /items', { ok: 100 }) }, evalTime: '4h', expect: [] },
  ],
  [ALERT.aiSuccessBudgetBurn]: [
    {
      // Ticket-only: all four pairs open a ticket; the worst is 3d at 10/1.
      title: "10% of a model's calls fail: a ticket naming the model, no page",
      series: aiCalls({ '': 90, server_error: 10 }, 300),
      evalTime: '4h',
      expect: [burn('chat models: success', 'warning', '10.0×', modelLabels)],
    },
    { title: 'healthy', series: aiCalls({ '': 995, server_error: 5 }, 300), evalTime: '4h', expect: [] },
  ],
  [ALERT.aiLatencyBudgetBurn]: [
    {
      title: 'every first chunk later than 2.56 s (100× a 99% target)',
      series: histogram(ttfc, `${job},${model},${LABEL.errorType}=""`, 2.56, 5.12, 100, 300),
      evalTime: '4h',
      expect: [burn('chat models: time to first chunk', 'warning', '100.0×', modelLabels)],
    },
    { title: 'first chunks between 0.64 and 2.56 s', series: histogram(ttfc, `${job},${model},${LABEL.errorType}=""`, 0.64, 2.56, 100, 300), evalTime: '4h', expect: [] },
  ],
  [ALERT.cacheBudgetBurn]: [
    {
      title: '5% of the answer cache lookups fail (5× a 99% target)',
      series: cacheLookups('answers', { hit: 40, miss: 55, error: 5 }),
      evalTime: '4h',
      expect: [burn('answers: success', 'warning', '5.0×', { ...demo, [LABEL.cacheName]: 'answers' })],
    },
    { title: 'no failed lookups', series: cacheLookups('answers', { hit: 40, miss: 60 }), evalTime: '4h', expect: [] },
  ],
  [ALERT.aiErrorRate]: [
    { title: '10% server errors', series: aiCalls({ '': 90, server_error: 10 }), evalTime: '20m', expect: [{ severity: 'warning', labels: modelLabels, value: '10%' }] },
    { title: 'rate limiting alone does not count', series: aiCalls({ '': 90, rate_limited: 10 }), evalTime: '20m', expect: [] },
  ],
  [ALERT.aiRateLimited]: [
    { title: '10% answered 429', series: aiCalls({ '': 90, rate_limited: 10 }), evalTime: '20m', expect: [{ severity: 'warning', labels: modelLabels, value: '10%' }] },
    { title: 'server errors are another alert', series: aiCalls({ '': 90, server_error: 10 }), evalTime: '20m', expect: [] },
  ],
  [ALERT.aiRateLimitExhaustion]: [
    {
      // Requests: 10 a second for the 40 s to the reset is 400 against 100 left. Output tokens: 100 a second for 30 s
      // is 3000 against 1000 left. Input tokens: 10% left too, but 50 a second for 30 s uses only 1500 of the 2000.
      title: 'the requests and output-token limits run out before they reset; the input-token limit lasts',
      series: {
        ...aiCalls({ '': 600 }),
        ...rateLimit('requests', { limit: 1000, remaining: 100, resetIn: 40 }),
        ...tokensPerMinute('input', 3000),
        ...tokensPerMinute('output', 6000),
        ...rateLimit('output_tokens', { limit: 10000, remaining: 1000, resetIn: 30 }),
        ...rateLimit('input_tokens', { limit: 20000, remaining: 2000, resetIn: 30 }),
      },
      evalTime: '20m',
      expect: [limitAlert('requests', '4.0×'), limitAlert('output_tokens', '3.0×')],
    },
    {
      // The same pace would use 1000 of 600 left, but 60% of the limit is left: a burst, not a trend.
      title: 'a burst far from the limit',
      series: { ...aiCalls({ '': 1200 }), ...rateLimit('requests', { limit: 1000, remaining: 600, resetIn: 50 }) },
      evalTime: '20m',
      expect: [],
    },
    {
      // Read together, the idle instance's 10 left would make 10 a second for 40 s look like exhaustion.
      title: "an idle instance's headers from a window that has reset since; the busy one has plenty left",
      series: {
        ...aiCalls({ '': 600 }),
        ...rateLimit('requests', { limit: 1000, remaining: 10, resetAt: 60, instance: 'demo:8081' }),
        ...rateLimit('requests', { limit: 1000, remaining: 900, resetIn: 40 }),
      },
      evalTime: '20m',
      expect: [],
    },
  ],
  [ALERT.aiModelSubstituted]: [
    {
      title: 'a tenth of the calls to gpt-4o-mini are answered by gpt-4o',
      series: { ...aiCalls({ '': 100 }, 60), ...substitutions('gpt-4o', 10) },
      evalTime: '40m',
      expect: [{ severity: 'info', labels: { ...modelLabels, [LABEL.genAiResponseModel]: 'gpt-4o' }, value: '10%' }],
    },
    { title: 'an occasional fallback', series: { ...aiCalls({ '': 100 }, 60), ...substitutions('gpt-4o', 2) }, evalTime: '40m', expect: [] },
  ],
  [ALERT.aiSpendOverBudget]: [
    {
      // The demo's budget is $15000 a month ($500 a day). $10 a minute: $14400 a day; over the 1d window only 2 h of data ($1200) → $36000 in 30 days.
      title: '$10 a minute overspends the day and the month',
      series: { [`${METRICS.genAiCost.name}{${job},${model}}`]: '0+10x120' },
      evalTime: '2h',
      expect: [
        { severity: 'warning', ruleLabels: { job: 'demo', projection: 'day' }, labels: demo, value: '2880%' },
        { severity: 'warning', ruleLabels: { job: 'demo', projection: 'month' }, labels: demo, value: '240%' },
      ],
    },
    { title: "the demo's own pace, about $340 a day, is within its budget", series: { [`${METRICS.genAiCost.name}{${job},${model}}`]: '0+0.25x120' }, evalTime: '2h', expect: [] },
  ],
  [ALERT.aiTenantSpendOverBudget]: [
    {
      // This month (promtool's clock starts in January 1970: 31 days) at these paces: acme $5580 of $6000 (93%), globex
      // $4464 of $4000 (111.6%: every level; Alertmanager keeps the 100% one), initech $892.80 of $1500. _other spends
      // most and has no budget of its own.
      title: 'acme past 80% of its budget, globex past all of it; initech and _other not judged over',
      interval: ATTRIBUTED_INTERVAL,
      series: attributedSpend([
        { tenant: 'acme', feature: 'chat', usd: 0.125 },
        { tenant: 'globex', feature: 'chat', usd: 0.1 },
        { tenant: 'initech', feature: 'chat', usd: 0.02 },
        { tenant: '_other', feature: 'chat', usd: 1 },
      ]),
      evalTime: '26h',
      expect: [
        overBudget('tenant', 'acme', '80%', '93%'),
        overBudget('tenant', 'globex', '80%', '111.6%'),
        overBudget('tenant', 'globex', '95%', '111.6%'),
        overBudget('tenant', 'globex', '100%', '111.6%'),
      ],
    },
    { title: "the demo's own pace, split by tenant, is under every warning", interval: ATTRIBUTED_INTERVAL, series: attributedSpend(DEMO_ATTRIBUTED_SPEND), evalTime: '26h', expect: [] },
  ],
  [ALERT.aiFeatureSpendOverBudget]: [
    {
      // Over January's 31 days: chat $13392 of $11000 (121.7%), recommendations $3571.20 of $4000 (89.28%), embeddings $446.40 of $800.
      title: 'chat past its whole budget, recommendations past 80%; embeddings within',
      interval: ATTRIBUTED_INTERVAL,
      series: attributedSpend([
        { tenant: 'acme', feature: 'chat', usd: 0.2 },
        { tenant: 'globex', feature: 'chat', usd: 0.1 },
        { tenant: 'acme', feature: 'recommendations', usd: 0.08 },
        { tenant: 'acme', feature: 'embeddings', usd: 0.01 },
      ]),
      evalTime: '26h',
      expect: [
        overBudget('feature', 'chat', '80%', '121.7%'),
        overBudget('feature', 'chat', '95%', '121.7%'),
        overBudget('feature', 'chat', '100%', '121.7%'),
        overBudget('feature', 'recommendations', '80%', '89.28%'),
      ],
    },
    { title: "the demo's own pace, split by feature, is under every warning", interval: ATTRIBUTED_INTERVAL, series: attributedSpend(DEMO_ATTRIBUTED_SPEND), evalTime: '26h', expect: [] },
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
      // The answer cache's owner expects 20% hits (demo/slos.yaml): 5% is a quarter of it.
      // Judged once it has been looked up for 30 minutes; then the alert waits its 10.
      title: 'the answer cache hits 5% of the time',
      series: cacheLookups('answers', { hit: 5, miss: 95 }, 60),
      evalTime: '45m',
      expect: [{ severity: 'warning', ruleLabels: { job: 'demo', [LABEL.cacheName]: 'answers' }, labels: { ...demo, [LABEL.cacheName]: 'answers' }, value: '25%' }],
    },
    {
      // No expectation: judged against its own last day. 40% hits for 3 hours, none for the last 40 minutes.
      title: 'another cache stops hitting, against its own last day',
      series: {
        [`${METRICS.cacheRequests.name}{${job},${LABEL.cacheName}="recommendations",${LABEL.cacheResult}="hit"}`]: '0+40x180 7200x40',
        [`${METRICS.cacheRequests.name}{${job},${LABEL.cacheName}="recommendations",${LABEL.cacheResult}="miss"}`]: '0+60x220',
      },
      evalTime: '220m',
      expect: [{ severity: 'warning', ruleLabels: { job: 'demo' }, labels: { ...demo, [LABEL.cacheName]: 'recommendations' }, value: '0%' }],
    },
    { title: 'the answer cache hits 30% of the time', series: cacheLookups('answers', { hit: 30, miss: 70 }, 60), evalTime: '45m', expect: [] },
    { title: 'the answer cache hits 5% of the time, but only since 20 minutes: warming up', series: cacheLookups('answers', { hit: 5, miss: 95 }, 60), evalTime: '20m', expect: [] },
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
  [ALERT.targetDown]: [
    { title: 'scrapes fail', series: { [`up{${inst}}`]: '0x10' }, evalTime: '5m', expect: [{ severity: 'critical', labels: instance, value: '0.0' }] },
    { title: 'scrapes work', series: { [`up{${inst}}`]: '1x10' }, evalTime: '5m', expect: [] },
  ],
  [ALERT.watchdog]: [{ title: 'always fires', series: {}, evalTime: '1m', expect: [{ severity: 'none', labels: {}, value: '1.0' }] }],
  ...ANOMALY_CASES,
};
