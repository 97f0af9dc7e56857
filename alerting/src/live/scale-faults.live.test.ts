import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '@modelwatch/stack';
import type { Delivery, PrometheusInstance } from '@modelwatch/testkit';
import { SLACK_CHANNEL } from '../catalogue/routing';
import { startAlertingStack, notifies, waitUntilQuiet, waitUntilWithinBudget, type AlertingStack } from './alerting-stack';
import { FAULT_SCENARIOS } from './fault-scenarios';

// Every fault scenario of the Prometheus live test (live.test.ts), on the scale path: two vmagent shards scrape,
// VictoriaMetrics stores, vmalert evaluates the same generated rules (fast profile) and sends to the same
// Alertmanager. Each must notify the same alert through the same integration with a valid payload, and resolve (or
// stop burning) after healing, exactly as on Prometheus.
const WAIT_MS = 120_000;
const SHARDS = 2;
let live: AlertingStack;

/**
 * The stack as the harness' waits read it: what fires comes from vmalert, what a query returns from VictoriaMetrics.
 * They ask `stack.prometheus` only for `alerts()` and `queryValue()`, the two this provides.
 */
let scaleView: Stack;

beforeAll(async () => {
  live = await startAlertingStack({ scale: { shards: SHARDS } });
  const { vmalert, victoriaMetrics } = live.stack.scale!;
  const reader: Pick<PrometheusInstance, 'alerts' | 'queryValue'> = {
    alerts: () => vmalert.alerts(),
    async queryValue(expr, time) {
      const result = await victoriaMetrics.query(expr, time);
      if (result.length > 1) throw new Error(`VictoriaMetrics query ${expr}: expected at most one series, got ${result.length}`);
      return result[0] === undefined ? undefined : Number(result[0].value[1]);
    },
  };
  scaleView = { ...live.stack, prometheus: reader as PrometheusInstance };
}, 120_000);
afterAll(async () => {
  await live?.stop();
});

const sink = () => live.stack.sink;

function expectValid(delivery: Delivery): void {
  expect(delivery.errors, JSON.stringify(delivery.body)).toEqual([]);
  expect(delivery.valid).toBe(true);
}

describe('scale path: every fault scenario pages as on Prometheus (vmagent shards → VictoriaMetrics → vmalert → Alertmanager)', () => {
  it.each(FAULT_SCENARIOS)('$title fires $alert from vmalert to the right receiver with a valid payload, then resolves (or stops burning) after healing', async (scenario) => {
    await waitUntilQuiet(scaleView, [scenario.alert], WAIT_MS, scenario.slo?.series).catch(async (error: Error) => {
      const active = (await live.stack.scale!.vmalert.alerts()).filter((a) => a.labels.alertname === scenario.alert);
      throw new Error(`${error.message}\n${active.map((a) => `${JSON.stringify(a.labels)} ${a.state} since ${a.activeAt}`).join('\n')}`);
    });
    const startedAt = Date.now();
    const fault = await live.injectFault(scenario.fault);
    try {
      // Of this fault's series: vmalert fires a few seconds after Prometheus would, so a ticket the previous fault opened on
      // other series (e.g. the rate-limit storm's on OpenAI's success objective) can reach its first notification now.
      const ofTheseSeries = (d: Delivery) => Object.values(scenario.slo?.series ?? {}).every((value) => JSON.stringify(d.body).includes(value));
      const [fired] = await sink().waitFor((d) => d.receivedAtMs >= startedAt && notifies(d, scenario, 'firing') && ofTheseSeries(d), WAIT_MS, {
        description: `${scenario.alert} firing from vmalert`,
      });
      console.log(`scale path: ${scenario.title}: ${scenario.alert} notified ${((fired!.receivedAtMs - startedAt) / 1000).toFixed(1)} s after the fault started`);
      expectValid(fired!);
      if (scenario.slo) {
        const body = JSON.stringify(fired!.body);
        expect(scenario.slo.names.some((name) => body.includes(name)), body).toBe(true);
        for (const value of Object.values(scenario.slo.series ?? {})) expect(body).toContain(value);
      }
      if (fired!.kind === 'pagerduty') {
        const payload = fired!.event!.payload!;
        expect(payload.severity).toBe('critical');
        expect(payload.summary).toContain(`${scenario.alert} on demo`);
        expect(String(payload.custom_details?.runbook_url)).toMatch(new RegExp(`/${scenario.alert}\\.md$`));
        expect(fired!.event!.links?.map((l) => l.text)).toEqual(['Runbook', 'Modelwatch', 'Dashboard']);
        const [slack] = await sink().waitFor((d) => d.receivedAtMs >= startedAt && notifies(d, { ...scenario, via: { kind: 'slack', channel: SLACK_CHANNEL.alerts } }, 'firing'), WAIT_MS);
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
      await waitUntilWithinBudget(scaleView, scenario.slo, WAIT_MS);
      console.log(`scale path: ${scenario.title}: burn back within budget ${((Date.now() - healedAt) / 1000).toFixed(1)} s after healing`);
    } else {
      const [resolved] = await sink().waitFor((d) => d.receivedAtMs >= healedAt && notifies(d, scenario, 'resolved'), WAIT_MS, { description: `${scenario.alert} resolved from vmalert` });
      console.log(`scale path: ${scenario.title}: ${scenario.alert} resolved ${((resolved!.receivedAtMs - healedAt) / 1000).toFixed(1)} s after healing`);
      expectValid(resolved!);
    }
    // Failover hid it from users: a ticket, and no page from fault to resolve.
    if (scenario.masked) expect(sink().deliveries().filter((d) => d.kind === 'pagerduty' && d.receivedAtMs >= startedAt)).toEqual([]);
  }, 3 * WAIT_MS + 30_000);
});
