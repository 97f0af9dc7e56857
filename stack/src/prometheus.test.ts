import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALERT_RESEND_DELAY, freePort, installCommand, MissingToolError, PortInUseError, readYamlFile, startPrometheus, toolById, waitFor } from '@modelwatch/testkit';
import { REPO_PATHS } from './repo';
import { prometheusConfigForRun } from './stack-config';

const INSTALL_PROMETHEUS = installCommand([toolById('prometheus')]);

let target: Server;
let targetAddress: string;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'stack-prometheus-test-'));
  target = createServer((_request, response) => response.end('# TYPE demo_requests_total counter\ndemo_requests_total{route="/chat"} 42\n'));
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
  targetAddress = `127.0.0.1:${(target.address() as { port: number }).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => target.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

describe('startPrometheus', () => {
  it('scrapes a loopback target (up == 1) and answers queries', async () => {
    const prometheus = await startPrometheus({ targets: [targetAddress], jobName: 'loopback' });
    try {
      expect(prometheus.url).toBe(`http://127.0.0.1:${prometheus.port}`);
      const [up] = await prometheus.waitForTargetsUp('loopback', 20_000);
      expect(up).toMatchObject({ scrapeUrl: `http://${targetAddress}/metrics`, health: 'up', lastError: '' });
      await waitFor(() => prometheus.queryValue('up{job="loopback"}'), 10_000, { description: 'up sample' });
      expect(await prometheus.queryValue('up{job="loopback"}')).toBe(1);
      expect(await prometheus.queryValue('demo_requests_total')).toBe(42);
      const now = Date.now() / 1000;
      const [series] = await prometheus.queryRange('demo_requests_total', now - 60, now, 1);
      expect(series?.metric).toMatchObject({ job: 'loopback', route: '/chat' });
      expect(await prometheus.queryExemplars('demo_requests_total', now - 60, now)).toEqual([]);
      expect(prometheus.process.groupPids()).toEqual([prometheus.process.pid]);
    } finally {
      await prometheus.stop();
    }
    expect(prometheus.process.running()).toBe(false);
  });

  it('runs the repo config, whose rule glob matches nothing yet, scraping itself', async () => {
    const port = await freePort();
    const config = prometheusConfigForRun(readYamlFile(REPO_PATHS.prometheusConfig), REPO_PATHS.prometheusConfig, { prometheus: port });
    const prometheus = await startPrometheus({ config, port });
    try {
      await prometheus.waitForTargetsUp('prometheus', 20_000);
      expect((await prometheus.targets()).map((t) => t.labels.job)).toEqual(['prometheus']);
    } finally {
      await prometheus.stop();
    }
  });

  it('loads rule files, lists rules and alerts, and reloads a new config', async () => {
    const rules = join(dir, 'always.yml');
    writeFileSync(rules, 'groups:\n  - name: test\n    interval: 1s\n    rules:\n      - alert: AlwaysFiring\n        expr: vector(1)\n        labels: {severity: info}\n        annotations: {summary: always}\n');
    const prometheus = await startPrometheus({ ruleFiles: [rules], evaluationInterval: '1s' });
    try {
      const [firing] = await waitFor(async () => {
        const alerts = await prometheus.alerts();
        return alerts.length > 0 && alerts;
      }, 15_000);
      expect(firing).toMatchObject({ labels: { alertname: 'AlwaysFiring', severity: 'info' }, annotations: { summary: 'always' }, state: 'firing' });
      const [group] = await prometheus.rules();
      expect(group).toMatchObject({ name: 'test', file: rules, rules: [{ type: 'alerting', name: 'AlwaysFiring', health: 'ok' }] });

      const more = join(dir, 'record.yml');
      writeFileSync(more, 'groups:\n  - name: recorded\n    rules:\n      - record: test:one\n        expr: vector(1)\n');
      await prometheus.reload({ global: { evaluation_interval: '1s' }, rule_files: [rules, more] });
      expect((await prometheus.rules()).map((g) => g.name)).toEqual(['test', 'recorded']);
    } finally {
      await prometheus.stop();
    }
  });

  it('gives a web page on another origin nothing: no CORS answer, no lifecycle API (reloads go by SIGHUP)', async () => {
    const prometheus = await startPrometheus({ targets: [targetAddress] });
    try {
      const fromAttacker = await fetch(`${prometheus.url}/api/v1/query?query=up`, { headers: { origin: 'http://attacker.example' } });
      expect(fromAttacker.headers.get('access-control-allow-origin')).toBeNull();
      const fromItself = await fetch(`${prometheus.url}/api/v1/query?query=up`, { headers: { origin: prometheus.url } });
      expect(fromItself.headers.get('access-control-allow-origin')).toBe(prometheus.url);
      // What a cross-site form post would send: no preflight is needed for it.
      for (const path of ['/-/quit', '/-/reload']) {
        const lifecycle = await fetch(`${prometheus.url}${path}`, { method: 'POST', headers: { origin: 'http://attacker.example', 'content-type': 'application/x-www-form-urlencoded' } });
        expect(lifecycle.status, path).toBe(403);
      }
      expect(prometheus.process.running()).toBe(true);
      expect(await prometheus.queryValue('vector(1)')).toBe(1);
    } finally {
      await prometheus.stop();
    }
  });

  it('re-sends firing alerts every 15 s, so Alertmanager lets a dead Prometheus\'s watchdog lapse within a minute', async () => {
    const prometheus = await startPrometheus({ targets: [targetAddress] });
    try {
      const flags = (await (await fetch(`${prometheus.url}/api/v1/status/flags`)).json()) as { data: Record<string, string> };
      expect(flags.data['rules.alert.resend-delay']).toBe(ALERT_RESEND_DELAY);
    } finally {
      await prometheus.stop();
    }
  });

  it('says so when a reload is rejected, quoting Prometheus, and keeps running the old config', async () => {
    const prometheus = await startPrometheus({ targets: [targetAddress], jobName: 'kept' });
    try {
      await expect(prometheus.reload({ global: { scrape_interval: 'often' } })).rejects.toThrow(/prometheus rejected the new config; its last output:[\s\S]*often/);
      await prometheus.waitForTargetsUp('kept', 20_000);
    } finally {
      await prometheus.stop();
    }
  });

  it('refuses a rule file that does not exist, which Prometheus itself would skip without a word', async () => {
    const missing = join(dir, 'missing.yml');
    await expect(startPrometheus({ ruleFiles: [missing] })).rejects.toThrow(`Prometheus rule file(s) not found: ${missing} (Prometheus would run without them, silently)`);
    await expect(startPrometheus({ config: { rule_files: [missing] } })).rejects.toThrow('not found');
  });

  it('fails quoting Prometheus on a config it rejects', async () => {
    await expect(startPrometheus({ config: { global: { scrape_interval: 'often' } } })).rejects.toThrow(/prometheus exited \(code 2\) before it was ready[\s\S]*not a valid duration string: \\"often\\"/);
  });

  it('names the env var when its port is taken', async () => {
    const taken = Number(targetAddress.split(':')[1]);
    const error = await startPrometheus({ port: taken, portEnvVar: 'PROMETHEUS_PORT' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PortInUseError);
    expect((error as Error).message).toMatch(`port ${taken} is in use — set PROMETHEUS_PORT=`);
  });

  it('fails with the install command when the binary is missing', async () => {
    const saved = process.env.PROMETHEUS_BIN;
    process.env.PROMETHEUS_BIN = '/nonexistent/prometheus';
    try {
      const error = await startPrometheus({}).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MissingToolError);
      expect((error as Error).message).toBe(`Prometheus is not installed (PROMETHEUS_BIN=/nonexistent/prometheus is not an executable). Install it with: ${INSTALL_PROMETHEUS}`);
    } finally {
      if (saved === undefined) delete process.env.PROMETHEUS_BIN;
      else process.env.PROMETHEUS_BIN = saved;
    }
  });
});
