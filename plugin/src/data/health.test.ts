import { HEALTH_RECORDING_RULE, healthBand } from '@modelwatch/conventions';
import type { Series } from './dsQuery';
import { maskedFailure, readHealth, type HealthSeries } from './health';
import { readObjectives, type ObjectiveRow } from './slo';

const point = (labels: Record<string, string>, value: number): Series => ({ labels, times: [0], values: [value] });
const component = (labels: Record<string, string>, value: number) => point({ __name__: HEALTH_RECORDING_RULE.componentScore, job: 'demo', ...labels }, value);

const availability = { slo: 'availability', slo_kind: 'availability', slo_target: '0.999', slo_scope: 'every route', slo_alerting: 'page' };
const chatLatency = { slo: 'POST /chat: latency', slo_kind: 'http_latency', slo_target: '0.99', slo_threshold_seconds: '10', slo_scope: 'POST /chat', slo_alerting: 'page' };
const haikuSuccess = {
  slo: 'chat models: success',
  slo_kind: 'ai_success',
  slo_target: '0.99',
  slo_scope: 'every model',
  slo_alerting: 'ticket',
  gen_ai_provider_name: 'anthropic',
  gen_ai_request_model: 'claude-haiku-4-5',
};

function series(scores: { availability: number; chatLatency: number; haiku: number; saturation: number; answersHitRatio: number }): HealthSeries {
  const components = [
    component({ component: 'availability', ...availability }, scores.availability),
    component({ component: 'POST /chat: latency', ...chatLatency }, scores.chatLatency),
    component({ component: 'chat models: success', ...haikuSuccess }, scores.haiku),
    component({ component: 'saturation' }, scores.saturation),
    component({ component: 'cache_hit_ratio', cache_name: 'answers' }, scores.answersHitRatio),
  ];
  const errorRatios = [
    point({ job: 'demo', ...availability, window: '1h' }, 0),
    point({ job: 'demo', ...chatLatency, window: '1h' }, 0.03),
    point({ job: 'demo', ...haikuSuccess, window: '1h' }, 0.4),
  ];
  const burnRates = [point({ job: 'demo', ...chatLatency, window: '1h' }, 3), point({ job: 'demo', ...haikuSuccess, window: '1h' }, 40)];
  return {
    score: [point({ job: 'demo' }, Math.min(...Object.values(scores)))],
    components,
    objectives: readObjectives({ components, errorRatios, burnRates, budgetRemaining: [] }),
    saturation: [point({ job: 'demo', resource: 'cpu' }, 0.3), point({ job: 'demo', resource: 'event_loop' }, 0.92)],
    cacheHitRatios: [point({ cache_name: 'answers' }, 0.08)],
  };
}

describe('readHealth', () => {
  it('bands the recorded score alone and explains every component by objective, worst first', () => {
    const reading = readHealth(series({ availability: 100, chatLatency: 58.2, haiku: 70, saturation: 82, answersHitRatio: 76 }))!;
    expect(reading.score).toBe(58.2);
    expect(reading.band).toBe(healthBand(58.2));
    expect(reading.components.map((c) => [c.name, c.score, c.band])).toEqual([
      ['POST /chat: latency', 58.2, 'critical'],
      ['chat models: success', 70, 'degraded'],
      ['cache_hit_ratio', 76, 'degraded'],
      ['saturation', 82, 'degraded'],
      ['availability', 100, 'healthy'],
    ]);
    expect(reading.components.map((c) => c.explanation)).toEqual([
      'POST /chat: latency — 97.00 % answered within 10 s over 1h, target 99 %, burning 3.0× (page)',
      'chat models: success (anthropic/claude-haiku-4-5) — 60.00 % of calls succeeding over 1h, target 99 %, burning 40× (ticket)',
      'hit ratio of cache answers — 8.0 % recently, against its expected ratio or its own last day',
      'saturation — event loop at 92.0 % of its limit',
      'availability (every route) — 100 % answered without a 5xx over 1h, target 99.9 % (page)',
    ]);
    // Users feel the chat latency: no masked-failure note.
    expect(reading.masked).toBeUndefined();
  });

  it('says users are unaffected when only an objective that opens tickets fails', () => {
    const reading = readHealth(series({ availability: 100, chatLatency: 100, haiku: 70, saturation: 100, answersHitRatio: 100 }))!;
    expect(reading.band).toBe('degraded');
    expect(reading.masked).toBe(
      'Every objective that pages is met, so failover or retries absorb what chat models: success (anthropic/claude-haiku-4-5) misses: a dependency is failing behind them. Fix it before the failover runs out.',
    );
  });

  it('has no reading without a recorded score', () => {
    expect(readHealth({ ...series({ availability: 100, chatLatency: 100, haiku: 100, saturation: 100, answersHitRatio: 100 }), score: [] })).toBeUndefined();
  });
});

describe('maskedFailure', () => {
  const objective = (pages: boolean, score: number | undefined): ObjectiveRow => ({
    key: `${pages}${score}`,
    name: pages ? 'availability' : 'chat models: success',
    kind: pages ? 'availability' : 'ai_success',
    target: 0.99,
    scope: 'every model',
    subject: pages ? undefined : 'openai/gpt-4o',
    pages,
    score,
    sli: {},
    burnRate: {},
  });

  it.each([
    ['a ticket objective degraded, every page objective at 100', [objective(true, 100), objective(false, 75)], true],
    ['a ticket objective only slightly over its budget (still healthy)', [objective(true, 100), objective(false, 95)], false],
    ['a page objective below 100 too', [objective(true, 99), objective(false, 75)], false],
    ['no page objective with traffic', [objective(true, undefined), objective(false, 75)], false],
  ])('%s', (_case, objectives, masked) => {
    expect(maskedFailure(objectives) !== undefined).toBe(masked);
  });
});
