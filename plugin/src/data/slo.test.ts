import { HEALTH_RECORDING_RULE, SLO_RECORDING_RULE } from '@modelwatch/conventions';
import type { Series } from './dsQuery';
import { explainObjective, objectiveBand, objectiveKey, readObjectives, type ObjectiveSeries } from './slo';

const point = (labels: Record<string, string>, value: number): Series => ({ labels, times: [0], values: [value] });

// Labels as the recording rules generated from demo/slos.yaml write them.
const chatLatency = {
  job: 'demo',
  slo: 'POST /chat: latency',
  slo_kind: 'http_latency',
  slo_target: '0.99',
  slo_threshold_seconds: '10',
  slo_scope: 'POST /chat',
  slo_alerting: 'page',
};
const availability = { job: 'demo', slo: 'availability', slo_kind: 'availability', slo_target: '0.999', slo_scope: 'every route', slo_alerting: 'page' };
const modelSuccess = (model: string) => ({
  job: 'demo',
  slo: 'chat models: success',
  slo_kind: 'ai_success',
  slo_target: '0.99',
  slo_scope: 'every model',
  slo_alerting: 'ticket',
  gen_ai_provider_name: 'openai',
  gen_ai_request_model: model,
});

/** The recorded series of one objective: its component score, error ratios, burn rates and budget. */
function recorded(labels: Record<string, string>, v: { score: number; error5m: number; error1h: number; burn1h: number; burn6h: number; budget: number }): ObjectiveSeries {
  return {
    components: [point({ __name__: HEALTH_RECORDING_RULE.componentScore, component: labels.slo!, ...labels }, v.score)],
    errorRatios: [point({ __name__: SLO_RECORDING_RULE.errorRatio, ...labels, window: '5m' }, v.error5m), point({ __name__: SLO_RECORDING_RULE.errorRatio, ...labels, window: '1h' }, v.error1h)],
    burnRates: [
      point({ __name__: SLO_RECORDING_RULE.burnRate, ...labels, window: '1h' }, v.burn1h),
      point({ __name__: SLO_RECORDING_RULE.burnRate, ...labels, window: '6h' }, v.burn6h),
      // A window the table does not show is left out.
      point({ __name__: SLO_RECORDING_RULE.burnRate, ...labels, window: '3d' }, 99),
    ],
    budgetRemaining: [point({ __name__: SLO_RECORDING_RULE.budgetRemaining, ...labels }, v.budget)],
  };
}

const merge = (...parts: ObjectiveSeries[]): ObjectiveSeries => ({
  components: parts.flatMap((p) => p.components),
  errorRatios: parts.flatMap((p) => p.errorRatios),
  burnRates: parts.flatMap((p) => p.burnRates),
  budgetRemaining: parts.flatMap((p) => p.budgetRemaining),
});

describe('readObjectives', () => {
  it('joins the four recorded metrics into one row per objective and model, worst first', () => {
    const rows = readObjectives(
      merge(
        recorded(availability, { score: 100, error5m: 0, error1h: 0, burn1h: 0, burn6h: 0, budget: 1 }),
        recorded(modelSuccess('gpt-4o'), { score: 100, error5m: 0, error1h: 0.001, burn1h: 0.1, burn6h: 0.1, budget: 0.99 }),
        recorded(chatLatency, { score: 58.2, error5m: 0.05, error1h: 0.03, burn1h: 3, burn6h: 1.2, budget: 0.4 }),
        recorded(modelSuccess('gpt-4o-mini'), { score: 74, error5m: 0.2, error1h: 0.1, burn1h: 10, burn6h: 4, budget: -0.5 }),
      ),
    );
    expect(rows.map((r) => [r.name, r.subject, r.score])).toEqual([
      ['POST /chat: latency', undefined, 58.2],
      ['chat models: success', 'openai/gpt-4o-mini', 74],
      // Equal scores: the faster burn first.
      ['chat models: success', 'openai/gpt-4o', 100],
      ['availability', undefined, 100],
    ]);
    expect(rows[0]).toMatchObject({
      kind: 'http_latency',
      target: 0.99,
      thresholdSeconds: 10,
      scope: 'POST /chat',
      pages: true,
      sli: { '5m': 0.95, '1h': 0.97 },
      burnRate: { '1h': 3, '6h': 1.2 },
      budgetRemaining: 0.4,
    });
    expect(rows[1]).toMatchObject({ pages: false, budgetRemaining: -0.5 });
    expect(rows[1]).not.toHaveProperty('thresholdSeconds');
    expect(rows.map(objectiveBand)).toEqual(['critical', 'degraded', 'healthy', 'healthy']);
  });

  it('keeps an objective without a score (no traffic) last, and skips series that are not objectives', () => {
    const rows = readObjectives({
      components: [point({ component: 'saturation', job: 'demo' }, 80), point({ component: 'cache_hit_ratio', job: 'demo', cache_name: 'answers' }, 70)],
      errorRatios: [point({ ...availability, window: '5m' }, 0)],
      burnRates: [point({ ...chatLatency, window: '1h' }, 0.5)],
      budgetRemaining: [],
    });
    expect(rows.map((r) => [r.name, r.score])).toEqual([
      ['POST /chat: latency', undefined],
      ['availability', undefined],
    ]);
    expect(objectiveBand(rows[0]!)).toBeUndefined();
  });

  it('identifies a series by its labels without name, window and component', () => {
    expect(objectiveKey({ __name__: 'x', window: '1h', component: 'availability', slo: 'availability', job: 'demo' })).toBe('job="demo",slo="availability"');
  });
});

describe('explainObjective', () => {
  const row = (labels: Record<string, string>, v: Parameters<typeof recorded>[1]) => readObjectives(recorded(labels, v))[0]!;

  it('names the objective, its SLI against its threshold, target, burn rate and urgency', () => {
    expect(explainObjective(row(chatLatency, { score: 58, error5m: 0.05, error1h: 0.03, burn1h: 3.2, burn6h: 1, budget: 0.5 }))).toBe(
      'POST /chat: latency — 97.00 % answered within 10 s over 1h, target 99 %, burning 3.2× (page)',
    );
  });

  it('names what an objective covers when its name does not: the model, or the routes in words', () => {
    expect(explainObjective(row(modelSuccess('gpt-4o-mini'), { score: 70, error5m: 1, error1h: 0.25, burn1h: 25, burn6h: 5, budget: 0 }))).toBe(
      'chat models: success (openai/gpt-4o-mini) — 75.00 % of calls succeeding over 1h, target 99 %, burning 25× (ticket)',
    );
    expect(explainObjective(row(availability, { score: 0, error5m: 0.6, error1h: 0.0004, burn1h: 0.4, burn6h: 0.1, budget: 0.9 }))).toBe(
      'availability (every route) — 99.96 % answered without a 5xx over 1h, target 99.9 %, burning 0.4× (page)',
    );
  });

  it('uses the 5m window when the hour has no sample yet', () => {
    const only5m = readObjectives({ components: [], errorRatios: [point({ ...chatLatency, window: '5m' }, 0.5)], burnRates: [], budgetRemaining: [] })[0]!;
    expect(explainObjective(only5m)).toBe('POST /chat: latency — 50.00 % answered within 10 s over 5m, target 99 % (page)');
  });
});
