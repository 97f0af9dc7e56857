import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STAND_IN_DEMO, STAND_IN_TRAFFIC } from './__fixtures__/helpers';
import { expectAllGone, installCommand, type SlackDelivery, toolById, waitFor } from '@modelwatch/testkit';
import { PortsInUseError, startStack, type Stack } from './stack';
import { formatStatus, readStatus } from './status';

const INSTALL_PROMETHEUS = installCommand([toolById('prometheus')]);

/** Every process of the stack now: each part's process group. */
function pidsOf(stack: Stack): number[] {
  return [stack.demo, stack.prometheus, stack.alertmanager, stack.traffic].flatMap((part) => part?.process.groupPids() ?? []);
}

describe('startStack (demo and traffic stand-ins, real Prometheus and Alertmanager, free ports)', () => {
  let stack: Stack;
  const skips: string[] = [];
  beforeAll(async () => {
    stack = await startStack({
      demo: { entry: STAND_IN_DEMO },
      traffic: { entry: STAND_IN_TRAFFIC, users: 2, duration: '60s' },
      alertmanagerTiming: { group_wait: '1s', group_interval: '2s' },
      onSkip: (part, reason) => skips.push(`${part}: ${reason}`),
    });
  });
  afterAll(() => stack?.stop());

  it('brings every part up, with URLs', () => {
    expect(skips).toEqual([]);
    expect(stack.skipped).toEqual([]);
    expect(Object.keys(stack.urls).sort()).toEqual(['alertmanager', 'deliveries', 'demo', 'metrics', 'prometheus', 'sink']);
    expect(stack.urls.metrics).toBe(`${stack.urls.demo}/metrics`);
    expect(stack.urls.deliveries).toBe(`${stack.urls.sink}/deliveries`);
    expect(stack.traffic?.running()).toBe(true);
  });

  it('has Prometheus scraping the demo, itself and Alertmanager', async () => {
    const prometheus = stack.prometheus!;
    const [demo] = await prometheus.waitForTargetsUp('demo', 30_000);
    expect(demo?.scrapeUrl).toBe(stack.urls.metrics);
    await prometheus.waitForTargetsUp('prometheus', 30_000);
    await prometheus.waitForTargetsUp('alertmanager', 30_000);
    const rps = await waitFor(() => prometheus.queryValue('sum(rate(http_server_request_duration_seconds_count{job="demo"}[30s]))'), 30_000, { description: 'demo request rate' });
    expect(rps).toBeGreaterThan(0);
  });

  it('reports a status line with the health score and what fires', async () => {
    const status = await waitFor(async () => {
      const s = await readStatus(stack);
      return s.rps !== undefined && s.targetsUp === 3 && s.healthScore !== undefined && s;
    }, 60_000, { description: 'status with rate, health score and 3 targets up' });
    // Every stand-in request is fast and succeeds; the always-firing watchdog is the one alert of a healthy stack, and is left out.
    expect(status).toMatchObject({ demoUp: true, trafficRunning: true, targetsTotal: 3, healthScore: 100, healthBand: 'healthy', firing: [] });
    expect(formatStatus(status)).toMatch(/^demo up · traffic on · \d+\.\d req\/s · p95 \d+ ms · health 100 healthy · nothing firing · targets 3\/3 up · \d+ deliveries$/);
  });

  it('delivers an alert through Alertmanager to the sink', async () => {
    await stack.alertmanager!.postAlerts([{ labels: { alertname: 'StackUp', severity: 'warning', job: 'demo' } }]);
    const [slack] = (await stack.sink.waitFor((d) => d.kind === 'slack', 15_000)) as SlackDelivery[];
    expect(slack).toMatchObject({ valid: true, channel: 'modelwatch-alerts' });
  });

  it('stops every process of every part', async () => {
    const pids = pidsOf(stack);
    expect(pids.length).toBeGreaterThanOrEqual(4);
    await stack.stop();
    await expectAllGone(pids);
    expect((await fetch(stack.urls.deliveries).catch((e: unknown) => e)) instanceof Error).toBe(true);
  });
});

describe('startStack without a binary', () => {
  it('leaves Prometheus out with the install command and runs the rest', async () => {
    const saved = process.env.PROMETHEUS_BIN;
    process.env.PROMETHEUS_BIN = '/nonexistent/prometheus';
    const skips: string[] = [];
    try {
      const stack = await startStack({ demo: false, onSkip: (part, reason) => skips.push(`${part}: ${reason}`) });
      try {
        expect(stack.prometheus).toBeUndefined();
        expect(stack.alertmanager).toBeDefined();
        expect(stack.skipped).toEqual([{ part: 'prometheus', reason: expect.stringContaining(INSTALL_PROMETHEUS) }]);
        expect(skips).toEqual([`prometheus: Prometheus is not installed (PROMETHEUS_BIN=/nonexistent/prometheus is not an executable). Install it with: ${INSTALL_PROMETHEUS}`]);
        expect(formatStatus(await readStatus(stack))).toBe('– req/s · p95 – · 0 deliveries');
      } finally {
        await stack.stop();
      }
    } finally {
      if (saved === undefined) delete process.env.PROMETHEUS_BIN;
      else process.env.PROMETHEUS_BIN = saved;
    }
  });

  it('leaves the demo (and traffic) out when it is not built', async () => {
    const stack = await startStack({ demo: { entry: '/nowhere/main.js' }, onSkip: () => {} });
    try {
      expect(stack.skipped.map((s) => s.part)).toEqual(['demo']);
      expect(stack.traffic).toBeUndefined();
      const jobs = await waitFor(async () => {
        const targets = await stack.prometheus!.targets();
        return targets.length > 0 && targets.map((t) => t.labels.job).sort();
      }, 10_000);
      expect(jobs).toEqual(['alertmanager', 'prometheus']);
    } finally {
      await stack.stop();
    }
  });
});

describe('startStack with fixed ports', () => {
  let blockers: Server[];
  beforeAll(async () => {
    blockers = [createServer(), createServer()];
    await Promise.all(blockers.map((b) => new Promise<void>((resolve) => b.listen(0, '127.0.0.1', resolve))));
  });
  afterAll(() => blockers.forEach((b) => b.close()));

  it('names every taken port and its variable before starting anything', async () => {
    const [prometheus, sink] = blockers.map((b) => (b.address() as { port: number }).port);
    const error = await startStack({ ports: { prometheus, sink } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PortsInUseError);
    expect((error as Error).message).toMatch(new RegExp(`^port ${prometheus} is in use — set PROMETHEUS_PORT=\\d+ .*\nport ${sink} is in use — set SINK_PORT=\\d+ `));
  });

  it('refuses one port for two parts', async () => {
    await expect(startStack({ ports: { demo: 18123, sink: 18123 } })).rejects.toThrow('DEMO_PORT and SINK_PORT are both 18123; give each part its own port');
  });
});
