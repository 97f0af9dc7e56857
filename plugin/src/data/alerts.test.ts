import { DataProblem } from './errors';
import { WATCHDOG_DELIVERY_GRACE_MS, alertId, alertRows, alertsFromAlertmanager, alertsFromRules, fetchAlerts, pipelineHealth, type AlertmanagerAlert, type AlertRow, type RulesResponse } from './alerts';
import type { HttpRequest, HttpResponse } from './transport';

const RULES_PATH = '/api/prometheus/grafana/api/v1/rules';
const AM_PATH = '/api/alertmanager/am/api/v2/alerts';

// One objective's burn alert, as the generated rules label it: a page (critical) and a ticket (warning) copy.
const burn = { alertname: 'LatencyErrorBudgetBurn', job: 'demo', slo: 'POST /chat: latency', slo_kind: 'http_latency', slo_scope: 'POST /chat' };
const rules: RulesResponse = {
  status: 'success',
  data: {
    groups: [
      {
        name: 'modelwatch',
        rules: [
          {
            name: 'LatencyErrorBudgetBurn',
            state: 'firing',
            alerts: [
              { labels: { ...burn, severity: 'critical', grafana_folder: 'Modelwatch' }, annotations: { summary: 'burning', runbook_url: 'https://x/runbook.md' }, state: 'Alerting', activeAt: '2026-01-01T00:00:00Z', value: '1.2e+00' },
              { labels: { ...burn, severity: 'warning' }, annotations: {}, state: 'Alerting (NoData)', value: '2e+00' },
              { labels: { ...burn, job: 'other', severity: 'warning' }, annotations: {}, state: 'Pending', value: '1.1e+00' },
              { labels: { ...burn, job: 'old', severity: 'warning' }, annotations: {}, state: 'Normal' },
            ],
          },
          { name: 'Watchdog', state: 'firing', alerts: [{ labels: { alertname: 'Watchdog', severity: 'none' }, annotations: {}, state: 'Alerting' }] },
        ],
      },
    ],
  },
};
const amCopy: AlertmanagerAlert = { labels: { ...burn, severity: 'critical', environment: 'local' }, annotations: { summary: 'burning' }, startsAt: '2026-01-01T00:00:00Z', status: { state: 'active' } };
const amWarning: AlertmanagerAlert = { ...amCopy, labels: { ...amCopy.labels, severity: 'warning' }, status: { state: 'suppressed' } };
const watchdog: AlertmanagerAlert = { labels: { alertname: 'Watchdog', severity: 'none', environment: 'local' }, annotations: {}, startsAt: '2026-01-01T00:00:00Z', status: { state: 'active' } };

const transport = (answers: Record<string, HttpResponse | Error>) => async (request: HttpRequest) => {
  const answer = answers[request.url];
  if (!answer) return { status: 404, data: { message: 'Not found' } };
  if (answer instanceof Error) throw answer;
  return answer;
};

describe('alerts', () => {
  it('maps Grafana alert states (capitalised, with reasons) and values', () => {
    const rows = alertsFromRules(rules);
    expect(rows.map((r) => [r.name, r.state, r.severity, r.value])).toEqual([
      ['LatencyErrorBudgetBurn', 'firing', 'critical', 1.2],
      ['LatencyErrorBudgetBurn', 'firing', 'warning', 2],
      ['LatencyErrorBudgetBurn', 'pending', 'warning', 1.1],
      ['Watchdog', 'firing', 'none', undefined],
    ]);
    expect(rows[0]?.runbookUrl).toBe('https://x/runbook.md');
    expect(alertsFromAlertmanager([amWarning])[0]?.state).toBe('suppressed');
  });

  it('identifies an alert copy by its labels without the ones Grafana adds', () => {
    expect(alertId({ b: '2', a: '1', grafana_folder: 'f', __alert_rule_uid__: 'u' })).toBe('a="1",b="2"');
  });

  it("shows one row per alert: both sources' copies and the page and ticket of one objective, at the highest severity", async () => {
    const result = await fetchAlerts(transport({ [RULES_PATH]: { status: 200, data: rules }, [AM_PATH]: { status: 200, data: [amCopy, amWarning, watchdog] } }), 'am');
    const rows = alertRows(result.alerts, ['firing', 'pending', 'suppressed']);
    expect(rows.map((r) => [r.labels.job, r.state, r.severity, r.otherSeverities, r.source])).toEqual([
      ['demo', 'firing', 'critical', ['warning'], 'Grafana alerting'],
      ['other', 'pending', 'warning', [], 'Grafana alerting'],
    ]);
    expect(result.failures).toEqual([]);
  });

  it('shows the copies of the asked states only: a firing ticket under a pending page still shows as firing', () => {
    const pendingPage = alertsFromRules({ status: 'success', data: { groups: [{ name: 'g', rules: [{ name: 'x', state: 'pending', alerts: [{ labels: { ...burn, severity: 'critical' }, annotations: {}, state: 'Pending' }, { labels: { ...burn, severity: 'warning' }, annotations: {}, state: 'Alerting' }] }] }] } });
    expect(alertRows(pendingPage, ['firing']).map((r) => [r.state, r.severity])).toEqual([['firing', 'warning']]);
    expect(alertRows(pendingPage, ['firing', 'pending']).map((r) => [r.state, r.severity, r.otherSeverities])).toEqual([['pending', 'critical', ['warning']]]);
  });

  it('keeps different alerts apart: another model of the same objective is another row', () => {
    const row = (model: string): AlertRow => alertsFromAlertmanager([{ ...amCopy, labels: { ...burn, severity: 'warning', gen_ai_request_model: model } }])[0]!;
    expect(alertRows([row('gpt-4o'), row('gpt-4o-mini')], ['firing'])).toHaveLength(2);
  });

  it('lists the Watchdog nowhere, and reads the pipeline from it', async () => {
    const healthy = await fetchAlerts(transport({ [RULES_PATH]: { status: 200, data: rules }, [AM_PATH]: { status: 200, data: [watchdog] } }), 'am');
    expect(healthy.alerts.map((a) => a.name)).not.toContain('Watchdog');
    expect(healthy.pipeline).toEqual({ state: 'healthy', message: 'Alerting pipeline healthy: watchdog firing as designed.' });

    // The rules' watchdog has no start time here: long enough ago to have reached Alertmanager.
    const undelivered = await fetchAlerts(transport({ [RULES_PATH]: { status: 200, data: rules }, [AM_PATH]: { status: 200, data: [] } }), 'am');
    expect(undelivered.pipeline.state).toBe('undelivered');
    const unchecked = await fetchAlerts(transport({ [RULES_PATH]: { status: 200, data: rules } }), 'am');
    expect(unchecked.pipeline.state).toBe('unchecked');
    expect(pipelineHealth([], true, 0).state).toBe('broken');
  });

  it('gives a watchdog that has just started firing two sends to reach Alertmanager', () => {
    const [firing] = alertsFromRules({ status: 'success', data: { groups: [{ name: 'g', rules: [{ name: 'Watchdog', state: 'firing', alerts: [{ labels: { alertname: 'Watchdog' }, annotations: {}, state: 'Alerting', activeAt: '2026-01-01T00:00:00Z' }] }] }] } });
    const since = Date.parse('2026-01-01T00:00:00Z');
    expect(pipelineHealth([firing!], true, since + WATCHDOG_DELIVERY_GRACE_MS - 1).state).toBe('starting');
    expect(pipelineHealth([firing!], true, since + WATCHDOG_DELIVERY_GRACE_MS).state).toBe('undelivered');
  });

  it('keeps one source when the other fails, and fails when both do', async () => {
    const partial = await fetchAlerts(transport({ [RULES_PATH]: { status: 200, data: rules } }), 'am');
    expect(partial.failures).toEqual([{ source: 'Alertmanager', message: 'Not found' }]);
    await expect(fetchAlerts(transport({ [RULES_PATH]: new Error('connection refused') }), 'am')).rejects.toBeInstanceOf(DataProblem);
  });
});
