import { join } from 'node:path';
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ALERT, ALERT_SEVERITY, FAILOVER_ALERTS } from '@modelwatch/conventions';
import { checkConfig, routesTest } from '@modelwatch/testkit';
import { REPO_ROOT } from '../repo';
import { OUTPUT } from '../generate';
import { RECEIVER } from '../catalogue/routing';
import { SETTINGS } from '../catalogue/settings';
import { FAILOVER_RECEIVER } from './config';

const CONFIGS = { production: join(REPO_ROOT, OUTPUT.alertmanager), local: join(REPO_ROOT, OUTPUT.localAlertmanager) };
const model = { job: 'demo', gen_ai_provider_name: 'openai', gen_ai_request_model: 'gpt-4o-mini' };

describe.each(Object.entries(CONFIGS))('%s Alertmanager config: the failover webhook', (target, file) => {
  it('passes amtool check-config', async () => {
    const result = await checkConfig(file);
    expect(result.ok, result.output).toBe(true);
  });

  it.each(FAILOVER_ALERTS)('sends %s to the failover webhook and still to on-call (continue)', async (alertname) => {
    const result = await routesTest(file, { alertname, severity: ALERT_SEVERITY.warning, ...model }, [FAILOVER_RECEIVER, RECEIVER.slack]);
    expect(result.ok, result.output).toBe(true);
  });

  it('sends no other alert there, the success objective burn included', async () => {
    for (const alertname of [ALERT.aiSuccessBudgetBurn, ALERT.aiLatencyBudgetBurn, ALERT.availabilityBudgetBurn]) {
      const result = await routesTest(file, { alertname, severity: ALERT_SEVERITY.warning, ...model }, [RECEIVER.slack]);
      expect(result.ok, result.output).toBe(true);
    }
  });

  it('authenticates with the token from a file in production, the local placeholder on the local stack', () => {
    const config = parse(readFileSync(file, 'utf8')) as { receivers: { name: string; webhook_configs?: { send_resolved: boolean; http_config: { authorization: Record<string, string> } }[] }[] };
    const webhook = config.receivers.find((r) => r.name === FAILOVER_RECEIVER)!.webhook_configs![0]!;
    expect(webhook.send_resolved).toBe(true);
    expect(webhook.http_config.authorization).toEqual(target === 'production' ? { credentials_file: SETTINGS.secretFiles.failoverWebhookToken } : { credentials: SETTINGS.localFailoverToken });
  });
});
