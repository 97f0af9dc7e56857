import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALERT, BUDGET_THRESHOLD_LABEL, WATCHDOG_SEVERITY } from '@modelwatch/conventions';
import { checkConfig, routesTest, templateRender } from '@modelwatch/testkit';
import { REPO_ROOT } from '../repo';
import { OUTPUT } from '../generate';
import { RECEIVER } from '../catalogue/routing';
import { TEMPLATE } from './templates';

const CONFIGS = { production: join(REPO_ROOT, OUTPUT.alertmanager), local: join(REPO_ROOT, OUTPUT.localAlertmanager) };
const TEMPLATES = join(REPO_ROOT, OUTPUT.templates);

/** Alertmanager's template data for one firing alert of the catalogue. */
const firing = {
  receiver: RECEIVER.page,
  status: 'firing',
  alerts: [
    {
      status: 'firing',
      labels: { alertname: ALERT.availabilityBudgetBurn, job: 'demo', severity: 'critical' },
      annotations: {
        summary: 'demo answers too many requests with 5xx',
        description: '12.5% of the HTTP requests of demo were answered 5xx over the last 5 minutes (critical above 5%).',
        runbook_url: 'https://runbooks.example/AvailabilityErrorBudgetBurn.md',
        dashboard_url: 'http://grafana.example/d/modelwatch-http-runtime?var-job=demo',
        plugin_url: 'http://grafana.example/a/modelwatch-health-app/overview?var-job=demo',
      },
      startsAt: '2026-11-23T10:00:00Z',
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus.example/graph',
      fingerprint: 'abc',
    },
  ],
  groupLabels: { alertname: ALERT.availabilityBudgetBurn, job: 'demo' },
  commonLabels: { alertname: ALERT.availabilityBudgetBurn, job: 'demo', severity: 'critical' },
  commonAnnotations: {},
  externalURL: 'http://alertmanager.example',
};
const resolved = { ...firing, status: 'resolved', alerts: firing.alerts.map((a) => ({ ...a, status: 'resolved' })) };
const render = (name: string, data: unknown) => templateRender({ templateFiles: [TEMPLATES], text: `{{ template "${name}" . }}`, data });

describe.each(Object.entries(CONFIGS))('%s Alertmanager config', (_target, file) => {
  it('passes amtool check-config', async () => {
    const result = await checkConfig(file);
    expect(result.ok, result.output).toBe(true);
    expect(result.output).toContain('SUCCESS');
  });

  it.each([
    ['critical', [RECEIVER.page]],
    ['warning', [RECEIVER.slack]],
    ['info', [RECEIVER.lowPriority]],
  ])('routes %s alerts to %s', async (severity, receivers) => {
    const result = await routesTest(file, { alertname: ALERT.availabilityBudgetBurn, job: 'demo', severity }, receivers);
    expect(result.ok, result.output).toBe(true);
    expect(result.receivers).toEqual(receivers);
  });

  it('sends a tenant or feature over its whole budget to Slack, never to PagerDuty: money, not users', async () => {
    for (const alertname of [ALERT.aiTenantSpendOverBudget, ALERT.aiFeatureSpendOverBudget]) {
      const result = await routesTest(file, { alertname, job: 'demo', tenant: 'acme', [BUDGET_THRESHOLD_LABEL]: '100%', severity: 'warning' }, [RECEIVER.slack]);
      expect(result.ok, result.output).toBe(true);
    }
  });

  it('routes the watchdog to the dead-man switch only', async () => {
    const result = await routesTest(file, { alertname: ALERT.watchdog, severity: WATCHDOG_SEVERITY }, [RECEIVER.watchdog]);
    expect(result.ok, result.output).toBe(true);
  });
});

describe('notification templates (amtool template render)', () => {
  it('title counts firing alerts and names the alert, job and severity', async () => {
    expect(await render(TEMPLATE.title, firing)).toBe('[FIRING:1] AvailabilityErrorBudgetBurn on demo (critical)');
    expect(await render(TEMPLATE.title, resolved)).toBe('[RESOLVED] AvailabilityErrorBudgetBurn on demo (critical)');
  });

  it('Slack text has the summary, the measured value and the three links', async () => {
    const text = await render(TEMPLATE.slackText, firing);
    expect(text).toContain('*demo answers too many requests with 5xx*');
    expect(text).toContain('12.5% of the HTTP requests');
    expect(text).toContain('<https://runbooks.example/AvailabilityErrorBudgetBurn.md|Runbook>');
    expect(text).toContain('<http://grafana.example/a/modelwatch-health-app/overview?var-job=demo|Modelwatch>');
    expect(text).toContain('<http://grafana.example/d/modelwatch-http-runtime?var-job=demo|Dashboard>');
  });

  it('Slack colour follows severity and turns good on resolve', async () => {
    expect(await render(TEMPLATE.slackColor, firing)).toBe('danger');
    expect(await render(TEMPLATE.slackColor, { ...firing, commonLabels: { ...firing.commonLabels, severity: 'warning' } })).toBe('warning');
    expect(await render(TEMPLATE.slackColor, { ...firing, commonLabels: { ...firing.commonLabels, severity: 'info' } })).toBe('#439FE0');
    expect(await render(TEMPLATE.slackColor, resolved)).toBe('good');
  });

  it('PagerDuty summary and details carry the alert and its runbook', async () => {
    expect(await render(TEMPLATE.pagerdutySummary, firing)).toBe('[FIRING:1] AvailabilityErrorBudgetBurn on demo (critical): demo answers too many requests with 5xx');
    const details = await render(TEMPLATE.pagerdutyDetails, firing);
    expect(details).toContain('[firing] 12.5% of the HTTP requests');
    expect(details).toContain('Runbook: https://runbooks.example/AvailabilityErrorBudgetBurn.md');
  });
});
