import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testRules } from '@modelwatch/testkit';
import { METRICS } from './metrics';
import { quantile, sumRate } from './promql';
import { genAiMetricNames, LATEST_GEN_AI_METRICS, samplesOf, semconvModeFromOptIn, USAGE_COUNTER_BY_TOKEN_TYPE } from './semconv';

describe('semconvModeFromOptIn', () => {
  it.each([
    [undefined, 'legacy'],
    ['', 'legacy'],
    ['http', 'legacy'],
    ['gen_ai', 'legacy'],
    ['gen_ai_latest_experimental_v2', 'legacy'],
    ['GEN_AI_LATEST_EXPERIMENTAL', 'legacy'],
    ['gen_ai_latest_experimental', 'latest'],
    ['http/dup, gen_ai_latest_experimental ,database', 'latest'],
    ['gen_ai_latest_experimental/dup', 'both'],
    ['gen_ai_latest_experimental,gen_ai_latest_experimental/dup', 'both'],
    ['gen_ai_latest_experimental/dup,gen_ai_latest_experimental', 'both'],
  ])('%j → %s', (value, mode) => {
    expect(semconvModeFromOptIn(value)).toBe(mode);
  });
});

describe('LATEST_GEN_AI_METRICS', () => {
  it('translates the v0.1 names to Prometheus the way OpenTelemetry does', () => {
    expect(Object.values(LATEST_GEN_AI_METRICS).map((m) => [m.name, m.type])).toEqual([
      ['gen_ai_client_inference_duration_seconds', 'histogram'],
      ['gen_ai_client_inference_time_to_first_chunk_seconds', 'histogram'],
      ['gen_ai_client_inference_operation_input_tokens', 'histogram'],
      ['gen_ai_client_inference_operation_output_tokens', 'histogram'],
      ['gen_ai_client_inference_usage_input_tokens_total', 'counter'],
      ['gen_ai_client_inference_usage_output_tokens_total', 'counter'],
      ['gen_ai_client_inference_usage_cache_read_input_tokens_total', 'counter'],
      ['gen_ai_client_inference_usage_cache_write_input_tokens_total', 'counter'],
      ['gen_ai_client_inference_usage_reasoning_output_tokens_total', 'counter'],
    ]);
  });

  it('names no metric of the legacy contract again', () => {
    const legacy = new Set<string>(Object.values(METRICS).map((m) => m.name));
    expect(Object.values(LATEST_GEN_AI_METRICS).filter((m) => legacy.has(m.name))).toEqual([]);
  });

  it('writes cache_creation tokens as cache_write', () => {
    expect(LATEST_GEN_AI_METRICS[USAGE_COUNTER_BY_TOKEN_TYPE.cache_creation].name).toBe('gen_ai_client_inference_usage_cache_write_input_tokens_total');
  });
});

describe('genAiMetricNames', () => {
  it('reads the legacy names, with the matchers that pick each measurement, in legacy and both modes', () => {
    for (const mode of ['legacy', 'both'] as const) {
      const names = genAiMetricNames(mode);
      expect(names.callDuration).toEqual(['gen_ai_client_operation_duration_seconds']);
      expect(names.inferenceDuration).toEqual({ metric: 'gen_ai_client_operation_duration_seconds', matchers: ['gen_ai_operation_name=~"chat|text_completion|generate_content"'] });
      expect(names.timeToFirstChunk).toBe('gen_ai_client_operation_time_to_first_chunk_seconds');
      expect(names.tokensPerCall.output).toEqual({ metric: 'gen_ai_client_token_usage', matchers: ['gen_ai_token_type="output"'] });
      expect(names.tokens.cache_creation).toEqual({ metric: 'modelwatch_gen_ai_tokens_total', matchers: ['gen_ai_token_type="cache_creation"'] });
    }
  });

  it('reads the v0.1 names in latest mode: one metric per measurement, no matcher needed', () => {
    const names = genAiMetricNames('latest');
    expect(names.callDuration).toEqual(['gen_ai_client_inference_duration_seconds', 'gen_ai_client_operation_duration_seconds']);
    expect(names.inferenceDuration).toEqual({ metric: 'gen_ai_client_inference_duration_seconds', matchers: [] });
    expect(names.timeToFirstChunk).toBe('gen_ai_client_inference_time_to_first_chunk_seconds');
    expect(names.tokensPerCall.input).toEqual({ metric: 'gen_ai_client_inference_operation_input_tokens', matchers: [] });
    expect(Object.entries(names.tokens).map(([type, s]) => [type, s.metric, s.matchers])).toEqual([
      ['input', 'gen_ai_client_inference_usage_input_tokens_total', []],
      ['output', 'gen_ai_client_inference_usage_output_tokens_total', []],
      ['cache_read', 'gen_ai_client_inference_usage_cache_read_input_tokens_total', []],
      ['cache_creation', 'gen_ai_client_inference_usage_cache_write_input_tokens_total', []],
      ['reasoning', 'gen_ai_client_inference_usage_reasoning_output_tokens_total', []],
    ]);
  });
});

describe('samplesOf', () => {
  it('is the metric itself when there is one', () => {
    expect(samplesOf(genAiMetricNames('legacy').callDuration, '_count')).toEqual({ metric: 'gen_ai_client_operation_duration_seconds_count', matchers: [] });
  });

  it('reads every AI call of the latest names in one query, which promtool evaluates to the sum of both families', async () => {
    const calls = samplesOf(genAiMetricNames('latest').callDuration, '_count');
    const expr = sumRate(calls.metric, ['job'], { matchers: ['job="demo"'], window: '5m' }, calls.matchers);
    expect(expr).toBe(
      'sum by (job) (rate({__name__=~"gen_ai_client_inference_duration_seconds_count|gen_ai_client_operation_duration_seconds_count",job="demo"}[5m]))',
    );
    // The per-call histograms share their buckets, so a quantile across both families is one too.
    const buckets = samplesOf(genAiMetricNames('latest').callDuration, '_bucket');
    expect(quantile(0.5, '', ['job'], { matchers: [...buckets.matchers, 'job="demo"'], window: '5m' })).toContain('{__name__=~"gen_ai_client_inference_duration_seconds_bucket|');
    const dir = mkdtempSync(join(tmpdir(), 'modelwatch-semconv-'));
    try {
      const labels = (operation: string) => `job="demo",gen_ai_operation_name="${operation}",gen_ai_provider_name="openai",gen_ai_request_model="m",error_type=""`;
      const rules = join(dir, 'none.rules.yml');
      const file = join(dir, 'calls.test.yml');
      writeFileSync(rules, JSON.stringify({ groups: [] }));
      const input = [
        { series: `gen_ai_client_inference_duration_seconds_count{${labels('chat')}}`, values: '0+60x20' },
        { series: `gen_ai_client_operation_duration_seconds_count{${labels('embeddings')}}`, values: '0+30x20' },
      ];
      const test = { eval_time: '10m', expr, exp_samples: [{ labels: '{job="demo"}', value: 1.5 }] };
      writeFileSync(file, JSON.stringify({ rule_files: [rules], tests: [{ interval: '1m', input_series: input, promql_expr_test: [test] }] }));
      const result = await testRules([file]);
      expect(result.ok, result.output).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
