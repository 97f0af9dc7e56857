import { BUDGET_RECORDING_RULE, jobScope } from '@modelwatch/conventions';
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
});
