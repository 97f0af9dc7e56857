import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ALERT, CACHE_HIT_MIN_LOOKUPS, METRICS, readsAnomalyRules } from '@modelwatch/conventions';
import { waitFor } from '@modelwatch/testkit';
import { REPO_ROOT } from '../repo';
import { DEMO_SPEC, OUTPUT } from '../generate';
import { fetchSeen, uncoveredScopes } from '../slo-spec/coverage';
import { loadSpec } from '../slo-spec/load';
import { SLACK_CHANNEL } from '../catalogue/routing';
import { checkFaultScenario, expectValid, useAlertingStack } from './live-suite';
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
const live = useAlertingStack();
const sink = () => live().stack.sink;
const prometheus = () => live().stack.prometheus!;


describe('live alerting, injected faults: demo → Prometheus → Alertmanager → PagerDuty and Slack', () => {
  it.each(FAULT_SCENARIOS)('$title fires $alert to the right receiver with a valid payload, then resolves (or stops burning) after healing', async (scenario) => {
    await checkFaultScenario(live(), scenario, WAIT_MS, 'Prometheus');
  }, 3 * WAIT_MS + 30_000);

  it('sends info alerts to the low-priority channel: a call to a model without a price', async () => {
    const startedAt = Date.now();
    const ask = async (prompt: string) => {
      const response = await fetch(`${live().stack.demo!.url}/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ prompt, model: 'northwind-support-1' }) });
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
