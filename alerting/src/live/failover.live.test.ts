import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AI_ERROR_TYPE, ALERT, LABEL, METRICS } from '@modelwatch/conventions';
import { freePort, waitFor, type ConfigObject } from '@modelwatch/testkit';
import { SLACK_CHANNEL } from '../catalogue/routing';
import { SETTINGS } from '../catalogue/settings';
import { startAlertingStack, type AlertingStack } from './alerting-stack';

// The action layer end to end: the demo's provider_outage fault on one model → AiErrorRateHigh in a real Prometheus
// (fast timing profile) → the generated Alertmanager config's failover route → the demo's webhook → its router moves
// the model's calls to the twin → the service's AI error ratio recovers while the fault is still on → heal → the
// alert resolves → the calls fail back after the hold-down. On-call is notified all along (the route continues).
const MODEL = 'gpt-4o-mini';
const TOKEN = 'live-failover-test-token-00000000';
const HOLD_DOWN_SECONDS = 5;
/**
 * Often enough that the alert's window (15 s in the fast profile) always holds a few failed trials, so it keeps
 * firing while the model is down; rare enough to be a small share of the demo's AI calls (a few per second).
 */
const TRIAL_SECONDS = 5;
const WAIT_MS = 60_000;
const POLL_MS = 200;

const AI = METRICS.genAiOperationDuration.name;
/** Every AI call of the service, and the failed ones, over the last 10 s (rate limiting counts: users would see it too). */
const ERROR_RATIO = `sum(rate(${AI}_count{job="demo",${LABEL.errorType}!=""}[10s])) / sum(rate(${AI}_count{job="demo"}[10s]))`;

let live: AlertingStack;
const prometheus = () => live.stack.prometheus!;

beforeAll(async () => {
  const demoPort = await freePort();
  live = await startAlertingStack({
    ports: { demo: demoPort },
    demoEnv: { FAILOVER_WEBHOOK_TOKEN: TOKEN, FAILOVER_HOLD_DOWN_SECONDS: String(HOLD_DOWN_SECONDS), FAILOVER_TRIAL_SECONDS: String(TRIAL_SECONDS) },
    // The generated local config posts to the demo's default port with the local placeholder token: this run's demo instead.
    editAlertmanagerConfig: (config: ConfigObject) =>
      JSON.parse(JSON.stringify(config).replaceAll(SETTINGS.failoverWebhookUrl.local, `http://127.0.0.1:${demoPort}/hooks/alertmanager`).replaceAll(SETTINGS.localFailoverToken, TOKEN)) as ConfigObject,
  });
  await prometheus().waitForTargetsUp('demo', 30_000);
}, 120_000);
afterAll(async () => {
  await live?.stop();
});

/** The demo's own gauge, read from its /metrics: the switch as the router sees it, with no scrape in between. */
async function failoverActive(): Promise<number | undefined> {
  const text = await (await fetch(`${live.stack.demo!.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${METRICS.failoverActive.name}{`) && l.includes(`${LABEL.genAiRequestModel}="${MODEL}"`));
  return line === undefined ? undefined : Number(line.split(' ').at(-1));
}

async function alertState(): Promise<string | undefined> {
  const alerts = await prometheus().alerts();
  return alerts.find((a) => a.labels.alertname === ALERT.aiErrorRate && a.labels[LABEL.genAiRequestModel] === MODEL)?.state;
}

/** Polls until `done`, returning when it first held (ms since the epoch). */
async function when(done: () => Promise<boolean>, description: string, timeoutMs = WAIT_MS): Promise<number> {
  await waitFor(done, timeoutMs, { description, intervalMs: POLL_MS });
  return Date.now();
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

describe('live failover: outage → alert → webhook → fallback → heal → resolve → fail back', () => {
  it(`moves ${MODEL}'s calls to its twin while AiErrorRateHigh fires, and back once it resolved and the hold-down passed`, async () => {
    await when(async () => ((await prometheus().queryValue(`sum(rate(${AI}_count{job="demo",${LABEL.genAiRequestModel}="${MODEL}"}[10s]))`)) ?? 0) > 0, `${MODEL} answering traffic`);
    expect(await failoverActive()).toBe(0);

    const startedAt = Date.now();
    const fault = await live.injectFault({ kind: 'provider_outage', model: MODEL });
    let firingAt: number | undefined;
    let peak = 0;
    const switchedAt = await when(async () => {
      firingAt ??= (await alertState()) === 'firing' ? Date.now() : undefined;
      peak = Math.max(peak, (await prometheus().queryValue(ERROR_RATIO)) ?? 0);
      return (await failoverActive()) === 1;
    }, `failover of ${MODEL}`);
    firingAt ??= switchedAt;
    // Every call to the model failed before the switch (each then answered by the twin): a large share of the AI calls.
    expect(peak).toBeGreaterThan(0.2);

    // The fault is still on; only the trial calls reach the model now. The error ratio falls as the window forgets the outage.
    const recoveredAt = await when(async () => ((await prometheus().queryValue(ERROR_RATIO)) ?? 1) < peak / 3, 'the AI error ratio down to a third of its peak');
    const during = (await prometheus().queryValue(ERROR_RATIO)) ?? NaN;
    // The trials keep the alert firing and the calls on the twin: no flapping while the model is down.
    expect(await alertState()).toBe('firing');
    expect(await failoverActive()).toBe(1);
    expect(await prometheus().queryValue(`sum(rate(${AI}_count{job="demo",${LABEL.genAiRequestModel}="${MODEL}",${LABEL.errorType}="${AI_ERROR_TYPE.serverError}"}[10s]))`)).toBeLessThanOrEqual(1 / TRIAL_SECONDS + 0.2);

    await live.healFault(fault.id);
    const healedAt = Date.now();
    const resolvedAt = await when(async () => (await alertState()) === undefined, 'AiErrorRateHigh resolved');
    const failedBackAt = await when(async () => (await failoverActive()) === 0, `fail back to ${MODEL}`);
    // Not before the hold-down: the resolve reached the demo at the earliest when Prometheus dropped the alert.
    expect(failedBackAt - resolvedAt).toBeGreaterThanOrEqual(HOLD_DOWN_SECONDS * 1000 - 2 * POLL_MS - 1000);

    // On-call got the alert too: the failover route continues to the Slack route.
    const slack = live.stack.sink.deliveries().filter((d) => d.kind === 'slack' && d.channel === SLACK_CHANNEL.alerts && (d.message?.attachments[0]?.title ?? '').includes(` ${ALERT.aiErrorRate} `));
    expect(slack.length).toBeGreaterThan(0);

    console.log(
      [
        `failover of ${MODEL}: fault → alert firing ${seconds(firingAt - startedAt)}, alert → switch ${seconds(switchedAt - firingAt)} (fault → switch ${seconds(switchedAt - startedAt)})`,
        `AI error ratio ${(peak * 100).toFixed(1)} % before the switch, ${(during * 100).toFixed(1)} % ${seconds(recoveredAt - switchedAt)} after it with the fault still on (the trial calls)`,
        `heal → alert resolved ${seconds(resolvedAt - healedAt)}, resolved → fail back ${seconds(failedBackAt - resolvedAt)} (hold-down ${HOLD_DOWN_SECONDS} s), heal → fail back ${seconds(failedBackAt - healedAt)}`,
      ].join('\n'),
    );
    expect(switchedAt - startedAt).toBeLessThan(WAIT_MS);
  }, 4 * WAIT_MS);
});
