/**
 * `npm run detect -- --live`: each fault of the live test injected into the
 * demo on the fast stack (1 s scrapes and evaluations, fast timing profile),
 * timed from injection to the notification reaching the sink and from
 * healing to the resolve, next to the floor and worst case the fast timings
 * allow: at best `for` (in whole evaluations) + group_wait, at worst one
 * scrape and one evaluation interval more. It checks the whole pipeline end
 * to end; the production timings are what the default mode computes.
 */
import { join } from 'node:path';
import { alertRules } from '../catalogue/catalogue';
import { durationSeconds } from '../duration';
import { DEMO_SPEC } from '../generate';
import { FAST_TIMING, notifies, startAlertingStack, waitUntilQuiet } from '../live/alerting-stack';
import { FAULT_SCENARIOS, type FaultScenario } from '../live/fault-scenarios';
import { FAST } from '../profile';
import { REPO_ROOT } from '../repo';
import { loadSpec } from '../slo-spec/load';
import { serviceObjectives } from '../slo-spec/objectives';
import { formatTable } from './report';

const WAIT_MS = 180_000;

/** "best–worst s" for the scenario's alert: its shortest `for` (the first of its rules to fire notifies) + group_wait, plus a scrape and an evaluation at worst. */
function bounds(scenario: FaultScenario): string {
  const rules = alertRules(serviceObjectives(loadSpec(join(REPO_ROOT, DEMO_SPEC)))).filter((rule) => rule.name === scenario.alert);
  const pending = Math.min(...rules.map((rule) => durationSeconds(FAST.pendingFor(rule.for))));
  const best = Math.ceil(pending / FAST_TIMING.evaluationSeconds) * FAST_TIMING.evaluationSeconds + durationSeconds(FAST_TIMING.groupWait);
  return `${best}–${best + FAST_TIMING.scrapeSeconds + FAST_TIMING.evaluationSeconds} s`;
}

export async function measureLive(): Promise<string> {
  const live = await startAlertingStack();
  const rows: string[][] = [];
  try {
    await live.stack.prometheus!.waitForTargetsUp('demo', 30_000);
    for (const scenario of FAULT_SCENARIOS) {
      await waitUntilQuiet(live.alerts, [scenario.alert], WAIT_MS);
      const startedAt = Date.now();
      const fault = await live.injectFault(scenario.fault);
      const [fired] = await live.stack.sink.waitFor((d) => d.receivedAtMs >= startedAt && notifies(d, scenario, 'firing'), WAIT_MS);
      await live.healFault(fault.id);
      const healedAt = Date.now();
      const [resolved] = await live.stack.sink.waitFor((d) => d.receivedAtMs >= healedAt && notifies(d, scenario, 'resolved'), WAIT_MS);
      const seconds = (from: number, to: number) => `${((to - from) / 1000).toFixed(1)} s`;
      rows.push([scenario.title, scenario.alert, seconds(startedAt, fired!.receivedAtMs), bounds(scenario), seconds(healedAt, resolved!.receivedAtMs)]);
      console.error(`measured ${scenario.title}`);
    }
  } finally {
    await live.stop();
  }
  const header = ['fault', 'alert', 'notified', 'floor–worst', 'resolved after heal'];
  return [
    ...formatTable(header, rows),
    '',
    `Fast profile on a live stack: ${FAST_TIMING.scrapeSeconds} s scrapes and evaluations, group_wait ${FAST_TIMING.groupWait}. floor = for (whole evaluations) + group_wait;`,
    'worst = floor + a scrape and an evaluation interval; the time for a rate window to cross its threshold comes on top.',
  ].join('\n');
}
