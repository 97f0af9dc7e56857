import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALERT, ALERT_SEVERITY, BUDGET_THRESHOLD_LABEL, LABEL } from '@modelwatch/conventions';
import { startAlertmanager, waitFor, type AlertmanagerInstance, type ConfigObject, type GettableAlert } from '@modelwatch/testkit';
import { REPO_ROOT } from '../repo';
import { OUTPUT } from '../generate';

/**
 * The committed local config in a real Alertmanager: which alerts it inhibits, as its API reports them. The root
 * waits an hour before a first notification, so nothing is sent while the test looks.
 */
let alertmanager: AlertmanagerInstance;
beforeAll(async () => {
  const file = join(REPO_ROOT, OUTPUT.localAlertmanager);
  const config = parse(readFileSync(file, 'utf8')) as ConfigObject & { templates: string[]; route: ConfigObject };
  alertmanager = await startAlertmanager({
    config: { ...config, templates: config.templates.map((glob) => resolve(dirname(file), glob)), route: { ...config.route, group_wait: '1h' } },
  });
}, 60_000);
afterAll(() => alertmanager?.stop());

const budgetAlert = (alertname: string, owner: Record<string, string>, threshold: string) => ({
  labels: { alertname, severity: ALERT_SEVERITY.warning, job: 'demo', [BUDGET_THRESHOLD_LABEL]: threshold, ...owner },
  annotations: { summary: `${alertname} ${threshold}` },
});

describe('budget alert inhibition in Alertmanager', () => {
  it('keeps only the highest level of each tenant and feature over its budget', async () => {
    const acme = { [LABEL.tenant]: 'acme' };
    const globex = { [LABEL.tenant]: 'globex' };
    const chat = { [LABEL.feature]: 'chat' };
    const sent = [
      budgetAlert(ALERT.aiTenantSpendOverBudget, acme, '80%'),
      budgetAlert(ALERT.aiTenantSpendOverBudget, acme, '95%'),
      budgetAlert(ALERT.aiTenantSpendOverBudget, acme, '100%'),
      // Another tenant at 80% is not silenced by acme's 100%.
      budgetAlert(ALERT.aiTenantSpendOverBudget, globex, '80%'),
      budgetAlert(ALERT.aiFeatureSpendOverBudget, chat, '80%'),
      budgetAlert(ALERT.aiFeatureSpendOverBudget, chat, '95%'),
    ];
    await alertmanager.postAlerts(sent);
    const state = (alert: GettableAlert) => `${alert.labels.alertname} ${alert.labels.tenant ?? alert.labels.feature} ${alert.labels.threshold}: ${alert.status.state}`;
    // The inhibitor sees posted alerts a moment after the API does: wait until it has judged them all.
    const states = await waitFor(async () => {
      const alerts = await alertmanager.alerts();
      const judged = alerts.length === sent.length && alerts.filter((alert) => alert.status.state === 'suppressed').length === 3;
      return judged ? alerts.map(state).sort() : undefined;
    }, 10_000);
    expect(states).toEqual(
      [
        `${ALERT.aiTenantSpendOverBudget} acme 80%: suppressed`,
        `${ALERT.aiTenantSpendOverBudget} acme 95%: suppressed`,
        `${ALERT.aiTenantSpendOverBudget} acme 100%: active`,
        `${ALERT.aiTenantSpendOverBudget} globex 80%: active`,
        `${ALERT.aiFeatureSpendOverBudget} chat 80%: suppressed`,
        `${ALERT.aiFeatureSpendOverBudget} chat 95%: active`,
      ].sort(),
    );
  });
});
