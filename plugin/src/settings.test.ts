import { DATASOURCE_UID, DEFAULT_MONTHLY_BUDGET_USD, HEALTH_COMPONENTS, SLO } from '@modelwatch/exporter/conventions';
import { resolveSettings, validateSettings } from './settings';

describe('settings', () => {
  it('fills every missing field from the conventions', () => {
    const settings = resolveSettings(undefined);
    expect(settings.prometheusUid).toBe(DATASOURCE_UID.prometheus);
    expect(settings.alertmanagerUid).toBe(DATASOURCE_UID.alertmanager);
    expect(settings.monthlyBudgetUsd).toBe(DEFAULT_MONTHLY_BUDGET_USD);
    expect(settings.slo).toEqual({ availability: SLO.availability.target, latency: SLO.latency.target });
    for (const c of HEALTH_COMPONENTS) expect(settings.healthWeights[c.id]).toBe(c.weight);
    expect(validateSettings(settings)).toEqual({});
  });

  it('keeps what is set', () => {
    expect(resolveSettings({ prometheusUid: 'p', monthlyBudgetUsd: 42, healthWeights: { cache: 0 } })).toMatchObject({ prometheusUid: 'p', monthlyBudgetUsd: 42, healthWeights: { cache: 0, availability: 0.3 } });
  });

  it('explains each invalid field', () => {
    const settings = resolveSettings({ prometheusUid: ' ', monthlyBudgetUsd: -1, slo: { availability: 99.9 } });
    settings.healthWeights.latency = -2;
    expect(validateSettings(settings)).toEqual({
      prometheusUid: 'Pick the Prometheus datasource the pages query.',
      monthlyBudgetUsd: 'The monthly budget must be a positive number of US dollars.',
      'slo.availability': 'The availability SLO target must be a ratio between 0 and 1, e.g. 0.999 for 99.9 %.',
      'healthWeights.latency': 'The Latency weight must be 0 or more.',
    });
  });

  it('needs at least one positive weight', () => {
    const settings = resolveSettings({ healthWeights: Object.fromEntries(HEALTH_COMPONENTS.map((c) => [c.id, 0])) });
    expect(validateSettings(settings).healthWeights).toBe('At least one health weight must be above 0.');
  });
});
