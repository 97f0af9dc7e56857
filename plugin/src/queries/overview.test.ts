import { HEALTH_RECORDING_RULE, SLO_RECORDING_RULE, jobScope, rangeWindow } from '@modelwatch/conventions';
import { healthTargets, overviewTargets } from './overview';

const scope = jobScope('demo');

describe('overview queries', () => {
  it('reads the score and every objective from the recorded series of the job, never computing them', () => {
    const targets = healthTargets(scope);
    expect(targets.score).toEqual({ expr: `${HEALTH_RECORDING_RULE.score}{job="demo"}`, instant: true });
    expect(targets.trend).toEqual({ expr: `${HEALTH_RECORDING_RULE.score}{job="demo"}` });
    expect(targets.components.expr).toBe(`${HEALTH_RECORDING_RULE.componentScore}{job="demo"}`);
    expect(targets.errorRatios.expr).toBe(`${SLO_RECORDING_RULE.errorRatio}{window=~"5m|1h",job="demo"}`);
    expect(targets.burnRates.expr).toBe(`${SLO_RECORDING_RULE.burnRate}{window=~"1h|6h",job="demo"}`);
    expect(targets.budgetRemaining.expr).toBe(`${SLO_RECORDING_RULE.budgetRemaining}{job="demo"}`);
    expect(targets.saturation.expr).toBe('modelwatch:saturation:ratio{job="demo"}');
  });

  it("quotes each cache's hit ratio over the window its component judges", () => {
    expect(healthTargets(scope).cacheHitRatios.expr).toBe(
      '(sum by (cache_name) (rate(modelwatch_cache_requests_total{cache_result="hit",job="demo"}[30m]))) / (sum by (cache_name) (rate(modelwatch_cache_requests_total{job="demo"}[30m])) > 0)',
    );
  });

  it('keeps the key SLIs and top offenders on the last 5 minutes of the job', () => {
    const targets = overviewTargets(scope);
    expect(targets.slowRoutes.expr).toBe(
      'topk(5, histogram_quantile(0.95, sum by (le, http_request_method, http_route) (rate(http_server_request_duration_seconds_bucket{job="demo"}[5m]))) >= 0)',
    );
    for (const target of Object.values(targets)) expect(target.expr).toContain('job="demo"');
  });

  it('escapes the job and turns a range into a window', () => {
    expect(jobScope('a"b').matchers).toEqual(['job="a\\"b"']);
    expect(jobScope(undefined).matchers).toEqual([]);
    expect(rangeWindow({ from: 0, to: 3_600_000 })).toBe('3600s');
    expect(rangeWindow({ from: 0, to: 1000 })).toBe('60s');
  });

  it('counts the AI calls of the v0.1 names with the other operations when the exporters write them (latest mode)', () => {
    const targets = overviewTargets(scope, 'latest');
    const calls = '{__name__=~"gen_ai_client_inference_duration_seconds_count|gen_ai_client_operation_duration_seconds_count",job="demo"}';
    expect(targets.aiErrorRatio.expr).toBe(`(sum by (job) (rate({error_type!="",${calls.slice(1)}[5m])) or sum by (job) (rate(${calls}[5m])) * 0) / (sum by (job) (rate(${calls}[5m])) > 0)`);
    expect(targets.failingModels.expr).toContain(`sum by (gen_ai_provider_name, gen_ai_request_model) (rate(${calls}[5m]))`);
    expect(overviewTargets(scope, 'both')).toEqual(overviewTargets(scope));
  });
});

