// What the live test files share: their stack's life, a delivery's validity, one fault scenario's check.
import { afterAll, beforeAll, expect } from 'vitest';
import type { Delivery } from '@modelwatch/testkit';
import { SLACK_CHANNEL } from '../catalogue/routing';
import { notifies, startAlertingStack, waitUntilQuiet, waitUntilWithinBudget, type AlertingStack, type AlertingStackOptions } from './alerting-stack';
import type { FaultScenario } from './fault-scenarios';

/** Starts an alerting stack before the file's tests (with Prometheus, once it scrapes the demo) and stops it after them. */
export function useAlertingStack(options: AlertingStackOptions = {}): () => AlertingStack {
  let live: AlertingStack | undefined;
  beforeAll(async () => {
    live = await startAlertingStack(options);
    await live.stack.prometheus?.waitForTargetsUp('demo', 30_000);
  }, 120_000);
  afterAll(async () => {
    await live?.stop();
  });
  return () => live!;
}

export function expectValid(delivery: Delivery): void {
  expect(delivery.errors, JSON.stringify(delivery.body)).toEqual([]);
  expect(delivery.valid).toBe(true);
}

/**
 * One fault scenario end to end, the same on every topology (Prometheus, or the scale path's vmalert):
 * once the alert is quiet, the fault is injected; its alert must notify the scenario's integration with
 * a valid payload naming its objective and series, and resolve (or, for a ticket, stop burning) after
 * healing; a fault failover hides must page nobody. `path` prefixes the timings logged.
 */
export async function checkFaultScenario(live: AlertingStack, scenario: FaultScenario, timeoutMs: number, path: string): Promise<void> {
  const sink = live.stack.sink;
  await waitUntilQuiet(live.alerts, [scenario.alert], timeoutMs, scenario.slo?.series);
  const startedAt = Date.now();
  const fault = await live.injectFault(scenario.fault);
  try {
    // Of this fault's series: a ticket the previous fault opened on other series (e.g. the rate-limit storm's on
    // OpenAI's success objective) may reach its first notification only now, the later on the scale path.
    const ofItsSeries = (d: Delivery) => Object.values(scenario.slo?.series ?? {}).every((value) => JSON.stringify(d.body).includes(value));
    const [fired] = await sink.waitFor((d) => d.receivedAtMs >= startedAt && notifies(d, scenario, 'firing') && ofItsSeries(d), timeoutMs, {
      description: `${scenario.alert} firing (${path})`,
    });
    console.log(`${path}: ${scenario.title}: ${scenario.alert} notified ${((fired!.receivedAtMs - startedAt) / 1000).toFixed(1)} s after the fault started`);
    expectValid(fired!);
    // A burn alert names its objective (and the model it burns on).
    if (scenario.slo) expect(scenario.slo.names.some((name) => JSON.stringify(fired!.body).includes(name)), JSON.stringify(fired!.body)).toBe(true);
    if (fired!.kind === 'pagerduty') {
      const payload = fired!.event!.payload!;
      expect(payload.severity).toBe('critical');
      expect(payload.summary).toContain(`${scenario.alert} on demo`);
      expect(String(payload.custom_details?.runbook_url)).toMatch(new RegExp(`/${scenario.alert}\\.md$`));
      expect(fired!.event!.links?.map((l) => l.text)).toEqual(['Runbook', 'Modelwatch', 'Dashboard']);
      // Critical alerts reach Slack as well.
      const [slack] = await sink.waitFor((d) => d.receivedAtMs >= startedAt && notifies(d, { ...scenario, via: { kind: 'slack', channel: SLACK_CHANNEL.alerts } }, 'firing'), timeoutMs);
      expectValid(slack!);
    } else if (fired!.kind === 'slack') {
      const attachment = fired!.message!.attachments[0]!;
      expect(attachment.color).toBe('warning');
      expect(attachment.text).toContain(`/${scenario.alert}.md|Runbook>`);
      expect(attachment.text).toMatch(/\d/);
    }
  } catch (error) {
    await live.healFault(fault.id);
    throw error;
  }

  await live.healFault(fault.id);
  const healedAt = Date.now();
  if (scenario.slo && scenario.via.kind === 'slack') {
    // A ticket's slow pairs remember the fault for as long as their windows do; the burn itself must stop.
    await waitUntilWithinBudget(live.alerts, scenario.slo, timeoutMs);
    console.log(`${path}: ${scenario.title}: burn back within budget ${((Date.now() - healedAt) / 1000).toFixed(1)} s after healing`);
  } else {
    const [resolved] = await sink.waitFor((d) => d.receivedAtMs >= healedAt && notifies(d, scenario, 'resolved'), timeoutMs, { description: `${scenario.alert} resolved (${path})` });
    console.log(`${path}: ${scenario.title}: ${scenario.alert} resolved ${((resolved!.receivedAtMs - healedAt) / 1000).toFixed(1)} s after healing`);
    expectValid(resolved!);
  }
  // Failover hid it from users: a ticket, and no page (a PagerDuty trigger) from fault to resolve.
  if (scenario.masked) expect(sink.deliveries().filter((d) => d.kind === 'pagerduty' && d.event?.event_action !== 'resolve' && d.receivedAtMs >= startedAt)).toEqual([]);
}
