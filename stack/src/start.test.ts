/**
 * Smoke test of `npm start` (scripts/start.mjs) as a user runs it: from the
 * repo, on non-default free ports. It must bring the demo up under Prometheus
 * and, on Ctrl-C, stop with exit code 0 leaving no process behind.
 */
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectAllGone, runNode } from './__fixtures__/helpers';
import { freePort } from './ports';
import { processTree } from './proc';
import type { ActiveTarget } from './prometheus-api';
import { REPO_ROOT } from './repo';
import { waitFor } from './wait';

const START = join(REPO_ROOT, 'scripts', 'start.mjs');

async function freePorts() {
  return { DEMO_PORT: await freePort(), PROMETHEUS_PORT: await freePort(), ALERTMANAGER_PORT: await freePort(), SINK_PORT: await freePort() };
}

describe('npm start (scripts/start.mjs)', () => {
  it('brings the demo up under Prometheus, and leaves no process after Ctrl-C', { timeout: 240_000 }, async () => {
    const ports = await freePorts();
    const env = { ...process.env, ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])), START_DURATION: '180s', START_USERS: '2' };
    const start = runNode([START], { cwd: REPO_ROOT, env });
    try {
      await waitFor(() => start.output().includes('local stack is up') || start.child.exitCode !== null, 150_000, { intervalMs: 250, description: 'npm start printed its URLs' });
      const output = start.output();
      expect(output, output).toContain('local stack is up');
      const demoSkipped = /! demo left out: (.*)/.exec(output);
      if (demoSkipped) throw new Error(`npm start ran without the demo service: ${demoSkipped[1]}. This test passes once the demo/ workspace provides dist/service/main.js (built by \`npm run build\`).`);
      for (const [name, port] of [['Demo service', ports.DEMO_PORT], ['Prometheus', ports.PROMETHEUS_PORT], ['Alertmanager', ports.ALERTMANAGER_PORT], ['Notifications', ports.SINK_PORT]] as const) {
        expect(output).toMatch(new RegExp(`${name} +http://127\\.0\\.0\\.1:${port}`));
      }

      const prometheus = `http://127.0.0.1:${ports.PROMETHEUS_PORT}`;
      let seen: ActiveTarget[] = [];
      await waitFor(
        async () => {
          const body = (await (await fetch(`${prometheus}/api/v1/targets?state=active`)).json()) as { data: { activeTargets: ActiveTarget[] } };
          seen = body.data.activeTargets.filter((t) => t.labels.job === 'demo');
          return seen.length > 0 && seen.every((t) => t.health === 'up');
        },
        60_000,
        { intervalMs: 500, description: 'Prometheus reports the demo target up' },
      ).catch((error: Error) => {
        throw new Error(`${error.message}: ${JSON.stringify(seen.map((t) => [t.scrapeUrl, t.health, t.lastError]))}\n${start.output()}`);
      });

      const pids = processTree(start.child.pid!);
      expect(pids.length).toBeGreaterThanOrEqual(5); // start.mjs, demo, Prometheus, Alertmanager, traffic
      start.child.kill('SIGINT');
      const exit = await start.exited;
      expect(exit, start.output()).toEqual({ code: 0, signal: null });
      expect(start.output()).toMatch(/SIGINT received — stopping …\nStopped: all \d+ processes ended\./);
      await expectAllGone(pids);
    } finally {
      if (start.child.exitCode === null) start.child.kill('SIGINT');
      await start.exited;
    }
  });

  it('says which variable to set when a port is taken, and starts nothing', { timeout: 120_000 }, async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as { port: number }).port;
    try {
      const ports = await freePorts();
      const env = { ...process.env, ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])), PROMETHEUS_PORT: String(taken) };
      const start = runNode([START], { cwd: REPO_ROOT, env });
      const exit = await start.exited;
      expect(exit.code, start.output()).toBe(1);
      expect(start.output()).toMatch(new RegExp(`port ${taken} is in use — set PROMETHEUS_PORT=\\d+ \\(or any free port\\) to use another one`));
      expect(start.output()).not.toContain('local stack is up');
    } finally {
      blocker.close();
    }
  });
});
