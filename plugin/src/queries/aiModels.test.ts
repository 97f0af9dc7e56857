import { BUDGET_RECORDING_RULE, attributedBudget, attributedSpend, jobScope, modelSubstitutionShare, modelSubstitutions, rateLimitRemainingShare, rateLimitSecondsToReset } from '@modelwatch/conventions';
import { aiModelTargets } from './aiModels';

describe('AI models queries', () => {
  const targets = aiModelTargets(jobScope('demo', '3600s'), jobScope('demo', '5m'));

  it("reads the service's monthly budget from its recorded series", () => {
    expect(targets.budget).toEqual({ expr: `${BUDGET_RECORDING_RULE}{job="demo"}`, instant: true });
  });

  it("takes each model's lowest objective score, from the components that carry a model", () => {
    expect(targets.objectiveScore.expr).toBe('min by (gen_ai_provider_name, gen_ai_request_model) (modelwatch:health_component:score{gen_ai_request_model!="",job="demo"})');
  });

  it('gives the p95 time per output token per model over the selected range', () => {
    expect(targets.timePerToken.expr).toBe(
      'histogram_quantile(0.95, sum by (le, gen_ai_provider_name, gen_ai_request_model) (rate(modelwatch_gen_ai_time_per_output_token_seconds_bucket{job="demo"}[3600s])))',
    );
  });

  it("projects the service's month and each tenant's and feature's at the current pace, over this month's days", () => {
    expect(targets.projectedMonth.expr).toBe('sum(rate(modelwatch_gen_ai_cost_usd_total{job="demo"}[5m])) * 86400 * scalar(days_in_month())');
    expect(targets.tenantSpend).toEqual({ expr: attributedSpend('tenant', jobScope('demo', '5m')), instant: true });
    expect(targets.featureSpend.expr).toContain('sum by (job, feature) (rate(modelwatch_gen_ai_attributed_cost_usd_total{feature!~"_other|_none",job="demo"}[5m])) * 86400 * scalar(days_in_month())');
    expect(targets.tenantBudget.expr).toBe(attributedBudget('tenant', jobScope('demo')));
    expect(targets.featureBudget.expr).toBe('max by (job, feature) (modelwatch:ai_feature_budget:usd_per_month{job="demo"})');
  });

  it('counts substitutions over the selected range and reads the rate-limit headroom now', () => {
    expect(targets.substitutions.expr).toBe(modelSubstitutions(jobScope('demo', '3600s')));
    expect(targets.substitutionShare.expr).toBe(modelSubstitutionShare(jobScope('demo', '3600s')));
    expect(targets.rateLimitRemaining.expr).toBe(rateLimitRemainingShare(jobScope('demo')));
    expect(targets.rateLimitReset.expr).toBe(rateLimitSecondsToReset(jobScope('demo')));
  });
});
