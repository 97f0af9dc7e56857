import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALERT, CACHE_HIT_MIN_LOOKUPS, METRICS, readsAnomalyRules } from '@modelwatch/conventions';
import { waitFor, type Delivery } from '@modelwatch/testkit';
import { REPO_ROOT } from '../repo';
import { DEMO_SPEC, OUTPUT } from '../generate';
import { fetchSeen, uncoveredScopes } from '../slo-spec/coverage';
import { loadSpec } from '../slo-spec/load';
import { SLACK_CHANNEL } from '../catalogue/routing';
import { startAlertingStack, notifies, waitUntilQuiet, waitUntilWithinBudget, type AlertingStack } from './alerting-stack';
import { serviceObjectives } from '../slo-spec/objectives';
import { FAULT_SCENARIOS } from './fault-scenarios';

// The demo's faults, one after the other on one stack (the same as live.test.ts':
// real Prometheus scraping the demo under traffic, real Alertmanager posting to the
// loopback sink, the rules in the fast timing profile), injected through the demo's
// admin API, and a call to a model without a price (the info alert). Then what needs
// the series they gave birth to: every Grafana rule's query, and every scope of the
// spec. The healthy phase is live.test.ts', on a stack of its own, so the two files
// run side by side.
const WAIT_MS = 120_000;
let live: AlertingStack;
const sink = () => live.stack.sink;
const prometheus = () => live.stack.prometheus!;

beforeAll(async () => {
  live = await startAlertingStack();
  await prometheus().waitForTargetsUp('demo', 30_000);
}, 120_000);
afterAll(async () => {
  await live?.stop();
});

function expectValid(delivery: Delivery): void {
  expect(delivery.errors, JSON.stringify(delivery.body)).toEqual([]);
  expect(delivery.valid).toBe(true);
}

describe('live alerting, injected faults: demo → Prometheus → Alertmanager → PagerDuty and Slack', () => {
  it.each(FAULT_SCENARIOS)('$title fires $alert to the right receiver with a valid payload, then resolves (or stops burning) after healing', async (scenario) => {
    await waitUntilQuiet(live.stack, [scenario.alert], WAIT_MS, scenario.slo?.series);
    const startedAt = Date.now();
    const fault = await live.injectFault(scenario.fault);
    const [fired] = await sink().waitFor((d) => d.receivedAtMs >= startedAt && notifies(d, scenario, 'firing'), WAIT_MS, { description: `${scenario.alert} firing` });
    console.log(`${scenario.title}: ${scenario.alert} notified ${((fired!.receivedAtMs - startedAt) / 1000).toFixed(1)} s after the fault started`);
    expectValid(fired!);
    // A burn alert names its objective (and the model it burns on).
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
      // Critical alerts reach Slack as well.
      const [slack] = await sink().waitFor((d) => d.receivedAtMs >= startedAt && notifies(d, { ...scenario, via: { kind: 'slack', channel: SLACK_CHANNEL.alerts } }, 'firing'), WAIT_MS);
      expectValid(slack!);
    } else if (fired!.kind === 'slack') {
      const attachment = fired!.message!.attachments[0]!;
      expect(attachment.color).toBe('warning');
      expect(attachment.text).toContain(`/${scenario.alert}.md|Runbook>`);
      expect(attachment.text).toMatch(/\d/);
    }

    await live.healFault(fault.id);
    const healedAt = Date.now();
    if (scenario.slo && scenario.via.kind === 'slack') {
      // A ticket's slow pairs remember the fault for as long as their windows do; the burn itself must stop.
      await waitUntilWithinBudget(live.stack, scenario.slo, WAIT_MS);
    } else {
      const [resolved] = await sink().waitFor((d) => d.receivedAtMs >= healedAt && notifies(d, scenario, 'resolved'), WAIT_MS, { description: `${scenario.alert} resolved` });
      expectValid(resolved!);
    }
    // Failover hid it from users: a ticket, and no page from fault to resolve. A page is a trigger: an earlier
    // scenario's page may still send a resolve meanwhile (seen: the availability page's, during this fault).
    if (scenario.masked) expect(sink().deliveries().filter((d) => d.kind === 'pagerduty' && d.event?.event_action !== 'resolve' && d.receivedAtMs >= startedAt)).toEqual([]);
  }, 3 * WAIT_MS + 30_000);


  it('sends info alerts to the low-priority channel: a call to a model without a price', async () => {
    const startedAt = Date.now();
    const ask = async (prompt: string) => {
      const response = await fetch(`${live.stack.demo!.url}/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ prompt, model: 'northwind-support-1' }) });
      expect(response.status).toBe(200);
    };
    // A counter series is born at its first increment, so increase() sees the second call (the first is the baseline):
    // the second goes out once Prometheus has scraped the first.
    await ask('Which tent for two?');
    await waitFor(async () => (await prometheus().query(`${METRICS.genAiUnpricedOperations.name}{job="demo"}`)).length > 0, WAIT_MS, { description: 'the first unpriced call scraped' });
    await ask('Which stove for winter?');
    const [info] = await sink().waitFor(
      (d) => d.receivedAtMs >= startedAt && d.kind === 'slack' && d.channel === SLACK_CHANNEL.lowPriority && (d.message?.attachments[0]?.title ?? '').includes(ALERT.aiUnpricedCalls),
      WAIT_MS,
    );
    expectValid(info!);
  }, WAIT_MS + 10_000);

  it('every query of the Grafana alert rules returns data from the live Prometheus', async () => {
    const file = parse(readFileSync(join(REPO_ROOT, OUTPUT.grafanaRules), 'utf8')) as { groups: { rules: { title: string; labels: Record<string, string>; data: { model: { expr?: string } }[] }[] }[] };
    const rules = file.groups.flatMap((g) => g.rules);
    expect(rules.length).toBeGreaterThan(0);
    const empty: string[] = [];
    for (const rule of rules) {
      const expr = rule.data[0]!.model.expr!;
      const result = await prometheus().query(expr);
      // Queries that need history a fresh Prometheus lacks: the spend spike's same hour of the last 7 days, a cache judged
      // once it has 30 minutes of lookups, or enough of them in its window. promtool checks them on hours of input.
      if (/ offset \d/.test(expr) || expr.includes(`>= ${CACHE_HIT_MIN_LOOKUPS}`)) continue;
      // The anomaly baselines need a week of history, the deploy comparison a replaced version (and a target_info).
      if (readsAnomalyRules(expr)) continue;
      // The defaults' rules are for services other than the demo (job!~ the named ones), and this stack runs no other.
      if (expr.includes('job!~')) continue;
      // A counter series is born at its first increment, and the healthy demo's models answer as themselves.
      if (expr.includes(METRICS.genAiModelSubstitutions.name)) continue;
      // A rate-limit budget is judged only while its reset lies ahead, and a healthy demo's budget is full again
      // milliseconds after each call (promtool checks the rule on a budget running out; the demo's rate_limit_drain fault runs one out).
      if (expr.includes(`${METRICS.genAiRateLimitReset.name} > time()`)) continue;
      if (result.length === 0) empty.push(`${rule.title}: ${expr}`);
    }
    expect(empty).toEqual([]);
  }, 60_000);

  it("finds every route, model and cache of the demo's spec in what the demo reported", async () => {
    const services = serviceObjectives(loadSpec(join(REPO_ROOT, DEMO_SPEC)));
    expect(uncoveredScopes(services, await fetchSeen(prometheus().url))).toEqual([]);
  });
});
