/**
 * The report over a fixed range of a real Prometheus (a synthetic hour
 * backfilled by promtool): the JSON is compared with a golden file and
 * validated against the published schema; the second half hour against the
 * first shows the regressions the synthetic data holds; bad input fails with
 * a message and writes nothing.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@modelwatch/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSyntheticPrometheus } from './__fixtures__/prometheus';
import { BASELINE_RANGE, REGRESSED_RANGE, T0 } from './__fixtures__/synthetic';
import { main } from './cli';
import { BaselineError, REPORT_HTML, REPORT_JSON, buildReport, writeReport } from './generate';
import { NoDataError } from './collect';
import { PrometheusError } from './prometheus';
import { schemaErrors } from './validate';
import type { PerformanceReport } from './model';

let prometheus: Awaited<ReturnType<typeof startSyntheticPrometheus>>;
let dir: string;
const GENERATED_AT = new Date('2026-01-01T01:00:00Z');
/** The golden file must not depend on the port this run's Prometheus got. */
const portless = (report: PerformanceReport) => ({ ...report, source: { ...report.source, prometheus: 'http://prometheus.test' } });

beforeAll(async () => {
  prometheus = await startSyntheticPrometheus();
  dir = mkdtempSync(join(tmpdir(), 'modelwatch-report-test-'));
});

afterAll(async () => {
  await prometheus?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a report over a fixed Prometheus range', () => {
  it('matches the golden JSON and its published schema', async () => {
    const report = await buildReport({ prometheus: prometheus.prometheus.url, ...BASELINE_RANGE, job: 'demo', generatedAt: GENERATED_AT });
    expect(schemaErrors(report)).toEqual([]);
    // Figures the synthetic hour was built to have (100 scrapes of 15 s in the 25 minutes).
    const gpt4o = report.models.find((m) => m.model === 'gpt-4o')!;
    expect(gpt4o).toMatchObject({ calls: 1100, costUsd: 5, rateLimitedRatio: 0.0909091, timeToFirstChunkSeconds: { p95: 0.75 } });
    expect(report.routes.map((r) => [r.route, r.requests])).toEqual([['/chat', 3300], ['/embeddings', 1500]]);
    expect(report.cache).toEqual({ hitRatio: 0.3, savedUsd: 1.2 });
    expect(report.tenants.map((t) => [t.tenant, t.costUsd, t.monthlyBudgetUsd])).toEqual([['acme', 3, 5000], ['globex', 1.5, null], ['_other', 0.9, null], ['_none', 0.01, null]]);
    // $5.41 in 25 minutes is $9,660.10 over the 31 days of January, 4.83 times the $2,000 budget.
    expect(report.budgets).toEqual([{ job: 'demo', projectedMonthUsd: 9660.1, monthlyBudgetUsd: 2000, budgetShare: 4.83005 }]);
    expect(report.slos.find((s) => s.slo === 'availability')).toMatchObject({ target: 0.99, met: false, budgetUsed: 0.05 });
    expect(report.resources[0]).toMatchObject({ job: 'demo', cpuCores: { mean: 0.2, max: 0.2 } });
    await expect(`${JSON.stringify(portless(report), null, 2)}\n`).toMatchFileSnapshot('__fixtures__/golden-baseline-report.json');
  });

  it('lists the regressions against a previous report, with their size, and recommends only what they support', async () => {
    const baseline = await writeReport({ prometheus: prometheus.prometheus.url, ...BASELINE_RANGE, job: 'demo', generatedAt: GENERATED_AT, out: join(dir, 'baseline') });
    const report = await buildReport({ prometheus: prometheus.prometheus.url, ...REGRESSED_RANGE, job: 'demo', baseline: baseline.json, generatedAt: GENERATED_AT });
    expect(schemaErrors(report)).toEqual([]);
    const ttfc = report.comparison?.regressions.find((c) => c.metric === 'model.timeToFirstChunkSeconds.p95');
    expect(ttfc).toEqual({ metric: 'model.timeToFirstChunkSeconds.p95', subject: 'demo openai/gpt-4o', baseline: 0.75, current: 0.95, absoluteChange: 0.2, relativeChange: 0.266667, kind: 'regression' });
    expect(report.comparison?.regressions.find((c) => c.metric === 'model.rateLimitedRatio')).toMatchObject({ subject: 'demo openai/gpt-4o', baseline: 0.0909091, current: 0.166667 });
    // gpt-4o-mini, the embeddings and the cache did not change: nothing reported about them.
    const changed = new Set([...report.comparison!.regressions, ...report.comparison!.improvements].map((c) => c.subject));
    expect([...changed].sort()).toEqual(['demo', 'demo POST /chat', 'demo openai/gpt-4o']);
    expect(report.comparison?.regressions.filter((c) => c.subject === 'demo').map((c) => c.metric)).toEqual(['resources.cpuCores.mean', 'resources.eventLoopLagP99Seconds.max']);
    expect(report.recommendations).toContain('demo openai/gpt-4o p95 time to first chunk rose 26.7 % vs baseline (750 ms → 950 ms).');
    await expect(`${JSON.stringify(portless(report), null, 2)}\n`).toMatchFileSnapshot('__fixtures__/golden-regressed-report.json');
  });

  it('writes the JSON and the HTML from the command line', async () => {
    const out = join(dir, 'cli');
    const iso = (seconds: number) => new Date(seconds * 1000).toISOString();
    expect(await main(['--prometheus', prometheus.prometheus.url, '--from', iso(BASELINE_RANGE.from), '--to', String(BASELINE_RANGE.to), '--job', 'demo', '--out', out])).toBe(0);
    expect(schemaErrors(JSON.parse(readFileSync(join(out, REPORT_JSON), 'utf8')))).toEqual([]);
    expect(readFileSync(join(out, REPORT_HTML), 'utf8')).toContain('<canvas id="model-ttfc"');
  });
});

describe('bad input', () => {
  it('a range with no data: a clear message, and no HTML written', async () => {
    const out = join(dir, 'empty');
    const before = { from: T0 - 7200, to: T0 - 3600 };
    await expect(writeReport({ prometheus: prometheus.prometheus.url, ...before, out })).rejects.toThrow(NoDataError);
    await expect(writeReport({ prometheus: prometheus.prometheus.url, ...before, out })).rejects.toThrow(/no HTTP request and no AI call from 2025-12-31T22:00:00.000Z to 2025-12-31T23:00:00.000Z: nothing to report/);
    // A job that is not there is a range without data too.
    await expect(writeReport({ prometheus: prometheus.prometheus.url, ...BASELINE_RANGE, job: 'nope', out })).rejects.toThrow(/of job "nope"/);
    expect(existsSync(join(out, REPORT_HTML))).toBe(false);
    expect(existsSync(join(out, REPORT_JSON))).toBe(false);
  });

  it('an unreachable Prometheus: a clear error', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    await expect(buildReport({ prometheus: url, ...BASELINE_RANGE })).rejects.toThrow(PrometheusError);
    await expect(buildReport({ prometheus: url, ...BASELINE_RANGE })).rejects.toThrow(new RegExp(`^Cannot reach Prometheus at ${url}: .*ECONNREFUSED`));
  });

  it('a malformed baseline: a clear error before any query, nothing written', async () => {
    const out = join(dir, 'bad-baseline');
    const notJson = join(dir, 'not-json.json');
    const notReport = join(dir, 'not-report.json');
    writeFileSync(notJson, '{"schemaVersion": 1,');
    writeFileSync(notReport, JSON.stringify({ schemaVersion: 1, models: 'many' }));
    const options = { prometheus: prometheus.prometheus.url, ...BASELINE_RANGE, out };
    await expect(writeReport({ ...options, baseline: notJson })).rejects.toThrow(BaselineError);
    await expect(writeReport({ ...options, baseline: notJson })).rejects.toThrow(`The baseline ${notJson} is not JSON`);
    await expect(writeReport({ ...options, baseline: notReport })).rejects.toThrow(/is not a performance baseline report \(schema version 1\): \/ must have required property 'generatedAt'/);
    await expect(writeReport({ ...options, baseline: join(dir, 'missing.json') })).rejects.toThrow(/Cannot read the baseline .*missing\.json: ENOENT/);
    expect(existsSync(out)).toBe(false);
  });

  it('a range that ends before it starts', async () => {
    await expect(buildReport({ prometheus: prometheus.prometheus.url, from: BASELINE_RANGE.to, to: BASELINE_RANGE.from })).rejects.toThrow(/must end after it starts/);
  });
});
