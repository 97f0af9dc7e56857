import { DataProblem } from './errors';
import { alertId, alertsFromAlertmanager, alertsFromRules, fetchAlerts, type AlertmanagerAlert, type RulesResponse } from './alerts';
import type { HttpRequest, HttpResponse } from './transport';

const rules: RulesResponse = {
  status: 'success',
  data: {
    groups: [
      {
        name: 'modelwatch',
        rules: [
          {
            name: 'HttpErrorRateHigh',
            state: 'firing',
            alerts: [
              { labels: { alertname: 'HttpErrorRateHigh', severity: 'critical', job: 'demo', grafana_folder: 'Modelwatch' }, annotations: { summary: '5xx at 12 %', runbook_url: 'https://x/runbook.md' }, state: 'Alerting', activeAt: '2026-01-01T00:00:00Z', value: '1.2e-01' },
              { labels: { alertname: 'HttpErrorRateHigh', severity: 'warning', job: 'other' }, annotations: {}, state: 'Pending', value: '2e-02' },
              { labels: { alertname: 'HttpErrorRateHigh', severity: 'warning', job: 'old' }, annotations: {}, state: 'Normal' },
            ],
          },
        ],
      },
    ],
  },
};
const amAlert: AlertmanagerAlert = { labels: { alertname: 'HttpErrorRateHigh', severity: 'critical', job: 'demo', environment: 'local' }, annotations: { summary: '5xx at 12 %' }, startsAt: '2026-01-01T00:00:00Z', status: { state: 'active' } };
const amOnly: AlertmanagerAlert = { labels: { alertname: 'Watchdog', severity: 'none' }, annotations: {}, startsAt: '2026-01-01T00:00:00Z', status: { state: 'active' } };

const transport = (answers: Record<string, HttpResponse | Error>) => async (request: HttpRequest) => {
  const answer = answers[request.url];
  if (!answer) return { status: 404, data: { message: 'Not found' } };
  if (answer instanceof Error) throw answer;
  return answer;
};

describe('alerts', () => {
  it('maps Grafana alert states (capitalised, with reasons) and values', () => {
    const rows = alertsFromRules(rules);
    expect(rows.map((r) => [r.state, r.severity, r.value])).toEqual([
      ['firing', 'critical', 0.12],
      ['pending', 'warning', 0.02],
    ]);
    expect(rows[0]?.runbookUrl).toBe('https://x/runbook.md');
  });

  it('identifies an alert by its labels without the ones Grafana adds', () => {
    expect(alertId({ b: '2', a: '1', grafana_folder: 'f', __alert_rule_uid__: 'u' })).toBe('a="1",b="2"');
  });

  it('shows an alert present in both sources once (Alertmanager adds external labels), most urgent first', async () => {
    const result = await fetchAlerts(
      transport({ '/api/prometheus/grafana/api/v1/rules': { status: 200, data: rules }, '/api/alertmanager/am/api/v2/alerts': { status: 200, data: [amAlert, amOnly] } }),
      'am',
    );
    expect(result.alerts.map((a) => [a.name, a.state, a.source])).toEqual([
      ['HttpErrorRateHigh', 'firing', 'Grafana alerting'],
      ['Watchdog', 'firing', 'Alertmanager'],
      ['HttpErrorRateHigh', 'pending', 'Grafana alerting'],
    ]);
    expect(result.failures).toEqual([]);
    expect(alertsFromAlertmanager([{ ...amOnly, status: { state: 'suppressed' } }])[0]?.state).toBe('suppressed');
  });

  it('keeps one source when the other fails, and fails when both do', async () => {
    const partial = await fetchAlerts(transport({ '/api/prometheus/grafana/api/v1/rules': { status: 200, data: rules } }), 'am');
    expect(partial.failures).toEqual([{ source: 'Alertmanager', message: 'Not found' }]);
    await expect(fetchAlerts(transport({ '/api/prometheus/grafana/api/v1/rules': new Error('connection refused') }), 'am')).rejects.toBeInstanceOf(DataProblem);
  });
});
