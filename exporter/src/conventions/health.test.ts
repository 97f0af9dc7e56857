import { describe, expect, it } from 'vitest';
import { componentScore, HEALTH_COMPONENTS, healthBand, healthScore } from './health';

const component = (id: string) => HEALTH_COMPONENTS.find((c) => c.id === id)!;

describe('componentScore', () => {
  it.each([
    ['availability at target scores 100', 'availability', 0.999, 100],
    ['availability above target is clamped to 100', 'availability', 1, 100],
    ['availability at the zero point scores 0', 'availability', 0.95, 0],
    ['availability below the zero point is clamped to 0', 'availability', 0.5, 0],
    ['availability half way scores 50', 'availability', (0.999 + 0.95) / 2, 50],
    ['saturation (lower is better) under target scores 100', 'saturation', 0.3, 100],
    ['saturation half way between 0.8 and 1 scores 50', 'saturation', 0.9, 50],
    ['saturation at 1 scores 0', 'saturation', 1, 0],
  ])('%s', (_, id, sli, expected) => {
    expect(componentScore(component(id), sli)).toBeCloseTo(expected, 9);
  });
});

describe('healthScore', () => {
  it('weights every component when all had traffic', () => {
    const all = Object.fromEntries(HEALTH_COMPONENTS.map((c) => [c.id, 100]));
    expect(healthScore({ ...all, availability: 0 })).toBeCloseTo(70, 9);
  });

  it('leaves out components without traffic and renormalises the rest', () => {
    // availability 0.3 and latency 0.2 only: (0 * 0.3 + 100 * 0.2) / 0.5
    expect(healthScore({ availability: 0, latency: 100 })).toBeCloseTo(40, 9);
  });

  it('is undefined when nothing had traffic', () => {
    expect(healthScore({})).toBeUndefined();
  });

  it('uses weights that add up to 1', () => {
    expect(HEALTH_COMPONENTS.reduce((sum, c) => sum + c.weight, 0)).toBeCloseTo(1, 12);
  });
});

describe('healthBand', () => {
  it.each([
    [95, [], 'healthy'],
    [90, [], 'healthy'],
    [89.9, [], 'degraded'],
    [70, [], 'degraded'],
    [69.9, [], 'critical'],
    [92, [100, 0], 'critical'],
  ] as const)('score %s with components %j is %s', (score, components, band) => {
    expect(healthBand(score, components)).toBe(band);
  });
});
