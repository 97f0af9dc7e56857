import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkRules, testRules } from '@modelwatch/stack';
import { HEALTH_COMPONENTS, componentScore, healthScore, type HealthComponentId } from './health';
import { componentScoreInline, componentScoreRecorded, healthScoreFrom, healthScoreInline, selector } from './queries';

// The PromQL is evaluated by promtool on synthetic series, and must give what the
// TypeScript maths in health.ts gives for the same SLIs.
const dir = mkdtempSync(join(tmpdir(), 'modelwatch-queries-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Per-minute increments of each counter over 10 minutes (rate = increment / 60). */
const demoSeries: Record<string, number> = {
  'http_server_request_duration_seconds_count{job="demo",http_response_status_code="200"}': 98,
  'http_server_request_duration_seconds_count{job="demo",http_response_status_code="500"}': 2,
  'http_server_request_duration_seconds_bucket{job="demo",http_response_status_code="200",le="0.5"}': 88,
  'http_server_request_duration_seconds_bucket{job="demo",http_response_status_code="500",le="0.5"}': 2,
  'gen_ai_client_operation_duration_seconds_count{job="demo",error_type=""}': 9,
  'gen_ai_client_operation_duration_seconds_count{job="demo",error_type="rate_limited"}': 1,
  'gen_ai_client_operation_duration_seconds_bucket{job="demo",error_type="",le="2.56"}': 8,
  'gen_ai_client_operation_duration_seconds_bucket{job="demo",error_type="rate_limited",le="2.56"}': 1,
  'modelwatch_cache_requests_total{job="demo",cache_name="answers",cache_result="hit"}': 6,
  'modelwatch_cache_requests_total{job="demo",cache_name="answers",cache_result="miss"}': 4,
  'process_cpu_seconds_total{job="demo"}': 12,
  // A service with HTTP traffic only, all fast and successful: every other component is left out.
  'http_server_request_duration_seconds_count{job="quiet",http_response_status_code="200"}': 10,
  'http_server_request_duration_seconds_bucket{job="quiet",http_response_status_code="200",le="0.5"}': 10,
};
const gauges: Record<string, number> = {
  'process_resident_memory_bytes{job="demo"}': 500,
  'modelwatch_process_memory_limit_bytes{job="demo"}': 1000,
  'nodejs_eventloop_lag_p99_seconds{job="demo"}': 0.01,
};
const demoSlis: Record<HealthComponentId, number> = {
  availability: 0.98,
  latency: 0.9,
  ai_success: 0.9,
  ai_latency: 0.9,
  cache: 0.6,
  saturation: 0.5, // worst of CPU 0.2 cores, memory 0.5 of limit, lag 0.02 of limit
};

const round = (expr: string): string => `round(${expr}, 0.0001)`;
// What PromQL's round(v, 0.0001) computes: floor(v * 1/0.0001 + 0.5) / (1/0.0001).
const rounded = (value: number): number => Math.floor(value * 10_000 + 0.5) / 10_000;

function writeRules(): string {
  const rules = [
    ...HEALTH_COMPONENTS.map((c) => ({ record: `test:component_score:${c.id}`, expr: round(componentScoreInline(c.id)) })),
    { record: 'test:health_score', expr: round(healthScoreInline()) },
  ];
  const file = join(dir, 'rules.yml');
  writeFileSync(file, JSON.stringify({ groups: [{ name: 'health', rules }] }));
  return file;
}

describe('health score PromQL', () => {
  it('is valid PromQL', async () => {
    const result = await checkRules([writeRules()]);
    expect(result.output).toContain('SUCCESS');
    expect(result.ok).toBe(true);
  });

  it('gives the same component scores and weighted score as the TypeScript maths, and leaves out components without traffic', async () => {
    const rulesFile = writeRules();
    const demoScores = Object.fromEntries(HEALTH_COMPONENTS.map((c) => [c.id, componentScore(c, demoSlis[c.id])])) as Record<HealthComponentId, number>;
    const series = [
      ...Object.entries(demoSeries).map(([s, perMinute]) => ({ series: s, values: `0+${perMinute}x10` })),
      ...Object.entries(gauges).map(([s, value]) => ({ series: s, values: `${value}x10` })),
    ];
    const componentTests = HEALTH_COMPONENTS.map((c) => ({
      expr: `test:component_score:${c.id}`,
      eval_time: '10m',
      exp_samples: [
        { labels: `test:component_score:${c.id}{component="${c.id}",job="demo"}`, value: rounded(demoScores[c.id]) },
        ...(c.id === 'availability' || c.id === 'latency' ? [{ labels: `test:component_score:${c.id}{component="${c.id}",job="quiet"}`, value: 100 }] : []),
      ],
    }));
    const scoreTest = {
      expr: 'test:health_score',
      eval_time: '10m',
      exp_samples: [
        { labels: 'test:health_score{job="demo"}', value: rounded(healthScore(demoScores)!) },
        { labels: 'test:health_score{job="quiet"}', value: 100 },
      ],
    };
    const testFile = join(dir, 'test.yml');
    writeFileSync(testFile, JSON.stringify({ rule_files: [rulesFile], evaluation_interval: '1m', tests: [{ interval: '1m', input_series: series, promql_expr_test: [...componentTests, scoreTest] }] }));
    const result = await testRules([testFile]);
    expect(result.output).toContain('SUCCESS');
    expect(result.ok).toBe(true);
    // The demo service's score is the weighted mean the table in ARCHITECTURE.md describes.
    expect(healthScore(demoScores)).toBeCloseTo(71.7142, 3);
  });
});

describe('recorded component scores', () => {
  it('select the recording rule by component and scope', () => {
    expect(componentScoreRecorded('cache', { matchers: ['job="demo"'] })).toBe('modelwatch:health_component:score{component="cache",job="demo"}');
    expect(selector('up')).toBe('up');
  });

  it('feed the same weighted sum, with weights overridable', () => {
    const expr = healthScoreFrom((id) => componentScoreRecorded(id), { availability: 0.5 });
    expect(expr).toContain('(modelwatch:health_component:score{component="availability"}) * 0.5 or');
    expect(expr).toContain('(modelwatch:health_component:score{component="latency"}) * 0 + 0.2');
  });
});
