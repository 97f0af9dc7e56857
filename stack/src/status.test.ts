import { describe, expect, it } from 'vitest';
import { formatStatus } from './status';

describe('formatStatus', () => {
  it('shows the health score with its band and names what fires', () => {
    const line = formatStatus({
      demoUp: true,
      trafficRunning: true,
      rps: 8.04,
      p95Seconds: 2.5,
      healthScore: 68.9,
      healthBand: 'critical',
      firing: ['AiErrorRateHigh', 'SloErrorBudgetBurn'],
      targetsUp: 3,
      targetsTotal: 3,
      deliveries: 2,
      invalidDeliveries: 0,
    });
    expect(line).toBe('demo up · traffic on · 8.0 req/s · p95 2.50 s · health 68 critical · firing: AiErrorRateHigh, SloErrorBudgetBurn · targets 3/3 up · 2 deliveries');
  });

  it('says when nothing fires, and leaves out a score not recorded yet', () => {
    expect(formatStatus({ rps: 1, p95Seconds: 0.1824, firing: [], deliveries: 0, invalidDeliveries: 0 })).toBe('1.0 req/s · p95 182 ms · nothing firing · 0 deliveries');
  });
});
