import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testRules } from '@modelwatch/testkit';
import { ALERT_THRESHOLD } from './alerts';
import { ANOMALY_SIGNAL, anomalyBandQuery, anomalyRecords, anomalyScoreQuery, readsAnomalyRules, seasonalBaseline, type AnomalySignal } from './anomaly';

const dir = mkdtempSync(join(tmpdir(), 'modelwatch-anomaly-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const spend = ANOMALY_SIGNAL.aiSpend;
const tokens = ANOMALY_SIGNAL.aiTokensPerCall;
const k = ALERT_THRESHOLD.anomalyStddevs.warning;
const series = (signal: AnomalySignal) => `{job="demo",signal="${signal.name}"}`;
const HOURS = 8 * 24;

/**
 * The recorded series the baselines and scores read, hourly for 8 days: spend at the day's index (0 on day 0, 7 on
 * day 7, 8 at the end), so the same hour of the 7 days before the end is 1 … 7 (mean 4, standard deviation 2);
 * tokens per call flat at 600, then 650 at the end (no spread: the floor of the minimum change rules).
 */
function input(): { series: string; values: string }[] {
  const hourly = (value: (hour: number) => number) => Array.from({ length: HOURS + 1 }, (_, hour) => value(hour)).join(' ');
  const baseline = (signal: AnomalySignal, stat: 'mean' | 'stddev' | 'days', value: number) => ({ series: `${anomalyRecords(signal)[stat]}${series(signal)}`, values: `${value}x${HOURS}` });
  return [
    { series: `${anomalyRecords(spend).value}${series(spend)}`, values: hourly((hour) => Math.floor(hour / 24)) },
    { series: `${anomalyRecords(tokens).value}${series(tokens)}`, values: hourly((hour) => (hour === HOURS ? 650 : 600)) },
    // The baselines as their rules would record them, for the score and the band.
    baseline(spend, 'mean', 4),
    baseline(spend, 'stddev', 2),
    baseline(spend, 'days', 7),
    baseline(tokens, 'mean', 600),
    baseline(tokens, 'stddev', 0),
    baseline(tokens, 'days', 7),
  ];
}

async function promqlTests(name: string, tests: { expr: string; value: number; signal: AnomalySignal }[]) {
  const rules = join(dir, 'none.rules.yml');
  writeFileSync(rules, JSON.stringify({ groups: [] }));
  const file = join(dir, `${name}.test.yml`);
  const exprTests = tests.map(({ expr, value, signal }) => ({ expr, eval_time: `${HOURS}h`, exp_samples: [{ labels: series(signal), value }] }));
  writeFileSync(file, JSON.stringify({ rule_files: [rules], tests: [{ interval: '1h', input_series: input(), promql_expr_test: exprTests }] }));
  const result = await testRules([file]);
  expect(result.output).toContain('SUCCESS');
  expect(result.ok, result.output).toBe(true);
}

describe('seasonal baselines', () => {
  it('take the mean, standard deviation and count of the same hour on each of the last 7 days', async () => {
    const baseline = (stat: 'mean' | 'stddev' | 'days') => seasonalBaseline(spend, stat, (day) => `${day}d`);
    await promqlTests('baselines', [
      { expr: baseline('mean'), value: 4, signal: spend },
      { expr: baseline('stddev'), value: 2, signal: spend },
      { expr: baseline('days'), value: 7, signal: spend },
    ]);
  });

  it('score the last hour in standard deviations, floored at the minimum change over k, and draw the band the score crosses at k', async () => {
    await promqlTests('scores', [
      // Spend: |8 − 4| / 2.
      { expr: anomalyScoreQuery(spend), value: 2, signal: spend },
      { expr: anomalyBandQuery(spend, 'upper'), value: 4 + k * 2, signal: spend },
      { expr: anomalyBandQuery(spend, 'lower'), value: 4 - k * 2, signal: spend },
      // Tokens: no spread, so 50 tokens over a minimum change of 100 is half of k; the band is ± the minimum change.
      { expr: anomalyScoreQuery(tokens), value: (50 / tokens.minChange) * k, signal: tokens },
      { expr: anomalyBandQuery(tokens, 'upper'), value: 600 + tokens.minChange, signal: tokens },
    ]);
  });

  it('tell the queries that read the anomaly rules from the others', () => {
    expect(readsAnomalyRules(anomalyBandQuery(spend, 'upper'))).toBe(true);
    expect(readsAnomalyRules('sum by (job) (rate(modelwatch_gen_ai_cost_usd_total[5m]))')).toBe(false);
  });
});
