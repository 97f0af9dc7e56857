import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { METRICS } from '@modelwatch/conventions';
import { REPORT_JSON, schemaErrors, type PerformanceReport } from '@modelwatch/report';
import { startPrometheus, type PrometheusInstance } from '@modelwatch/testkit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestService, type TestService } from '../test-support/service';
import { main } from './cli';

describe('traffic --report', () => {
  let service: TestService;
  let prometheus: PrometheusInstance;
  let dir: string;
  beforeAll(async () => {
    service = await startTestService();
    prometheus = await startPrometheus({ targets: [new URL(service.url).host], jobName: 'demo' });
    await prometheus.waitForTargetsUp('demo', 30_000);
    dir = mkdtempSync(join(tmpdir(), 'modelwatch-traffic-report-'));
  });
  afterAll(async () => {
    await prometheus?.stop();
    await service?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('writes the performance baseline report of the run: what Prometheus recorded and what the generator saw', async () => {
    const printed: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((text: string) => printed.push(text));
    const logError = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const argv = ['--target', service.url, '--users', '10', '--think', '50ms', '--duration', '3s', '--seed', '7', '--json', '--report', dir, '--prometheus', prometheus.url];
      expect(await main(argv)).toBe(0);
    } finally {
      log.mockRestore();
      logError.mockRestore();
    }
    const summary = JSON.parse(printed[0]!) as { requests: number };
    const report = JSON.parse(readFileSync(join(dir, REPORT_JSON), 'utf8')) as PerformanceReport;
    expect(schemaErrors(report)).toEqual([]);
    expect(report.source).toMatchObject({ kind: 'traffic', job: 'demo', prometheus: prometheus.url, traffic: { seed: 7, users: 10, requests: summary.requests } });
    expect(report.routes.map((r) => r.route)).toContain('/chat');
    expect(report.models.length).toBeGreaterThan(0);
    expect(report.totals.requests).toBeGreaterThan(0);
    // The report waited for a scrape after the run: at its end Prometheus holds every request of the run.
    const count = `${METRICS.httpServerRequestDuration.name}_count`;
    expect(await prometheus.queryValue(`sum(${count})`, Date.parse(report.source.to) / 1000)).toBe(summary.requests);
  });
});
