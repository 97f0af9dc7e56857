import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkRules, testRules } from '@modelwatch/stack';
import { ALERT, HEALTH_COMPONENTS, HEALTH_RECORDING_RULE, componentScore, healthScore, type AlertName, type HealthComponentId } from '@modelwatch/exporter/conventions';
import { annotations } from '../annotations';
import { REPO_ROOT } from '../cli';
import { OUTPUT } from '../generate';
import { VALUE, type AlertRule } from '../spec/alert-rule';
import { ALERT_RULES } from '../spec/catalogue';
import { ALERT_CASES, type ExpectedAlert, type Scenario } from './__fixtures__/alert-cases';

// promtool runs the committed production rules (realistic `for` and windows) on synthetic series.
const RULE_FILES = [join(REPO_ROOT, OUTPUT.recordingRules), join(REPO_ROOT, OUTPUT.alertRules)];
const dir = mkdtempSync(join(tmpdir(), 'modelwatch-alert-tests-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Prometheus' `{{ $labels.x }}` and the value, as promtool renders them for these labels. */
function rendered(rule: AlertRule, expected: ExpectedAlert): Record<string, string> {
  const fill = (text: string) => text.replace(/\{\{ \$labels\.(\w+) \}\}/g, (_, name: string) => expected.labels[name] ?? '');
  const raw = annotations(rule, VALUE);
  return Object.fromEntries(Object.entries(raw).map(([key, text]) => [key, fill(text).replace(VALUE, expected.value)]));
}

function ruleFor(name: AlertName, expected: ExpectedAlert): AlertRule {
  const rule = ALERT_RULES.find((r) => r.name === name && r.severity === expected.severity && JSON.stringify(r.labels ?? {}) === JSON.stringify(expected.ruleLabels ?? {}));
  if (!rule) throw new Error(`no rule ${name} ${expected.severity} ${JSON.stringify(expected.ruleLabels)}`);
  return rule;
}

function promtoolTest(name: AlertName, scenario: Scenario) {
  return {
    name: `${name}: ${scenario.title}`,
    interval: scenario.interval ?? '1m',
    input_series: Object.entries(scenario.series).map(([series, values]) => ({ series, values })),
    alert_rule_test: [
      {
        alertname: name,
        eval_time: scenario.evalTime,
        exp_alerts: scenario.expect.map((expected) => ({
          exp_labels: { severity: expected.severity, ...expected.ruleLabels, ...expected.labels },
          exp_annotations: rendered(ruleFor(name, expected), expected),
        })),
      },
    ],
  };
}

/** Rules are evaluated at the input's interval: a week of history evaluated every minute would take promtool minutes. */
async function runPromtool(file: string, tests: unknown[], evaluationInterval = '1m') {
  const path = join(dir, file);
  writeFileSync(path, JSON.stringify({ rule_files: RULE_FILES, evaluation_interval: evaluationInterval, tests }));
  return testRules([path]);
}

describe('generated Prometheus rules', () => {
  it('pass promtool check rules', async () => {
    const result = await checkRules(RULE_FILES);
    expect(result.output).toContain('SUCCESS');
    expect(result.ok, result.output).toBe(true);
  });

  it('have unit tests for every alert, each with a firing and (but the watchdog) a silent scenario', () => {
    for (const name of Object.values(ALERT)) {
      const scenarios = ALERT_CASES[name];
      expect(scenarios.some((s) => s.expect.length > 0), name).toBe(true);
      if (name !== ALERT.watchdog) expect(scenarios.some((s) => s.expect.length === 0), name).toBe(true);
    }
    // Every rule (each severity and label variant) fires in at least one scenario.
    for (const rule of ALERT_RULES) {
      const fired = ALERT_CASES[rule.name].some((s) => s.expect.some((e) => ruleFor(rule.name, e) === rule));
      expect(fired, `${rule.name} ${rule.severity} ${JSON.stringify(rule.labels ?? {})}`).toBe(true);
    }
  });

  it.each(Object.values(ALERT))('%s fires with the right labels and annotations, and stays silent on healthy input', async (name) => {
    const scenarios = ALERT_CASES[name];
    const result = await runPromtool(`${name}.test.yml`, scenarios.map((scenario) => promtoolTest(name, scenario)), scenarios[0]?.interval);
    expect(result.output).toContain('SUCCESS');
    expect(result.ok, result.output).toBe(true);
  });
});

describe('health score recording rules', () => {
  /** Per-minute increments of each counter; gauges hold their value. */
  const counters: Record<string, number> = {
    'http_server_request_duration_seconds_count{job="demo",http_response_status_code="200"}': 98,
    'http_server_request_duration_seconds_count{job="demo",http_response_status_code="500"}': 2,
    'http_server_request_duration_seconds_bucket{job="demo",http_response_status_code="200",le="0.5"}': 88,
    'http_server_request_duration_seconds_bucket{job="demo",http_response_status_code="500",le="0.5"}': 2,
    'gen_ai_client_operation_duration_seconds_count{job="demo",error_type=""}': 9,
    'gen_ai_client_operation_duration_seconds_count{job="demo",error_type="timeout"}': 1,
    'gen_ai_client_operation_duration_seconds_bucket{job="demo",error_type="",le="2.56"}': 8,
    'gen_ai_client_operation_duration_seconds_bucket{job="demo",error_type="timeout",le="2.56"}': 1,
    'modelwatch_cache_requests_total{job="demo",cache_name="answers",cache_result="hit"}': 6,
    'modelwatch_cache_requests_total{job="demo",cache_name="answers",cache_result="miss"}': 4,
    'process_cpu_seconds_total{job="demo"}': 54,
    // Only HTTP traffic, all fast and successful: the other four components are left out.
    'http_server_request_duration_seconds_count{job="quiet",http_response_status_code="200"}': 10,
    'http_server_request_duration_seconds_bucket{job="quiet",http_response_status_code="200",le="0.5"}': 10,
  };
  const gauges: Record<string, number> = {
    'process_resident_memory_bytes{job="demo"}': 500,
    'modelwatch_process_memory_limit_bytes{job="demo"}': 1000,
    'nodejs_eventloop_lag_p99_seconds{job="demo"}': 0.01,
  };
  // SLIs of those series: saturation is the worst of CPU 0.9 cores, memory 0.5 and lag 0.02 of their limits.
  const slis: Record<HealthComponentId, number> = { availability: 0.98, latency: 0.9, ai_success: 0.9, ai_latency: 0.9, cache: 0.6, saturation: 0.9 };
  const scores = Object.fromEntries(HEALTH_COMPONENTS.map((c) => [c.id, componentScore(c, slis[c.id])])) as Record<HealthComponentId, number>;
  const rounded = (value: number) => Math.floor(value * 10_000 + 0.5) / 10_000;
  const round = (expr: string) => `round(${expr}, 0.0001)`;

  it('record each component, the weighted score, and renormalise over the components with traffic — as the TypeScript maths does', async () => {
    const series = [
      ...Object.entries(counters).map(([s, perMinute]) => ({ series: s, values: `0+${perMinute}x10` })),
      ...Object.entries(gauges).map(([s, value]) => ({ series: s, values: `${value}x10` })),
    ];
    const componentTests = HEALTH_COMPONENTS.map((c) => ({
      expr: round(`${HEALTH_RECORDING_RULE.componentScore}{component="${c.id}"}`),
      eval_time: '10m',
      exp_samples: [
        { labels: `{component="${c.id}",job="demo"}`, value: rounded(scores[c.id]) },
        ...(c.id === 'availability' || c.id === 'latency' ? [{ labels: `{component="${c.id}",job="quiet"}`, value: 100 }] : []),
      ],
    }));
    const scoreTest = {
      expr: round(HEALTH_RECORDING_RULE.score),
      eval_time: '10m',
      exp_samples: [
        { labels: '{job="demo"}', value: rounded(healthScore(scores)!) },
        { labels: '{job="quiet"}', value: 100 },
      ],
    };
    const result = await runPromtool('health-score.test.yml', [{ interval: '1m', input_series: series, promql_expr_test: [...componentTests, scoreTest] }]);
    expect(result.output).toContain('SUCCESS');
    expect(result.ok, result.output).toBe(true);
    // Saturation at 0.9 sits halfway between its target 0.8 and zero point 1.0.
    expect(scores.saturation).toBeCloseTo(50, 6);
  });

  it('band the score: healthy at 90 and above, degraded from 70, critical below (see HealthScoreLow for the alerts)', async () => {
    // One job per band, HTTP traffic only and all fast: score = (0.3 × availability + 0.2 × 100) / 0.5.
    const sliSeries = (jobName: string, errorsPer1000: number) => [
      { series: `http_server_request_duration_seconds_count{job="${jobName}",http_response_status_code="200"}`, values: `0+${1000 - errorsPer1000}x10` },
      { series: `http_server_request_duration_seconds_count{job="${jobName}",http_response_status_code="500"}`, values: `0+${errorsPer1000}x10` },
      { series: `http_server_request_duration_seconds_bucket{job="${jobName}",http_response_status_code="200",le="0.5"}`, values: `0+${1000 - errorsPer1000}x10` },
      { series: `http_server_request_duration_seconds_bucket{job="${jobName}",http_response_status_code="500",le="0.5"}`, values: `0+${errorsPer1000}x10` },
    ];
    const cases = { healthy: 2, degraded: 15, critical: 40 } as const;
    const availability = HEALTH_COMPONENTS.find((c) => c.id === 'availability')!;
    const scoreOf = (errorsPer1000: number) => healthScore({ availability: componentScore(availability, 1 - errorsPer1000 / 1000), latency: 100 })!;
    const result = await runPromtool('health-bands.test.yml', [
      {
        interval: '1m',
        input_series: Object.entries(cases).flatMap(([band, errors]) => sliSeries(band, errors)),
        promql_expr_test: [
          { expr: round(`${HEALTH_RECORDING_RULE.score} >= 90`), eval_time: '10m', exp_samples: [{ labels: '{job="healthy"}', value: rounded(scoreOf(cases.healthy)) }] },
          { expr: round(`${HEALTH_RECORDING_RULE.score} < 90 >= 70`), eval_time: '10m', exp_samples: [{ labels: '{job="degraded"}', value: rounded(scoreOf(cases.degraded)) }] },
          { expr: round(`${HEALTH_RECORDING_RULE.score} < 70`), eval_time: '10m', exp_samples: [{ labels: '{job="critical"}', value: rounded(scoreOf(cases.critical)) }] },
        ],
      },
    ]);
    expect(result.output).toContain('SUCCESS');
    expect(result.ok, result.output).toBe(true);
  });
});
