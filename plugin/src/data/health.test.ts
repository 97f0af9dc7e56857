import { HEALTH_COMPONENTS, HEALTH_RECORDING_RULE, healthBand, type HealthComponentId } from '@modelwatch/exporter/conventions';
import { resolveSettings } from '../settings';
import type { Series } from './dsQuery';
import { explain, readHealth, reasonFor } from './health';

const point = (labels: Record<string, string>, value: number): Series => ({ labels, times: [0], values: [value] });
const weights = resolveSettings(undefined).healthWeights;

describe('reasonFor', () => {
  it.each<[HealthComponentId, Record<string, string>, number, string]>([
    ['availability', { http_request_method: 'POST', http_route: '/chat' }, 0.032, '3.2 % 5xx on POST /chat'],
    ['latency', { http_request_method: 'POST', http_route: '/chat' }, 0.18, '18.0 % of requests over 0.5 s on POST /chat'],
    ['ai_success', { gen_ai_provider_name: 'openai', gen_ai_request_model: 'gpt-4o-mini' }, 0.5, '50.0 % of calls failing on openai/gpt-4o-mini'],
    ['ai_latency', { gen_ai_provider_name: 'anthropic', gen_ai_request_model: 'claude-haiku-4-5' }, 0.3, '30.0 % of calls over 2.56 s on anthropic/claude-haiku-4-5'],
    ['cache', { cache_name: 'answers' }, 0.4, 'hit ratio 40.0 % on answers'],
    ['saturation', { resource: 'event_loop' }, 0.92, 'event loop at 92.0 % of its limit'],
  ])('%s', (id, labels, value, text) => {
    expect(reasonFor(id, point(labels, value))).toBe(text);
  });

  it('has no reason without an offender', () => {
    expect(reasonFor('availability', undefined)).toBeUndefined();
  });
});

describe('readHealth', () => {
  it('reads each component, marks recorded ones, and bands with the conventions', () => {
    const components = [
      point({ __name__: HEALTH_RECORDING_RULE.componentScore, component: 'availability', job: 'demo' }, 61),
      point({ component: 'latency', job: 'demo' }, 100),
    ];
    const reading = readHealth(74, components, { availability: [point({ http_request_method: 'POST', http_route: '/chat' }, 0.032)] }, weights);
    expect(reading?.band).toBe(healthBand(74, [61, 100]));
    expect(reading?.components.map((c) => [c.id, c.score, c.recorded])).toEqual([
      ['availability', 61, true],
      ['latency', 100, false],
    ]);
    expect(explain(reading!.components[0]!)).toBe('availability 61: 3.2 % 5xx on POST /chat');
  });

  it('is critical when any component is at 0, whatever the weighted score', () => {
    const components = HEALTH_COMPONENTS.map((c) => point({ component: c.id }, c.id === 'cache' ? 0 : 100));
    expect(readHealth(90, components, {}, weights)?.band).toBe('critical');
  });

  it('has no reading without a score', () => {
    expect(readHealth(undefined, [], {}, weights)).toBeUndefined();
  });
});
