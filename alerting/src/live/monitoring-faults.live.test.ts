import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALERT, ALERT_SEVERITY, METRICS } from '@modelwatch/conventions';
import { startDemo, type DemoInstance } from '@modelwatch/stack';
import { createDeadMansSwitch, startPrometheus, waitFor, type ConfigObject, type Delivery, type PrometheusInstance } from '@modelwatch/testkit';
import { FAST_TIMING, startAlertingStack, notifies, waitUntilQuiet, type AlertingStack } from './alerting-stack';
import { FAULT_SCENARIOS } from './fault-scenarios';

// The monitoring's own faults, on the fast alerting stack: the receiver down
// during a page, Prometheus restarted mid-incident, Prometheus gone for good,
// the demo restarted. Each prints the delivery time it measured.
const WAIT_MS = 120_000;
const page = FAULT_SCENARIOS.find((scenario) => scenario.alert === ALERT.availabilityBudgetBurn)!;
/**
 * Alertmanager gives one flush of a group at least 10 s (notify.MinTimeout) of
 * retries, then the next flush (group_interval) starts again: an outage longer
 * than that is one Alertmanager had to outlast, not one a retry inside a
 * single flush bridged.
 */
const FLUSH_RETRY_MS = 10_000;
const RECEIVER_OUTAGE_MS = 3 * FLUSH_RETRY_MS;
/** The watchdog's repeat here (production: 1m): the dead man's switch expects a ping this often. */
const WATCHDOG_REPEAT_S = 5;

let live: AlertingStack;
let dataDir: string;
/** The Prometheus now running: the stack's, until a test restarts it. */
let prometheus: PrometheusInstance;
const extra: { stop(): Promise<void> }[] = [];
/** The page's fault, on from the receiver outage through the Prometheus restart. */
let incident: { id: string } | undefined;
let incidentStart = 0;
/** The demo's requests, as Prometheus counts them. */
const REQUESTS = `${METRICS.httpServerRequestDuration.name}_count{job="demo"}`;
const since = (startedAt: number) => ((Date.now() - startedAt) / 1000).toFixed(1);
const pages = (status: 'firing' | 'resolved', from: number): Delivery[] => live.stack.sink.deliveries().filter((d) => d.receivedAtMs >= from && !d.forcedFailure && notifies(d, page, status));

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'modelwatch-prometheus-wal-'));
  live = await startAlertingStack({
    prometheusDataDir: dataDir,
    editAlertmanagerConfig: (config: ConfigObject) => withWatchdogRepeat(config, `${WATCHDOG_REPEAT_S}s`),
  });
  prometheus = live.stack.prometheus!;
  await prometheus.waitForTargetsUp('demo', 30_000);
}, 120_000);
afterAll(async () => {
  for (const part of extra.reverse()) await part.stop();
  await live?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

function withWatchdogRepeat(config: ConfigObject, repeat: string): ConfigObject {
  const route = config.route as { routes: { matchers?: string[]; repeat_interval?: string }[] };
  const watchdog = route.routes.find((r) => r.matchers?.includes(`alertname="${ALERT.watchdog}"`));
  if (!watchdog) throw new Error('config/alertmanager.yml has no watchdog route');
  watchdog.repeat_interval = repeat;
  return config;
}

describe("the monitoring's own faults", () => {
  it("measures what the monitoring costs: the demo's series per scrape, the rules' evaluation time", async () => {
    // Every group evaluated at least once, and a few scrapes in.
    const groups = await waitFor(async () => {
      const all = await prometheus.rules();
      return all.length > 0 && all.every((g) => g.lastEvaluation && !g.lastEvaluation.startsWith('0001')) ? all : undefined;
    }, 30_000, { description: 'every rule group evaluated' });
    const value = async (expr: string) => Number((await prometheus.query(expr))[0]?.value[1]);
    const perScrape = await value('scrape_samples_scraped{job="demo"}');
    // Prometheus reports its rule timings in its own metrics: scraped a second after the groups ran.
    const total = await waitFor(async () => (await value('sum(prometheus_rule_group_last_duration_seconds)')) || undefined, 30_000, { description: 'the rule groups\' evaluation time scraped' });
    const slowest = await prometheus.query('topk(1, prometheus_rule_group_last_duration_seconds)');
    console.log(
      `costs: the demo's scrape has ${perScrape} samples; ${groups.length} rule groups (${groups.reduce((n, g) => n + g.rules.length, 0)} rules) take ${(total * 1000).toFixed(1)} ms per evaluation, ` +
        `the slowest ${slowest[0]?.metric.rule_group?.split(';').at(-1)} ${(Number(slowest[0]?.value[1]) * 1000).toFixed(1)} ms`,
    );
    expect(perScrape).toBeGreaterThan(0);
    expect(total).toBeGreaterThan(0);
  });

  it('the receiver down during a page: Alertmanager retries, and the page arrives once it is back, nothing lost', async () => {
    await waitUntilQuiet(live.alerts, [page.alert], WAIT_MS);
    const sink = live.stack.sink;
    sink.fail({ status: 503 });
    const startedAt = Date.now();
    incidentStart = startedAt;
    incident = await live.injectFault(page.fault);
    const [firstTry] = await sink.waitFor((d) => d.receivedAtMs >= startedAt && d.forcedFailure && notifies({ ...d, status: 200 }, page, 'firing'), WAIT_MS, { description: 'a first page attempt refused' });
    await waitFor(() => Date.now() >= firstTry!.receivedAtMs + RECEIVER_OUTAGE_MS, RECEIVER_OUTAGE_MS + 5_000, { intervalMs: 500 });
    const attempts = sink.deliveries().filter((d) => d.forcedFailure && d.kind === 'pagerduty').map((d) => d.receivedAtMs);
    sink.recover();
    const recoveredAt = Date.now();
    const [paged] = await sink.waitFor((d) => d.receivedAtMs >= recoveredAt && !d.forcedFailure && notifies(d, page, 'firing'), WAIT_MS, { description: 'the page after the receiver recovered' });
    const [slack] = await sink.waitFor((d) => d.receivedAtMs >= recoveredAt && !d.forcedFailure && d.kind === 'slack' && (d.message?.attachments[0]?.title ?? '').includes(page.alert), WAIT_MS);
    console.log(
      `receiver outage ${(RECEIVER_OUTAGE_MS / 1000).toFixed(0)} s: ${attempts.length} PagerDuty attempts refused over ${((attempts.at(-1)! - attempts[0]!) / 1000).toFixed(1)} s; ` +
        `page delivered ${((paged!.receivedAtMs - recoveredAt) / 1000).toFixed(1)} s after the receiver recovered`,
    );
    expect(paged!.valid).toBe(true);
    expect(slack!.valid).toBe(true);
    // Alertmanager kept at it past one flush's retries.
    expect(attempts.at(-1)! - attempts[0]!).toBeGreaterThan(FLUSH_RETRY_MS);
    expect(pages('firing', recoveredAt)).toHaveLength(1);
  }, 3 * WAIT_MS);

  it('Prometheus restarted mid-incident: the alert fires again within a few evaluations, from its WAL, and nobody is paged twice', async () => {
    const before = pages('firing', incidentStart).length;
    const config = parse(readFileSync(prometheus.configFile, 'utf8')) as ConfigObject;
    const samplesBefore = await prometheus.queryValue('prometheus_tsdb_head_series');
    const { port } = prometheus;
    await prometheus.stop();
    prometheus = await startPrometheus({ config, port, dataDir });
    extra.push(prometheus);
    const restartedAt = Date.now();
    const firing = await waitFor(async () => (await prometheus.alerts()).find((a) => a.labels.alertname === page.alert && a.state === 'firing'), 30_000, {
      intervalMs: 250,
      description: `${page.alert} firing after the restart`,
    });
    const refireS = (Date.now() - restartedAt) / 1000;
    // The WAL brought back the series of before the restart, rate windows included.
    const seriesAfter = await prometheus.queryValue(`count(up offset ${Math.ceil((Date.now() - restartedAt) / 1000) + 5}s)`);
    console.log(`Prometheus restart: ${page.alert} firing again ${refireS.toFixed(1)} s after Prometheus was ready (evaluation every ${FAST_TIMING.evaluationSeconds} s); head series before ${samplesBefore}`);
    expect(firing.labels.severity).toBe(ALERT_SEVERITY.critical);
    expect(seriesAfter).toBeGreaterThan(0);
    expect(refireS).toBeLessThan(10);
    // Alertmanager still holds the alert (Prometheus re-sends it under the same labels): its group was notified, so no new page.
    // A second page would come at the next group_interval after the re-send; watch a few.
    await waitFor(() => Date.now() >= restartedAt + 15_000, 20_000, { intervalMs: 500 });
    expect(pages('firing', incidentStart)).toHaveLength(before);
    // Its resolve takes the slow burn pair's short window (90 s here): the next test does not wait for it.
    await live.healFault(incident!.id);
  }, 3 * WAIT_MS);

  it('the demo restarted: its counters start again from zero without a false rate spike or a page', async () => {
    const demo = live.stack.demo!;
    const rate = `sum(rate(${REQUESTS}[15s]))`;
    const before = (await prometheus.queryValue(rate))!;
    const restartedAt = Date.now();
    const { port, adminToken } = demo;
    await demo.stop();
    const again: DemoInstance = await startDemo({ port, adminToken, timeScale: 1 });
    extra.push(again);
    console.log(`demo restarted in ${since(restartedAt)} s`);
    // A reset counter read as a huge increase would spike the rate: watch two rate windows after the restart.
    await waitFor(async () => (await prometheus.query(`resets(${REQUESTS}[1m]) > 0`)).length > 0, 30_000, { description: 'the counter reset seen by Prometheus' });
    await waitFor(() => Date.now() >= restartedAt + 30_000, 40_000, { intervalMs: 500 });
    const peak = (await prometheus.queryValue(`max_over_time(${rate}[30s:1s])`))!;
    console.log(`demo restart: request rate ${before.toFixed(1)}/s before, at most ${peak.toFixed(1)}/s in the 30 s after`);
    expect(peak).toBeLessThan(2 * before);
    // The restart-test's incident may still be resolving; nothing may start because of the restart, but for the target
    // being down while it restarted: the fast profile's `for` (5 s) is shorter than a restart, production's (2m) is not.
    const byRestart = (name: string | undefined) => name !== ALERT.targetDown;
    const paging = (await prometheus.alerts()).filter((a) => a.labels.severity === ALERT_SEVERITY.critical && Date.parse(a.activeAt) >= restartedAt && byRestart(a.labels.alertname));
    expect(paging).toEqual([]);
    expect(live.stack.sink.deliveries().filter((d) => d.kind === 'pagerduty' && d.receivedAtMs >= restartedAt && d.event?.event_action === 'trigger' && byRestart(d.event.payload?.class))).toEqual([]);
    expect(await prometheus.queryValue('up{job="demo"}')).toBe(1);
  }, 2 * WAIT_MS);

  it("Prometheus down: the watchdog's pings stop, and a dead man's switch notices", async () => {
    const deadMans = createDeadMansSwitch({ periodMs: WATCHDOG_REPEAT_S * 1000, graceMs: WATCHDOG_REPEAT_S * 1000 });
    const watchdog = (d: Delivery) => d.kind === 'webhook' && d.name === 'watchdog';
    for (const ping of live.stack.sink.deliveries().filter(watchdog)) deadMans.ping(ping.receivedAtMs);
    const unsubscribe = live.stack.sink.onDelivery((d) => watchdog(d) && deadMans.ping(d.receivedAtMs));
    try {
      await waitFor(() => deadMans.state() === 'up', 30_000, { description: 'watchdog pings arriving' });
      const stoppedAt = Date.now();
      await prometheus.stop();
      const downAt = await waitFor(() => (deadMans.state() === 'down' ? Date.now() : undefined), 150_000, { intervalMs: 250, description: "the dead man's switch tripped" });
      console.log(
        `Prometheus down: last watchdog ping ${((deadMans.lastPingMs! - stoppedAt) / 1000).toFixed(1)} s after it stopped (Alertmanager keeps a firing alert 4 × the resend delay); ` +
          `the dead man's switch (period ${WATCHDOG_REPEAT_S} s + grace ${WATCHDOG_REPEAT_S} s) tripped ${((downAt - stoppedAt) / 1000).toFixed(1)} s after`,
      );
      expect((await live.stack.alertmanager!.alerts([`alertname="${ALERT.watchdog}"`])).filter((a) => a.status.state === 'active')).toEqual([]);
    } finally {
      unsubscribe();
    }
  }, 3 * WAIT_MS);
});
