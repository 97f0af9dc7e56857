import { describe, expect, it } from 'vitest';
import { ALERT, ALERT_SEVERITY, HEALTH_RECORDING_RULE, healthBand } from '@modelwatch/conventions';
import { waitFor } from '@modelwatch/testkit';
import { expectValid, useAlertingStack } from './live-suite';

// Real Prometheus scraping the demo under traffic, real Alertmanager whose
// PagerDuty and Slack integrations post to the loopback sink. The rules are the
// generated ones in the fast timing profile (1 s scrapes and evaluations, short
// windows and `for`). This stack never sees a fault, nor a call the demo cannot price:
// its demo stays healthy for the whole file. The faults, each through the demo's admin
// API, have a stack of their own in fault-scenarios.live.test.ts, so the two files run
// side by side.
const WAIT_MS = 120_000;
const live = useAlertingStack();
const sink = () => live().stack.sink;
const prometheus = () => live().stack.prometheus!;
const HEALTHY_PHASE_MS = 3 * 60_000;


describe('live alerting, healthy demo: demo → Prometheus → Alertmanager → PagerDuty and Slack', () => {
  it('a healthy demo at realistic model latency pages nobody for 3 minutes and scores healthy', async () => {
    const score = async () => Number((await prometheus().query(`${HEALTH_RECORDING_RULE.score}{job="demo"}`))[0]?.value[1] ?? NaN);
    const worst = async () => (await prometheus().query(`bottomk(1, ${HEALTH_RECORDING_RULE.componentScore}{job="demo"})`))[0]?.metric[HEALTH_RECORDING_RULE.componentLabel];
    await waitFor(async () => Number.isFinite(await score()), 60_000, { description: 'the health score recorded' });
    const startedAt = Date.now();
    const scores: number[] = [];
    // Windows are 20× shorter in the fast profile: 3 minutes here is an hour of the production profile's page window.
    const lows = new Set<string>();
    while (Date.now() - startedAt < HEALTHY_PHASE_MS) {
      scores.push(await score());
      if (scores.at(-1)! < 95) lows.add(`${scores.at(-1)!.toFixed(1)} (${await worst()})`);
      await waitFor(async () => Date.now() - startedAt >= scores.length * 10_000, 15_000);
    }
    scores.push(await score());
    if (scores.at(-1)! < 95) lows.add(`${scores.at(-1)!.toFixed(1)} (${await worst()})`);
    console.log(`healthy phase: ${scores.length} scores, lowest ${Math.min(...scores).toFixed(1)}, last ${scores.at(-1)?.toFixed(1)}; under 95: ${[...lows].join(', ') || 'none'}`);
    expect(sink().deliveries().filter((d) => d.kind === 'pagerduty')).toEqual([]);
    expect((await prometheus().alerts()).filter((a) => a.labels.severity === ALERT_SEVERITY.critical)).toEqual([]);
    expect(scores.filter((s) => healthBand(s) === 'critical')).toEqual([]);
    expect(scores.at(-1)).toBeGreaterThanOrEqual(95);
  }, HEALTHY_PHASE_MS + 120_000);

  it('pings the dead-man switch with the always-firing watchdog', async () => {
    const [ping] = await sink().waitFor((d) => d.kind === 'webhook' && d.name === 'watchdog', WAIT_MS);
    expectValid(ping!);
    expect(sink().deliveries().some((d) => d.kind !== 'webhook' && JSON.stringify(d.body).includes(ALERT.watchdog))).toBe(false);
  }, WAIT_MS + 10_000);

});
