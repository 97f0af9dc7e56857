import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALERT } from '@modelwatch/conventions';
import { AlertmanagerPeerError, freePort, LOOPBACK, signalGroup, waitFor, type Delivery } from '@modelwatch/testkit';
import { startStack } from '@modelwatch/stack';
import { startAlertingStack, notifies, waitUntilQuiet, type AlertingStack } from './alerting-stack';
import { FAULT_SCENARIOS } from './fault-scenarios';

// Two Alertmanagers peered by gossip, Prometheus sending every alert to both,
// the demo paging through them. A pair is only worth running if it neither
// doubles a page (both nodes hold every alert) nor loses one when a node dies.
const WAIT_MS = 120_000;
/** Alertmanager's --cluster.peer-timeout default: the second node delivers a group only this long after the first did not. */
const PEER_TIMEOUT_MS = 15_000;
const page = FAULT_SCENARIOS.find((scenario) => scenario.alert === ALERT.availabilityBudgetBurn)!;
let live: AlertingStack;
/** The page's fault, on from the first delivery test to the failover one. */
let incident: { id: string } | undefined;
let incidentStart = 0;

beforeAll(async () => {
  live = await startAlertingStack({ alertmanagerHa: {} });
  await live.stack.prometheus!.waitForTargetsUp('demo', 30_000);
}, 120_000);
afterAll(async () => {
  await live?.stop();
});

const pages = (status: 'firing' | 'resolved', since: number): Delivery[] => live.stack.sink.deliveries().filter((d) => d.receivedAtMs >= since && notifies(d, page, status));

describe('HA alerting: two Alertmanagers peered by gossip', () => {
  it('Prometheus sends to both nodes, and both see each other', async () => {
    const nodes = live.stack.alertmanagers;
    expect(nodes).toHaveLength(2);
    const discovered = await live.stack.prometheus!.api<{ activeAlertmanagers: { url: string }[] }>('/api/v1/alertmanagers');
    expect(discovered.activeAlertmanagers).toHaveLength(2);
    for (const node of nodes) expect((await node.status()).cluster.peers).toHaveLength(2);
  });

  it('delivers one page per alert group while both run; a silence made on one node holds on the other', async () => {
    const [first, second] = live.stack.alertmanagers;
    await waitUntilQuiet(live.alerts, [page.alert], WAIT_MS);
    incidentStart = Date.now();
    incident = await live.injectFault(page.fault);
    const [fired] = await live.stack.sink.waitFor((d) => d.receivedAtMs >= incidentStart && notifies(d, page, 'firing'), WAIT_MS, { description: `${page.alert} paged` });
    console.log(`HA, both nodes up: ${page.alert} paged ${((fired!.receivedAtMs - incidentStart) / 1000).toFixed(1)} s after the fault started`);
    // The second node sends only once its peer timeout passed without the first's notification log entry: watch that long, and a little more.
    await waitFor(() => Date.now() >= fired!.receivedAtMs + PEER_TIMEOUT_MS + 5_000, PEER_TIMEOUT_MS + 10_000, { intervalMs: 500 });
    expect(pages('firing', incidentStart)).toHaveLength(1);

    const now = Date.now();
    const silenceId = await second!.createSilence({
      matchers: [{ name: 'alertname', value: 'HaSilenceProbe', isRegex: false }],
      startsAt: new Date(now).toISOString(),
      endsAt: new Date(now + 10 * 60_000).toISOString(),
      createdBy: 'ha.live.test',
      comment: 'made on the second node',
    });
    await waitFor(async () => (await first!.silences()).some((s) => s.id === silenceId && s.status.state === 'active'), 10_000, { description: 'the silence gossiped to the first node' });
    await first!.postAlerts([{ labels: { alertname: 'HaSilenceProbe', job: 'demo', severity: 'warning' } }]);
    const [probe] = await waitFor(async () => {
      const alerts = await first!.alerts(['alertname="HaSilenceProbe"']);
      return alerts[0]?.status.state === 'suppressed' ? alerts : undefined;
    }, 10_000, { description: 'the probe alert silenced on the first node' });
    expect(probe!.status.silencedBy).toEqual([silenceId]);
  }, 2 * WAIT_MS);

  it('keeps paging with one node down mid-incident: the survivor neither repeats the page nor misses the next alert', async () => {
    const [first] = live.stack.alertmanagers;
    // The first node started first: it sorts first in the member list, so it is the one that delivered. It crashes
    // mid-incident (SIGKILL: no graceful leave from the cluster), and the survivor must find out by itself.
    signalGroup(first!.process.pid, 'SIGKILL');
    await first!.process.exited;
    const killedAt = Date.now();
    const next = FAULT_SCENARIOS.find((scenario) => scenario.alert === ALERT.dbLatency)!;
    const fault = await live.injectFault(next.fault);
    try {
      const [fired] = await live.stack.sink.waitFor((d) => d.receivedAtMs >= killedAt && notifies(d, next, 'firing'), WAIT_MS, { description: `${next.alert} notified by the surviving node` });
      console.log(`HA, one node down: ${next.alert} notified ${((fired!.receivedAtMs - killedAt) / 1000).toFixed(1)} s after the fault started (and a node crashed)`);
      // The survivor had the dead node's notification log by gossip: the ongoing page is not sent again, even past its peer timeout.
      await waitFor(() => Date.now() >= killedAt + PEER_TIMEOUT_MS + 5_000, PEER_TIMEOUT_MS + 10_000, { intervalMs: 500 });
      expect(pages('firing', incidentStart)).toHaveLength(1);
      expect(live.stack.sink.deliveries().filter((d) => d.receivedAtMs >= killedAt && notifies(d, next, 'firing'))).toHaveLength(1);
    } finally {
      await live.healFault(fault.id);
      await live.healFault(incident!.id);
    }
  }, 2 * WAIT_MS);

  it('refuses to start with a peer that does not answer, naming it', async () => {
    const silentPeer = `${LOOPBACK}:${await freePort()}`;
    const started = startStack({ demo: false, traffic: false, alertmanagerHa: { peers: [silentPeer], peerTimeoutMs: 3_000 }, onSkip: () => undefined });
    await expect(started).rejects.toThrow(AlertmanagerPeerError);
    await expect(started).rejects.toThrow(silentPeer);
  }, 60_000);
});
