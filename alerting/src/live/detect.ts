#!/usr/bin/env node
/**
 * `npm run detect`: for each fault class of the demo, the time from injecting
 * the fault to the notification reaching the sink, on the fast stack (1 s
 * scrapes and evaluations, fast timing profile), next to the theoretical
 * bounds: at best `for` (in whole evaluations) + group_wait, at worst one
 * scrape interval and one evaluation interval more (the fault lands just after
 * a scrape, the scrape just after an evaluation). The same bounds are printed
 * for the committed production timings on the local stack's intervals. Also
 * the time from healing to the resolve notification.
 */
import { ALERT_RULES } from '../spec/catalogue';
import { durationSeconds } from '../duration';
import { FAST, PRODUCTION, type TimingProfile } from '../profile';
import { ROOT_TIMING } from '../spec/routing';
import { FAST_TIMING, notifies, startAlertingStack, waitUntilQuiet } from './alerting-stack';
import { FAULT_SCENARIOS, type FaultScenario } from './fault-scenarios';

const WAIT_MS = 180_000;
/** config/prometheus.yml of the local stack scrapes and evaluates every 5 s. */
const LOCAL_STACK_INTERVAL_SECONDS = 5;

/** The shortest `for` among the alert's rules: the first of them to fire notifies. */
function pendingSeconds(scenario: FaultScenario, timing: TimingProfile): number {
  return Math.min(...ALERT_RULES.filter((rule) => rule.name === scenario.alert).map((rule) => durationSeconds(timing.pendingFor(rule.for))));
}

/** "best–worst s": for + group_wait, plus a scrape and an evaluation interval at worst. */
function bounds(scenario: FaultScenario, timing: TimingProfile, scrape: number, evaluation: number, groupWait: string): string {
  const best = Math.ceil(pendingSeconds(scenario, timing) / evaluation) * evaluation + durationSeconds(groupWait);
  return `${best}–${best + scrape + evaluation} s`;
}

async function main(): Promise<void> {
  const live = await startAlertingStack();
  const rows: string[][] = [];
  try {
    await live.stack.prometheus!.waitForTargetsUp('demo', 30_000);
    for (const scenario of FAULT_SCENARIOS) {
      await waitUntilQuiet(live.stack, [scenario.alert], WAIT_MS);
      const startedAt = Date.now();
      const fault = await live.injectFault(scenario.fault);
      const [fired] = await live.stack.sink.waitFor((d) => d.receivedAtMs >= startedAt && notifies(d, scenario, 'firing'), WAIT_MS);
      await live.healFault(fault.id);
      const healedAt = Date.now();
      const [resolved] = await live.stack.sink.waitFor((d) => d.receivedAtMs >= healedAt && notifies(d, scenario, 'resolved'), WAIT_MS);
      rows.push([
        scenario.title,
        scenario.alert,
        `${((fired!.receivedAtMs - startedAt) / 1000).toFixed(1)} s`,
        bounds(scenario, FAST, FAST_TIMING.scrapeSeconds, FAST_TIMING.evaluationSeconds, FAST_TIMING.groupWait),
        `${((resolved!.receivedAtMs - healedAt) / 1000).toFixed(1)} s`,
        bounds(scenario, PRODUCTION, LOCAL_STACK_INTERVAL_SECONDS, LOCAL_STACK_INTERVAL_SECONDS, ROOT_TIMING.local.group_wait),
      ]);
      console.error(`measured ${scenario.title}`);
    }
  } finally {
    await live.stop();
  }
  const header = ['fault', 'alert', 'detected', 'floor–worst (fast)', 'resolved after heal', 'floor–worst (committed rules, npm start stack)'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  for (const row of [header, ...rows]) console.log(row.map((cell, i) => cell.padEnd(widths[i]!)).join('  '));
  console.log(
    `\nfloor = for (whole evaluations) + group_wait; worst = floor + scrape interval + evaluation interval. Fast stack: ${FAST_TIMING.scrapeSeconds} s scrapes and evaluations, group_wait ${FAST_TIMING.groupWait}; ` +
      `local stack: ${LOCAL_STACK_INTERVAL_SECONDS} s, group_wait ${ROOT_TIMING.local.group_wait}. The time for a rate window to cross its threshold comes on top.`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
