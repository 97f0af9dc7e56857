import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { STAND_IN_DEMO, STAND_IN_TRAFFIC } from './__fixtures__/helpers';
import { DemoNotBuiltError, startDemo } from './demo';
import { PortInUseError, waitFor } from '@modelwatch/testkit';
import { REPO_PATHS } from './repo';
import { startTraffic, startTrafficLoop } from './traffic';

describe('startDemo (against a stand-in with the demo’s contract)', () => {
  it('passes PORT, HOST, ADMIN_TOKEN, DATA_DIR, MEMORY_LIMIT_MB and FAKE_PROVIDER_TIME_SCALE, waits for /readyz, removes the temp data dir', async () => {
    const demo = await startDemo({ entry: STAND_IN_DEMO, timeScale: 0.1 });
    try {
      const env = (await (await fetch(`${demo.url}/env`)).json()) as Record<string, string>;
      expect(env).toEqual({ PORT: String(demo.port), HOST: '127.0.0.1', ADMIN_TOKEN: demo.adminToken, DATA_DIR: demo.dataDir, FAKE_PROVIDER_TIME_SCALE: '0.1', MEMORY_LIMIT_MB: '512' });
      expect(demo.adminToken).toMatch(/^[0-9a-f]{24}$/);
      expect(demo.target).toBe(`127.0.0.1:${demo.port}`);
      expect(existsSync(demo.dataDir)).toBe(true);
      expect((await fetch(demo.metricsUrl)).status).toBe(200);
    } finally {
      await demo.stop();
    }
    expect(existsSync(demo.dataDir)).toBe(false);
    expect(demo.logs()).toContain('SIGTERM, closing');
  });

  it('says how to build the demo when its entry point is missing', async () => {
    const error = await startDemo({ entry: '/nowhere/demo/dist/service/main.js' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DemoNotBuiltError);
    expect((error as Error).message).toBe('the demo service is not built: /nowhere/demo/dist/service/main.js does not exist — run `npm run build` (the demo/ workspace builds it)');
    expect(REPO_PATHS.demoService).toMatch(/demo\/dist\/service\/main\.js$/);
  });

  it('names DEMO_PORT when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const error = await startDemo({ entry: STAND_IN_DEMO, port, portEnvVar: 'DEMO_PORT' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PortInUseError);
      expect((error as Error).message).toMatch(`port ${port} is in use — set DEMO_PORT=`);
    } finally {
      blocker.close();
    }
  });
});

describe('startTraffic (against a stand-in with the traffic CLI’s contract)', () => {
  it('says how to build the generator when its entry point is missing', async () => {
    await expect(startTraffic({ entry: '/nowhere/cli.js', target: 'http://127.0.0.1:1' })).rejects.toThrow(
      'the traffic generator is not built: /nowhere/cli.js does not exist — run `npm run build` (the demo/ workspace builds it)',
    );
  });

  it('runs the scenario against the target until its duration ends', async () => {
    const demo = await startDemo({ entry: STAND_IN_DEMO });
    try {
      const traffic = await startTraffic({ entry: STAND_IN_TRAFFIC, target: demo.url, users: 2, duration: '1s' });
      expect(traffic.args).toEqual(['--scenario', 'baseline', '--target', demo.url, '--users', '2', '--duration', '1s']);
      expect(await traffic.exited).toEqual({ code: 0, signal: null });
      expect(traffic.running()).toBe(false);
      const metrics = await (await fetch(demo.metricsUrl)).text();
      const count = Number(/http_server_request_duration_seconds_count\{http_route="\/chat"\} (\d+)/.exec(metrics)?.[1]);
      expect(count).toBeGreaterThan(5);
      expect(traffic.logs()).toMatch(/stand-in traffic: done, \d+ requests/);
    } finally {
      await demo.stop();
    }
  });

  it('loops runs until stopped', async () => {
    const demo = await startDemo({ entry: STAND_IN_DEMO });
    try {
      const traffic = await startTrafficLoop({ entry: STAND_IN_TRAFFIC, target: demo.url, users: 1, duration: '0.3s' });
      const first = traffic.process.pid;
      await waitFor(() => traffic.process.pid !== first && traffic.process.pid, 5000, { description: 'a second run' });
      expect(traffic.running()).toBe(true);
      await traffic.stop();
      expect(traffic.running()).toBe(false);
      expect(await traffic.exited).toEqual({ code: null, signal: 'SIGTERM' }); // the stand-in has no SIGTERM handler
    } finally {
      await demo.stop();
    }
  });

  it('stops a running generator with the stack', async () => {
    const demo = await startDemo({ entry: STAND_IN_DEMO });
    try {
      const traffic = await startTraffic({ entry: STAND_IN_TRAFFIC, target: demo.url, duration: '60s' });
      await waitFor(() => traffic.logs().includes('stand-in traffic:'), 5000);
      await traffic.stop();
      expect(traffic.running()).toBe(false);
    } finally {
      await demo.stop();
    }
  });
});
