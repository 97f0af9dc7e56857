/**
 * The health score agrees with the pages, checked on the committed rules with
 * promtool: each objective's score is the TypeScript maths of the conventions,
 * the band is critical exactly when a page fires, nothing fires while the band
 * is healthy; and end to end from raw series, a healthy service scores ≥ 95, a
 * user-facing outage pages and names its objective, and a dependency outage
 * hidden by failover opens a ticket and degrades the band without paging.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ALERT,
  BURN_RATE_PAIRS,
  HEALTH_BANDS,
  HEALTH_RECORDING_RULE,
  LABEL,
  METRICS,
  RUNTIME_METRIC,
  SLO_LABEL,
  SLO_MIN_BAD_EVENTS,
  SLO_RECORDING_RULE,
  alertPairs,
  healthBand,
  judgedBurnRate,
  objectiveLabels,
  objectiveScore,
  type BurnRatePair,
  type Objective,
} from '@modelwatch/conventions';
import { DEMO_SPEC } from '../generate';
import { REPO_ROOT } from '../repo';
import { loadSpec } from '../slo-spec/load';
import { serviceObjectives, type ServiceObjectives } from '../slo-spec/objectives';
import { promtoolHarness } from './__fixtures__/promtool-harness';
import { isAlertingRule } from './committed-rules';

const { ruleSubset, runPromtool, cleanUp } = promtoolHarness('modelwatch-health-tests-');
// promtool evaluates every rule of the demo over hours of input: 15–30 s on an idle 2-core host, and five times
// that on a loaded one (a run timed out at 120 s there). A guard against a hang, not a speed goal.
const PROMTOOL_TIMEOUT_MS = 300_000;
afterAll(cleanUp);

const services = serviceObjectives(loadSpec(join(REPO_ROOT, DEMO_SPEC)));
const defaults = services.find((s) => 'allBut' in s.jobs)!;
const objectiveNamed = (service: ServiceObjectives, name: string): Objective => service.objectives.find((o) => o.name === name)!;

/** Prometheus series selector text from labels. */
const selectorOf = (name: string, labels: Record<string, string>) => `${name}{${Object.entries(labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}}`;
const rounded = (value: number) => Math.round(value * 1000) / 1000;

type PairBurns = Partial<Record<BurnRatePair['long'], number>>;

/** Burn rates per window that give these pair burn rates (each pair's lower window holds the pair's value, the other a higher one). */
function windowBurns(pairs: Required<PairBurns>): Record<string, number> {
  const windows: Record<string, number> = {};
  for (const pair of BURN_RATE_PAIRS) {
    // A window shared by two pairs (6h) takes the larger of what each needs.
    windows[pair.long] = Math.max(windows[pair.long] ?? 0, pairs[pair.long]);
    windows[pair.short] = Math.max(windows[pair.short] ?? 0, pairs[pair.long]);
  }
  return windows;
}

type BadEvents = Required<Record<BurnRatePair['long'], number>>;

/** The pairs' burn rates as the alerts and the score judge them, given the bad events in each long window. */
function judged(pairs: Required<PairBurns>, bad: BadEvents): Required<PairBurns> {
  return Object.fromEntries(BURN_RATE_PAIRS.map((pair) => [pair.long, judgedBurnRate(pairs[pair.long], bad[pair.long])])) as Required<PairBurns>;
}

/** What the pair burn rates actually are once the windows are set (a shared window can raise a pair). */
function pairsOf(windows: Record<string, number>): Required<PairBurns> {
  return Object.fromEntries(BURN_RATE_PAIRS.map((pair) => [pair.long, Math.min(windows[pair.long]!, windows[pair.short]!)])) as Required<PairBurns>;
}

/** Deterministic pseudo-random burn rates spread over 0.1–100 on a log scale. */
function* randomBurns(seed: number): Generator<number> {
  let state = seed;
  for (;;) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    yield 10 ** ((state / 2 ** 31) * 3 - 1);
  }
}

describe('objective scores and their alerts', () => {
  // Hand-picked around the thresholds, then random: each a pair burn rate per long window.
  const picked: Required<PairBurns>[] = [
    { '1h': 0.5, '6h': 0.5, '1d': 0.5, '3d': 0.5 },
    { '1h': 1.4, '6h': 1.2, '1d': 1.1, '3d': 0.9 },
    { '1h': 20, '6h': 2, '1d': 1, '3d': 0.5 },
    { '1h': 14, '6h': 5.9, '1d': 2.9, '3d': 0.99 },
    { '1h': 3, '6h': 7, '1d': 2, '3d': 0.5 },
    { '1h': 2, '6h': 2, '1d': 4, '3d': 0.5 },
    { '1h': 1, '6h': 1, '1d': 1, '3d': 1.5 },
    { '1h': 100, '6h': 100, '1d': 100, '3d': 100 },
    { '1h': 1000, '6h': 40, '1d': 10, '3d': 3 },
  ];
  const random = randomBurns(29);
  const burns = [...picked, ...Array.from({ length: 15 }, () => ({ '1h': random.next().value, '6h': random.next().value, '1d': random.next().value, '3d': random.next().value }))];
  // Bad events in each long window: plenty, then cases where chance could make the burn rates (a rarely called
  // model, a service minutes old): those pairs count as burning their budget at most.
  const plenty: BadEvents = { '1h': 1000, '6h': 1000, '1d': 1000, '3d': 1000 };
  const cases: Array<{ burns: Required<PairBurns>; bad: BadEvents }> = [
    ...burns.map((pairBurns) => ({ burns: pairBurns, bad: plenty })),
    { burns: { '1h': 100, '6h': 100, '1d': 100, '3d': 100 }, bad: { '1h': SLO_MIN_BAD_EVENTS - 1, '6h': SLO_MIN_BAD_EVENTS - 1, '1d': SLO_MIN_BAD_EVENTS - 1, '3d': SLO_MIN_BAD_EVENTS - 1 } },
    { burns: { '1h': 20, '6h': 20, '1d': 20, '3d': 20 }, bad: { '1h': 1, '6h': 2, '1d': 3, '3d': 4 } },
    { burns: { '1h': 20, '6h': 20, '1d': 20, '3d': 20 }, bad: { '1h': SLO_MIN_BAD_EVENTS, '6h': 1, '1d': 1, '3d': 1 } },
    { burns: { '1h': 0.5, '6h': 7, '1d': 4, '3d': 2 }, bad: { '1h': 0, '6h': 4, '1d': SLO_MIN_BAD_EVENTS, '3d': 4 } },
    { burns: { '1h': 0.5, '6h': 1.2, '1d': 1.5, '3d': 3 }, bad: { '1h': 0, '6h': 1, '1d': 2, '3d': SLO_MIN_BAD_EVENTS } },
  ];
  // The defaults' objectives: availability pages, AI success only opens tickets. Each case is its own job.
  const paging = objectiveNamed(defaults, 'availability');
  const ticketing = objectiveNamed(defaults, 'every model: success');
  const modelLabels = { [LABEL.genAiProviderName]: 'openai', [LABEL.genAiRequestModel]: 'gpt-4o-mini' };

  const expectations = [paging, ticketing].flatMap((objective) =>
    cases.map(({ burns: pairs, bad }, index) => {
      const job = `${objective.page ? 'page' : 'ticket'}-${index}`;
      const windows = windowBurns(pairs);
      const actual = judged(pairsOf(windows), bad);
      const score = objectiveScore(objective.page, actual)!;
      const fires = (urgency: BurnRatePair['urgency']) => alertPairs(objective, urgency).some((pair) => actual[pair.long] > pair.factor);
      const series: Record<string, string> = { job, ...objectiveLabels(objective), ...(objective.scope.over === 'ai' ? modelLabels : {}) };
      return { objective, job, windows, bad, score, series, page: fires('page'), ticket: fires('ticket') };
    }),
  );

  it('hold the invariants in the TypeScript maths: critical exactly when a page fires, no alert while healthy, tickets never below degraded', () => {
    for (const { score, page, ticket, objective } of expectations) {
      expect(healthBand(score) === 'critical', `score ${score}`).toBe(page);
      if (healthBand(score) === 'healthy') expect([page, ticket]).toEqual([false, false]);
      if (!objective.page) expect(score).toBeGreaterThanOrEqual(HEALTH_BANDS.degraded);
      if (ticket) expect(score).toBeLessThan(HEALTH_BANDS.healthy);
    }
    // Every band and every alert state occurs among the cases.
    expect(new Set(expectations.map((e) => healthBand(e.score)))).toEqual(new Set(['healthy', 'degraded', 'critical']));
    expect(expectations.some((e) => e.page) && expectations.some((e) => e.ticket && !e.page)).toBe(true);
    // Too few bad events in every long window: no alert and a full score, however fast the budget seems to burn;
    // the fast pair's fifth bad event pages at the same burn rates.
    const tooFew = expectations.filter((e) => Object.values(e.bad).every((count) => count < SLO_MIN_BAD_EVENTS));
    expect(tooFew).toHaveLength(4);
    for (const e of tooFew) expect({ score: e.score, page: e.page, ticket: e.ticket }).toEqual({ score: 100, page: false, ticket: false });
    const fifth = expectations.filter((e) => e.bad['1h'] === SLO_MIN_BAD_EVENTS);
    expect(fifth.map((e) => [e.objective.page, e.page, e.ticket, healthBand(e.score)])).toEqual([
      [true, true, false, 'critical'],
      [false, false, true, 'degraded'],
    ]);
  });

  it('are recorded by the committed rules as the TypeScript maths computes them, with the alerts firing as the pairs say', async () => {
    const alerts: readonly string[] = [ALERT.availabilityBudgetBurn, ALERT.aiSuccessBudgetBurn];
    const rules = ruleSubset('objective-scores.rules.yml', (rule) =>
      isAlertingRule(rule) ? alerts.includes(rule.alert) : rule.record === HEALTH_RECORDING_RULE.componentScore && [paging.name, ticketing.name].includes(rule.labels?.[HEALTH_RECORDING_RULE.componentLabel] ?? ''),
    );
    const input = expectations.flatMap(({ series, windows, bad }) => [
      ...Object.entries(windows).map(([window, burn]) => ({ series: selectorOf(SLO_RECORDING_RULE.burnRate, { ...series, [SLO_LABEL.window]: window }), values: `${burn}x40` })),
      ...Object.entries(bad).map(([window, count]) => ({ series: selectorOf(SLO_RECORDING_RULE.badEvents, { ...series, [SLO_LABEL.window]: window }), values: `${count}x40` })),
    ]);
    // Past every `for` (2 min for pages, 15 for tickets).
    const evalTime = '30m';
    const tests = expectations.flatMap(({ job, score, page, ticket, series }) => [
      {
        expr: `round(${HEALTH_RECORDING_RULE.componentScore}{job="${job}"}, 0.001)`,
        eval_time: evalTime,
        exp_samples: [{ labels: selectorOf("", { ...series, [HEALTH_RECORDING_RULE.componentLabel]: series[SLO_LABEL.name]! }), value: rounded(score) }],
      },
      {
        expr: `count by (severity) (ALERTS{job="${job}",alertstate="firing"})`,
        eval_time: evalTime,
        exp_samples: [...(page ? [{ labels: '{severity="critical"}', value: 1 }] : []), ...(ticket ? [{ labels: '{severity="warning"}', value: 1 }] : [])],
      },
    ]);
    const result = await runPromtool('objective-scores.test.yml', [{ interval: '1m', input_series: input, promql_expr_test: tests }], '1m', rules);
    expect(result.output).toContain('SUCCESS');
    expect(result.ok, result.output).toBe(true);
  }, PROMTOOL_TIMEOUT_MS);
});

describe('the demo service end to end, from raw metrics', () => {
  const MINUTES = 180;
  const http = METRICS.httpServerRequestDuration.name;
  const ai = METRICS.genAiOperationDuration.name;

  /** Per-minute counts as a promtool values string: `normal` per minute until `from`, then `after`. */
  const counter = (normal: number, fault?: { from: number; after: number }) =>
    fault ? `0+${normal}x${fault.from} ${normal * fault.from}+${fault.after}x${MINUTES - fault.from}` : `0+${normal}x${MINUTES}`;

  /** One route: requests per minute, and the share at or under each bucket bound the objectives use. */
  function route(method: string, path: string, perMinute: number, fast: Record<string, number>, failFrom?: number): Record<string, string> {
    const labels = { job: 'demo', [LABEL.httpRequestMethod]: method, [LABEL.httpRoute]: path };
    const ok = { ...labels, [LABEL.httpResponseStatusCode]: '200' };
    const failed = { ...labels, [LABEL.httpResponseStatusCode]: '500' };
    const series: Record<string, string> = { [selectorOf(`${http}_count`, ok)]: counter(perMinute, failFrom === undefined ? undefined : { from: failFrom, after: 0 }) };
    for (const [le, share] of Object.entries(fast)) series[selectorOf(`${http}_bucket`, { ...ok, le })] = counter(perMinute * share, failFrom === undefined ? undefined : { from: failFrom, after: 0 });
    if (failFrom !== undefined) {
      // Failed requests answer fast: they count against availability, not latency.
      series[selectorOf(`${http}_count`, failed)] = counter(0, { from: failFrom, after: perMinute });
      for (const le of Object.keys(fast)) series[selectorOf(`${http}_bucket`, { ...failed, le })] = counter(0, { from: failFrom, after: perMinute });
    }
    return series;
  }

  /** A model's chat calls per minute, all successful until `failFrom`, all failing after; time to first chunk and per token within the objectives. */
  function chatModel(provider: string, model: string, perMinute: number, fault?: { failFrom?: number; takeOverFrom?: number; extra?: number }): Record<string, string> {
    const labels = { job: 'demo', [LABEL.genAiOperationName]: 'chat', [LABEL.genAiProviderName]: provider, [LABEL.genAiRequestModel]: model };
    const ok = fault?.failFrom !== undefined ? counter(perMinute, { from: fault.failFrom, after: 0 }) : fault?.takeOverFrom !== undefined ? counter(perMinute, { from: fault.takeOverFrom, after: perMinute + (fault.extra ?? 0) }) : counter(perMinute);
    return {
      [selectorOf(`${ai}_count`, { ...labels, [LABEL.errorType]: '' })]: ok,
      ...(fault?.failFrom !== undefined ? { [selectorOf(`${ai}_count`, { ...labels, [LABEL.errorType]: 'server_error' })]: counter(0, { from: fault.failFrom, after: perMinute }) } : {}),
      [selectorOf(`${METRICS.genAiTimeToFirstChunk.name}_bucket`, { ...labels, [LABEL.errorType]: '', le: '2.56' })]: ok,
      [selectorOf(`${METRICS.genAiTimeToFirstChunk.name}_count`, { ...labels, [LABEL.errorType]: '' })]: ok,
      [selectorOf(`${METRICS.genAiTimePerOutputToken.name}_bucket`, { job: 'demo', [LABEL.genAiOperationName]: 'chat', [LABEL.genAiProviderName]: provider, [LABEL.genAiRequestModel]: model, le: '0.05' })]: ok,
      [selectorOf(`${METRICS.genAiTimePerOutputToken.name}_count`, { job: 'demo', [LABEL.genAiOperationName]: 'chat', [LABEL.genAiProviderName]: provider, [LABEL.genAiRequestModel]: model })]: ok,
    };
  }

  function cache(name: string, hits: number, misses: number): Record<string, string> {
    const labels = (result: string) => ({ job: 'demo', [LABEL.cacheName]: name, [LABEL.cacheResult]: result });
    return { [selectorOf(METRICS.cacheRequests.name, labels('hit'))]: counter(hits), [selectorOf(METRICS.cacheRequests.name, labels('miss'))]: counter(misses) };
  }

  /** The demo as measured with the models at realistic latency: chats take seconds, the rest is fast. */
  function demoTraffic(fault: { chatFailsFrom?: number; modelFailsFrom?: number } = {}): Record<string, string> {
    const embeddings = { job: 'demo', [LABEL.genAiOperationName]: 'embeddings', [LABEL.genAiProviderName]: 'openai', [LABEL.genAiRequestModel]: 'text-embedding-3-small', [LABEL.errorType]: '' };
    return {
      // Half the chats are answer-cache hits; the rest stream for seconds, almost all within 10 s.
      ...route('POST', '/chat', 240, { '0.5': 0.5, '5': 0.94, '10': 0.999 }, fault.chatFailsFrom),
      ...route('GET', '/recommendations', 12, { '0.5': 0.1, '5': 1, '10': 1 }),
      ...route('POST', '/embeddings', 12, { '0.5': 1, '5': 1, '10': 1 }),
      ...route('GET', '/readyz', 6, { '0.5': 1, '5': 1, '10': 1 }),
      // gpt-4o-mini fails over to claude-haiku-4-5, which then takes its calls too.
      ...chatModel('openai', 'gpt-4o-mini', 60, fault.modelFailsFrom === undefined ? undefined : { failFrom: fault.modelFailsFrom }),
      ...chatModel('anthropic', 'claude-haiku-4-5', 60, fault.modelFailsFrom === undefined ? undefined : { takeOverFrom: fault.modelFailsFrom, extra: 60 }),
      [selectorOf(`${ai}_count`, embeddings)]: counter(12),
      [selectorOf(`${ai}_bucket`, { ...embeddings, le: '0.64' })]: counter(12),
      ...cache('answers', 30, 90),
      ...cache('recommendations', 1, 11),
      [selectorOf(RUNTIME_METRIC.cpuSecondsTotal, { job: 'demo', instance: 'demo:8080' })]: counter(4),
      [selectorOf(RUNTIME_METRIC.residentMemoryBytes, { job: 'demo', instance: 'demo:8080' })]: `150000000x${MINUTES}`,
      [selectorOf(METRICS.processMemoryLimit.name, { job: 'demo', instance: 'demo:8080' })]: `1000000000x${MINUTES}`,
      [selectorOf(RUNTIME_METRIC.eventLoopLagP99Seconds, { job: 'demo', instance: 'demo:8080' })]: `0.014x${MINUTES}`,
    };
  }

  // Every alert and the health score, with all they read.
  const demoRules = () => ruleSubset('demo.rules.yml', (rule) => (isAlertingRule(rule) ? rule.alert !== ALERT.watchdog : rule.record === HEALTH_RECORDING_RULE.score));

  async function evaluate(name: string, series: Record<string, string>, evalTime: string, tests: { expr: string; exp_samples: { labels?: string; value: number }[] }[]) {
    const input = Object.entries(series).map(([s, values]) => ({ series: s, values }));
    const result = await runPromtool(`${name}.test.yml`, [{ interval: '1m', input_series: input, promql_expr_test: tests.map((t) => ({ ...t, eval_time: evalTime })) }], '1m', demoRules());
    expect(result.output).toContain('SUCCESS');
    expect(result.ok, result.output).toBe(true);
  }

  const firing = (severity: string) => `count by (alertname) (ALERTS{job="demo",alertstate="firing",severity="${severity}"})`;
  const worst = `count by (${HEALTH_RECORDING_RULE.componentLabel}, ${SLO_LABEL.scope}, ${LABEL.genAiRequestModel}) (bottomk(1, ${HEALTH_RECORDING_RULE.componentScore}{job="demo"}))`;

  it('scores a healthy demo at realistic model latency ≥ 95 and fires nothing', async () => {
    await evaluate('healthy', demoTraffic(), `${MINUTES - 1}m`, [
      { expr: `${HEALTH_RECORDING_RULE.score}{job="demo"} >= 95`, exp_samples: [{ labels: `${HEALTH_RECORDING_RULE.score}{job="demo"}`, value: 100 }] },
      { expr: `count(${HEALTH_RECORDING_RULE.componentScore}{job="demo"} < 100)`, exp_samples: [] },
      { expr: 'count(ALERTS{job="demo"})', exp_samples: [] },
    ]);
  }, PROMTOOL_TIMEOUT_MS);

  /**
   * gpt-4o called 15 times an hour, every call within the time-per-token objective but those from minute
   * `slow.from` for `slow.minutes` minutes. A quarter call a minute, not 0.2: sums of 0.2 drift in floating point,
   * and a counter that steps back by a hair reads as a reset.
   */
  function rareModel(slow: { from: number; minutes: number }): Record<string, string> {
    const perMinute = 0.25;
    const series = chatModel('openai', 'gpt-4o', perMinute);
    const tpotBucket = Object.keys(series).find((name) => name.startsWith(`${METRICS.genAiTimePerOutputToken.name}_bucket`))!;
    // Fast calls count in the bucket; for `minutes` minutes none is fast (the bucket stands still while the count rises).
    const atFrom = perMinute * slow.from;
    const after = MINUTES - slow.from - slow.minutes;
    series[tpotBucket] = `0+${perMinute}x${slow.from} ${atFrom}+0x${slow.minutes - 1}${after > 0 ? ` ${atFrom + perMinute}+${perMinute}x${after - 1}` : ''}`;
    return series;
  }

  it('judges a rarely called model only on enough bad events: one slow call in an hour changes nothing, a slow spell opens a ticket', async () => {
    // Judged an hour in (promtool evaluates the rules only up to the last eval_time). One slow call about 25 minutes
    // ago, among the hour's 15: a burn rate of 6.8 over 1h and 6h, which scored 70 (the degraded floor) and opened a
    // ticket before the pairs needed five bad events. Chance, at 15 calls an hour.
    await evaluate('rare-model-one-slow-call', { ...demoTraffic(), ...rareModel({ from: 30, minutes: 4 }) }, '59m', [
      { expr: `${HEALTH_RECORDING_RULE.score}{job="demo"}`, exp_samples: [{ labels: `${HEALTH_RECORDING_RULE.score}{job="demo"}`, value: 100 }] },
      { expr: 'count(ALERTS{job="demo"})', exp_samples: [] },
    ]);
    // Every call slow from minute 20: the fifth slow call (minute 40) is evidence; a ticket (the model's objective
    // does not page) and the degraded floor, naming the model.
    await evaluate('rare-model-slow', { ...demoTraffic(), ...rareModel({ from: 20, minutes: MINUTES - 20 }) }, '59m', [
      { expr: firing('critical'), exp_samples: [] },
      { expr: firing('warning'), exp_samples: [{ labels: `{alertname="${ALERT.aiLatencyBudgetBurn}"}`, value: 1 }] },
      { expr: `${HEALTH_RECORDING_RULE.score}{job="demo"}`, exp_samples: [{ labels: `${HEALTH_RECORDING_RULE.score}{job="demo"}`, value: HEALTH_BANDS.degraded }] },
      { expr: worst, exp_samples: [{ labels: `{component="chat models: time per output token",gen_ai_request_model="gpt-4o",slo_scope="every model (not claimed above)"}`, value: 1 }] },
    ]);
  }, PROMTOOL_TIMEOUT_MS);

  it('pages for a user-facing outage, and the critical score names the objective', async () => {
    // /chat answers 500 from minute 150; judged 15 minutes later.
    await evaluate('chat-outage', demoTraffic({ chatFailsFrom: 150 }), '165m', [
      { expr: firing('critical'), exp_samples: [{ labels: `{alertname="${ALERT.availabilityBudgetBurn}"}`, value: 1 }] },
      { expr: `count(${HEALTH_RECORDING_RULE.score}{job="demo"} < ${HEALTH_BANDS.degraded})`, exp_samples: [{ labels: '{}', value: 1 }] },
      { expr: worst, exp_samples: [{ labels: `{component="availability",slo_scope="every route"}`, value: 1 }] },
    ]);
  }, PROMTOOL_TIMEOUT_MS);

  it('opens a ticket for a model outage that failover hides, degrades the band and pages nobody', async () => {
    // gpt-4o-mini fails every call from minute 120; claude-haiku-4-5 answers instead, so every request succeeds.
    await evaluate('masked-model-outage', demoTraffic({ modelFailsFrom: 120 }), `${MINUTES - 1}m`, [
      { expr: firing('critical'), exp_samples: [] },
      { expr: firing('warning'), exp_samples: [{ labels: `{alertname="${ALERT.aiErrorRate}"}`, value: 1 }, { labels: `{alertname="${ALERT.aiSuccessBudgetBurn}"}`, value: 1 }] },
      { expr: `${HEALTH_RECORDING_RULE.score}{job="demo"}`, exp_samples: [{ labels: `${HEALTH_RECORDING_RULE.score}{job="demo"}`, value: HEALTH_BANDS.degraded }] },
      { expr: worst, exp_samples: [{ labels: `{component="chat models: success",gen_ai_request_model="gpt-4o-mini",slo_scope="every model (not claimed above)"}`, value: 1 }] },
    ]);
  }, PROMTOOL_TIMEOUT_MS);
});
