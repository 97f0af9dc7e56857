import { describe, expect, it } from 'vitest';
import { HEALTH_BANDS, SCORE, cacheHitScore, effectiveBurnRate, healthBand, healthScore, objectiveScore, saturationScore, scoreFromBurnRate } from './health';

describe('scoreFromBurnRate', () => {
  it.each([
    ['within the budget scores 100', 0.9, true, 100],
    ['exactly the budget scores 100', 1, true, 100],
    ['the healthy edge scores 90', SCORE.healthyEdgeBurnRate, true, 90],
    ['the page rate scores 70, the critical edge', 14.4, true, 70],
    ['a total outage of a 99.9% objective (burn 1000) scores about 22', 1000, true, 100 - (30 * Math.log(1000)) / Math.log(14.4)],
    ['far past the page rate is clamped to 0', 1e6, true, 0],
    ['an objective that never pages stops at the degraded floor', 1000, false, 70],
  ])('%s', (_, burn, page, expected) => {
    expect(scoreFromBurnRate(burn, page)).toBeCloseTo(expected, 9);
  });
});

describe('effectiveBurnRate', () => {
  it('scales each pair so its factor lands on the page rate (page pairs) or the healthy edge (ticket pairs)', () => {
    expect(effectiveBurnRate(true, { '1h': 14.4 })).toBeCloseTo(14.4, 9);
    expect(effectiveBurnRate(true, { '6h': 6 })).toBeCloseTo(14.4, 9);
    expect(effectiveBurnRate(true, { '1d': 3 })).toBeCloseTo(SCORE.healthyEdgeBurnRate, 9);
    expect(effectiveBurnRate(true, { '3d': 1 })).toBeCloseTo(SCORE.healthyEdgeBurnRate, 9);
  });

  it('caps ticket pairs, and every pair of an objective that never pages, at the page rate', () => {
    expect(effectiveBurnRate(true, { '1d': 100, '3d': 100 })).toBe(14.4);
    expect(effectiveBurnRate(false, { '1h': 100 })).toBe(14.4);
  });

  it('takes the highest pair and skips pairs without traffic', () => {
    expect(effectiveBurnRate(true, { '1h': 2, '6h': 3 })).toBeCloseTo(7.2, 9);
    expect(effectiveBurnRate(true, {})).toBeUndefined();
  });
});

describe('objectiveScore', () => {
  it('puts a paging objective in the critical band exactly when a page pair is over its factor', () => {
    expect(healthBand(objectiveScore(true, { '1h': 14.5 })!)).toBe('critical');
    expect(healthBand(objectiveScore(true, { '1h': 14.3, '6h': 5.9, '1d': 100, '3d': 100 })!)).toBe('degraded');
  });

  it('puts an objective in the degraded band when a ticket pair is over its factor', () => {
    expect(healthBand(objectiveScore(true, { '1d': 3.1 })!)).toBe('degraded');
    expect(healthBand(objectiveScore(true, { '1d': 2.9, '3d': 0.9 })!)).toBe('healthy');
  });
});

describe('saturationScore and cacheHitScore', () => {
  it.each([
    [0.5, 100],
    [0.8, 100],
    [0.9, 85],
    [1, 70],
    [3, 70],
  ])('saturation %d scores %d', (saturation, score) => {
    expect(saturationScore(saturation)).toBeCloseTo(score, 9);
  });

  it.each([
    [0.3, 0.2, 100],
    [0.2, 0.2, 100],
    [0.15, 0.2, 85],
    [0.1, 0.2, 70],
    [0, 0.4, 70],
  ])('hit ratio %d against %d scores %d', (ratio, reference, score) => {
    expect(cacheHitScore(ratio, reference)).toBeCloseTo(score, 9);
  });
});

describe('healthScore and healthBand', () => {
  it("is the lowest component's score; undefined without any", () => {
    expect(healthScore([100, 72.5, 95])).toBe(72.5);
    expect(healthScore([])).toBeUndefined();
  });

  it('bands at 90 and 70', () => {
    expect([HEALTH_BANDS.healthy, 89.99, HEALTH_BANDS.degraded, 69.99].map(healthBand)).toEqual(['healthy', 'degraded', 'degraded', 'critical']);
  });
});
