import { DATASOURCE_UID, type AppSettings } from '@modelwatch/conventions';
import { resolveSettings, validateSettings } from './settings';

describe('settings', () => {
  it('fills every missing field from the conventions', () => {
    const settings = resolveSettings(undefined);
    expect(settings).toEqual({ prometheusUid: DATASOURCE_UID.prometheus, alertmanagerUid: DATASOURCE_UID.alertmanager, tempoUid: '', semconv: 'legacy' });
    expect(validateSettings(settings)).toEqual({});
  });

  it('keeps what is set, and drops the budget, targets and weights older versions saved', () => {
    const saved = { prometheusUid: 'p', monthlyBudgetUsd: 42, slo: { availability: 0.99 }, healthWeights: { cache: 0 } } as AppSettings;
    expect(resolveSettings(saved)).toEqual({ prometheusUid: 'p', alertmanagerUid: DATASOURCE_UID.alertmanager, tempoUid: '', semconv: 'legacy' });
  });

  it("keeps the exporters' GenAI semconv mode, and reads a mode it does not know as legacy", () => {
    expect(resolveSettings({ semconv: 'latest' }).semconv).toBe('latest');
    expect(resolveSettings({ semconv: 'both' }).semconv).toBe('both');
    expect(resolveSettings({ semconv: 'v2' } as unknown as AppSettings).semconv).toBe('legacy');
  });

  it('explains an invalid field', () => {
    expect(validateSettings(resolveSettings({ prometheusUid: ' ' }))).toEqual({ prometheusUid: 'Pick the Prometheus datasource the pages query.' });
  });

  it('names a data source uid Grafana does not have', () => {
    expect(validateSettings(resolveSettings({ tempoUid: 'old-tempo' }), (uid) => uid !== 'old-tempo')).toEqual({
      tempoUid: 'This Grafana has no data source with uid "old-tempo" (deleted or renamed?): pick one in the list.',
    });
  });
});
