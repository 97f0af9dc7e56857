import { HEALTH_COMPONENTS, componentScoreInline, componentScoreRecorded, healthScoreFrom } from '@modelwatch/exporter/conventions';
import { componentScoreExpr, healthScoreExpr, overviewTargets } from './overview';
import { jobScope, rangeWindow } from './promql';

const scope = jobScope('demo');

describe('overview queries', () => {
  it('reads a component from its recording rule, else computes it inline with the same conventions', () => {
    expect(componentScoreExpr('availability', scope)).toBe(`${componentScoreRecorded('availability', scope)} or ${componentScoreInline('availability', scope)}`);
    expect(componentScoreExpr('cache', scope)).toMatch(/^modelwatch:health_component:score\{component="cache",job="demo"\} or label_replace\(clamp\(/);
  });

  it('weights the score with the conventions maths and the configured weights', () => {
    const weights = { availability: 1, latency: 0 };
    expect(healthScoreExpr(scope, weights)).toBe(healthScoreFrom((id) => componentScoreExpr(id, scope), weights));
    expect(healthScoreExpr(scope, weights)).toContain(') * 1 or');
  });

  it('has a worst-offender query per health component, and everything scoped to the job', () => {
    const targets = overviewTargets(scope, {});
    for (const c of HEALTH_COMPONENTS) expect(targets[`offender_${c.id}`].expr).toContain('job="demo"');
    expect(targets.slowRoutes.expr).toBe(
      'topk(5, histogram_quantile(0.95, sum by (le, http_request_method, http_route) (rate(http_server_request_duration_seconds_bucket{job="demo"}[5m]))) >= 0)',
    );
    expect(targets.score.instant).toBe(true);
    expect('instant' in targets.trend).toBe(false);
  });

  it('escapes the job and turns a range into a window', () => {
    expect(jobScope('a"b').matchers).toEqual(['job="a\\"b"']);
    expect(jobScope(undefined).matchers).toEqual([]);
    expect(rangeWindow({ from: 0, to: 3_600_000 })).toBe('3600s');
    expect(rangeWindow({ from: 0, to: 1000 })).toBe('60s');
  });
});
