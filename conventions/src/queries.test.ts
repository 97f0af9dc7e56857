import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testRules } from '@modelwatch/testkit';
import { ATTRIBUTED_BUDGET_RECORDING_RULE } from './slo-queries';
import { aiErrorRatio, attributedBudget, attributedBudgetShare, attributedSpend, modelSubstitutionShare, modelSubstitutions, orNaN, rateLimitRemainingShare, rateLimitSecondsToReset } from './queries';

// The spend, substitution and rate-limit queries, evaluated by promtool on synthetic series whose answers are known.
const dir = mkdtempSync(join(tmpdir(), 'modelwatch-queries-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const demo = { matchers: ['job="demo"'], window: '10m' };
const cost = (tenant: string, feature: string) => `modelwatch_gen_ai_attributed_cost_usd_total{job="demo",instance="a",tenant="${tenant}",feature="${feature}"}`;
const limit = (metric: string, instance: string, type: string) => `modelwatch_gen_ai_rate_limit_${metric}{job="demo",instance="${instance}",gen_ai_provider_name="openai",gen_ai_request_model="gpt-4o",limit_type="${type}"}`;

/** Per-minute increments of each counter. */
const perMinute: Record<string, number> = {
  [cost('acme', 'chat')]: 2,
  [cost('acme', 'embeddings')]: 1,
  [cost('globex', 'chat')]: 2,
  [cost('initech', 'chat')]: 1,
  [cost('_other', 'chat')]: 0.5,
  [cost('_none', '_none')]: 0.25,
  // gpt-4o: 20 calls a minute, 5 of them answered by gpt-4o-mini.
  ['gen_ai_client_operation_duration_seconds_count{job="demo",instance="a",gen_ai_operation_name="chat",gen_ai_provider_name="openai",gen_ai_request_model="gpt-4o",error_type=""}']: 20,
  ['modelwatch_gen_ai_model_substitutions_total{job="demo",instance="a",gen_ai_provider_name="openai",gen_ai_request_model="gpt-4o",gen_ai_response_model="gpt-4o-mini"}']: 5,
  ['modelwatch_gen_ai_model_substitutions_total{job="demo",instance="a",gen_ai_provider_name="openai",gen_ai_request_model="gpt-4.1",gen_ai_response_model="gpt-4.1-mini"}']: 0,
};

/** Gauges, constant over the test (`v x60`). Evaluation is at 45 min = 2700 s after the epoch, in a 31-day month. */
const gauges: Record<string, number> = {
  [`${ATTRIBUTED_BUDGET_RECORDING_RULE.tenant}{job="demo",tenant="acme"}`]: 100_000,
  [`${ATTRIBUTED_BUDGET_RECORDING_RULE.tenant}{job="demo",tenant="initech"}`]: 40_000,
  [limit('remaining', 'a', 'requests')]: 100,
  [limit('limit', 'a', 'requests')]: 1000,
  [limit('remaining', 'b', 'requests')]: 50,
  [limit('limit', 'b', 'requests')]: 1000,
  [limit('reset_timestamp_seconds', 'a', 'requests')]: 2730,
  [limit('reset_timestamp_seconds', 'b', 'requests')]: 2760,
  // A limit of 0 (a header the provider left empty) gives no share; a reset in the past is 0 s away.
  [limit('remaining', 'a', 'tokens')]: 0,
  [limit('limit', 'a', 'tokens')]: 0,
  [limit('reset_timestamp_seconds', 'a', 'tokens')]: 2000,
};

/** A month at `usdPerMinute`: per second × 86400 × 31 days. */
const month = (usdPerMinute: number) => Math.round((usdPerMinute / 60) * 86400 * 31 * 10_000) / 10_000;

async function promtool(name: string, tests: { expr: string; exp_samples: { labels: string; value: number }[] }[], counters = perMinute) {
  const file = join(dir, `${name}.test.yml`);
  const rules = join(dir, `${name}.rules.yml`);
  writeFileSync(rules, JSON.stringify({ groups: [] }));
  const input = [...Object.entries(counters).map(([series, n]) => ({ series, values: `0+${n}x60` })), ...Object.entries(gauges).map(([series, v]) => ({ series, values: `${v}x60` }))];
  writeFileSync(file, JSON.stringify({ rule_files: [rules], tests: [{ interval: '1m', input_series: input, promql_expr_test: tests.map((t) => ({ eval_time: '45m', ...t })) }] }));
  const result = await testRules([file]);
  expect(result.ok, result.output).toBe(true);
  expect(result.output).toContain('SUCCESS');
}

const round = (expr: string) => `round(${expr}, 0.0001)`;

describe('attributed spend', () => {
  it('projects each tenant over this month, keeps the top spenders by name and always lists the fold and the unattributed', async () => {
    await promtool('spend', [
      {
        expr: round(attributedSpend('tenant', demo, 2)),
        exp_samples: [
          { labels: '{job="demo",tenant="acme"}', value: month(3) },
          { labels: '{job="demo",tenant="globex"}', value: month(2) },
          { labels: '{job="demo",tenant="_other"}', value: month(0.5) },
          { labels: '{job="demo",tenant="_none"}', value: month(0.25) },
        ],
      },
      {
        expr: round(attributedSpend('feature', demo)),
        exp_samples: [
          { labels: '{job="demo",feature="chat"}', value: month(5.5) },
          { labels: '{job="demo",feature="embeddings"}', value: month(1) },
          { labels: '{job="demo",feature="_none"}', value: month(0.25) },
        ],
      },
    ]);
  });

  it("divides by each tenant's budget, leaves out tenants without one, and pads a table's rows with NaN", async () => {
    await promtool('budget-share', [
      { expr: round(attributedBudgetShare('tenant', demo)), exp_samples: [{ labels: '{job="demo",tenant="acme"}', value: Math.round((month(3) / 100_000) * 10_000) / 10_000 }, { labels: '{job="demo",tenant="initech"}', value: Math.round((month(1) / 40_000) * 10_000) / 10_000 }] },
      // acme and initech have budgets; globex, _other and _none get NaN rows (NaN fails every comparison, so `>= 0` keeps the two budgets).
      { expr: `count(${orNaN(attributedBudget('tenant', demo), attributedSpend('tenant', demo))})`, exp_samples: [{ labels: '{}', value: 5 }] },
      { expr: `count(${orNaN(attributedBudget('tenant', demo), attributedSpend('tenant', demo))} >= 0)`, exp_samples: [{ labels: '{}', value: 2 }] },
    ]);
  });
});

describe('model substitutions', () => {
  it('count the calls another model answered and their share of the requested model’s calls, leaving out pairs that never happened in the window', async () => {
    const labels = '{job="demo",gen_ai_provider_name="openai",gen_ai_request_model="gpt-4o",gen_ai_response_model="gpt-4o-mini"}';
    await promtool('substitutions', [
      { expr: round(modelSubstitutions(demo)), exp_samples: [{ labels, value: 50 }] },
      { expr: round(modelSubstitutionShare(demo)), exp_samples: [{ labels, value: 0.25 }] },
    ]);
  });

  it('share the calls the exporter wrote under the GenAI semconv v0.1 names in latest mode, and so do the AI errors', async () => {
    const call = (name: string, operation: string, error: string) =>
      `${name}{job="demo",instance="a",gen_ai_operation_name="${operation}",gen_ai_provider_name="openai",gen_ai_request_model="gpt-4o",error_type="${error}"}`;
    const latest = {
      ...Object.fromEntries(Object.entries(perMinute).filter(([series]) => !series.startsWith('gen_ai_client_operation_duration_seconds_count'))),
      // The same 20 calls a minute, 16 inference calls (one failed) and 4 embeddings (one failed): one query over both families.
      [call('gen_ai_client_inference_duration_seconds_count', 'chat', '')]: 15,
      [call('gen_ai_client_inference_duration_seconds_count', 'chat', 'timeout')]: 1,
      [call('gen_ai_client_operation_duration_seconds_count', 'embeddings', '')]: 3,
      [call('gen_ai_client_operation_duration_seconds_count', 'embeddings', 'timeout')]: 1,
    };
    const labels = '{job="demo",gen_ai_provider_name="openai",gen_ai_request_model="gpt-4o",gen_ai_response_model="gpt-4o-mini"}';
    await promtool(
      'substitutions-latest',
      [
        { expr: round(modelSubstitutionShare(demo, 'latest')), exp_samples: [{ labels, value: 0.25 }] },
        { expr: round(aiErrorRatio(demo, 'latest')), exp_samples: [{ labels: '{job="demo"}', value: 0.1 }] },
        // The legacy reader sees only the embeddings, which latest mode keeps under the legacy name.
        { expr: round(aiErrorRatio(demo)), exp_samples: [{ labels: '{job="demo"}', value: 0.25 }] },
      ],
      latest,
    );
  });
});

describe('rate-limit headroom', () => {
  it("gives the lowest remaining share of the service's processes, none for a zero limit, and the seconds to the latest reset", async () => {
    const labels = (type: string) => `{job="demo",gen_ai_provider_name="openai",gen_ai_request_model="gpt-4o",limit_type="${type}"}`;
    await promtool('rate-limits', [
      { expr: round(rateLimitRemainingShare(demo)), exp_samples: [{ labels: labels('requests'), value: 0.05 }] },
      {
        expr: round(rateLimitSecondsToReset(demo)),
        exp_samples: [
          { labels: labels('requests'), value: 60 },
          { labels: labels('tokens'), value: 0 },
        ],
      },
    ]);
  });
});
