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

  describe('for exporters writing the GenAI semconv v0.1 names (latest mode)', () => {
    const latest = aiModelTargets(jobScope('demo', '3600s'), jobScope('demo', '5m'), 'latest');
    const everyCall = '__name__=~"gen_ai_client_inference_duration_seconds_count|gen_ai_client_operation_duration_seconds_count"';

    it('counts inference and other calls together, and reads the v0.1 first chunks', () => {
      expect(latest.rate.expr).toBe(`sum by (gen_ai_provider_name, gen_ai_request_model) (rate({${everyCall},job="demo"}[5m]))`);
      expect(latest.p95.expr).toBe(
        'histogram_quantile(0.95, sum by (le, gen_ai_provider_name, gen_ai_request_model) (rate({__name__=~"gen_ai_client_inference_duration_seconds_bucket|gen_ai_client_operation_duration_seconds_bucket",job="demo"}[3600s])))',
      );
      expect(latest.ttft.expr).toBe('histogram_quantile(0.95, sum by (le, gen_ai_provider_name, gen_ai_request_model) (rate(gen_ai_client_inference_time_to_first_chunk_seconds_bucket{job="demo"}[3600s])))');
      expect(latest.substitutionShare.expr).toBe(modelSubstitutionShare(jobScope('demo', '3600s'), 'latest'));
    });

    it('adds the usage counters of each token kind, relabelled so their label sets differ', () => {
      expect(latest.tokensPerSecond.expr).toBe(
        'sum by (gen_ai_provider_name, gen_ai_request_model) ((label_replace(rate(gen_ai_client_inference_usage_input_tokens_total{job="demo"}[5m]), "gen_ai_token_type", "input", "", "") or label_replace(rate(gen_ai_client_inference_usage_output_tokens_total{job="demo"}[5m]), "gen_ai_token_type", "output", "", "")))',
      );
      expect(latest.cachedShare.expr).toContain('rate(gen_ai_client_inference_usage_cache_read_input_tokens_total{job="demo"}[3600s])');
    });

    it('names no metric latest mode leaves out, and the legacy duration only beside the inference one', () => {
      const legacyOnly = /gen_ai_client_operation_|gen_ai_client_token_usage|modelwatch_gen_ai_tokens_total/;
      const offenders = Object.entries(latest).filter(([, target]) => legacyOnly.test(target.expr.replace(/__name__=~"[^"]*"/g, '')));
      expect(offenders).toEqual([]);
    });

    it('reads the legacy names in both mode, which the exporters then write in full', () => {
      expect(aiModelTargets(jobScope('demo', '3600s'), jobScope('demo', '5m'), 'both')).toEqual(targets);
    });
  });
});
