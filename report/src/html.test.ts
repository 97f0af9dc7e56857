/**
 * The HTML report in a real Chromium (Debian's, driven by Playwright as the
 * app's browser tests do): opened from the file system with no network, every
 * chart is drawn by Chart.js, holds the report's data and painted its canvas.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { resolveTool } from '@modelwatch/testkit';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSyntheticPrometheus } from './__fixtures__/prometheus';
import { BASELINE_RANGE, REGRESSED_RANGE } from './__fixtures__/synthetic';
import { chartSpecs } from './charts';
import { writeReport } from './generate';

let prometheus: Awaited<ReturnType<typeof startSyntheticPrometheus>>;
let browser: Browser;
let dir: string;

beforeAll(async () => {
  const executablePath = resolveTool('chromium');
  prometheus = await startSyntheticPrometheus();
  dir = mkdtempSync(join(tmpdir(), 'modelwatch-report-html-'));
  browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
});

afterAll(async () => {
  await browser?.close();
  await prometheus?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

it('draws every chart of the report, offline', async () => {
  const url = prometheus.prometheus.url;
  const baseline = await writeReport({ prometheus: url, ...BASELINE_RANGE, job: 'demo', out: join(dir, 'baseline') });
  const { report, html } = await writeReport({ prometheus: url, ...REGRESSED_RANGE, job: 'demo', baseline: baseline.json, out: join(dir, 'current') });
  const expected = chartSpecs(report).map((spec) => spec.id);
  // Every section of the report has its chart in this report (the synthetic hour has data for all of them).
  expect(expected).toEqual([
    'requests-over-time', 'latency-over-time', 'route-latency', 'route-errors', 'model-calls-over-time', 'model-duration', 'model-ttfc', 'model-tpot',
    'model-errors', 'model-cost', 'model-cost-per-1k', 'slo-compliance', 'slo-budget', 'cpu', 'memory', 'event-loop-lag', 'tenant-spend', 'changes',
  ]);

  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  // Self-contained: any request besides the file itself fails the test.
  const requests: string[] = [];
  context.on('request', (request) => {
    if (!request.url().startsWith('file:')) requests.push(request.url());
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.goto(pathToFileURL(html).href);
  await page.waitForSelector('body[data-charts-rendered]');

  const charts = await page.evaluate(() => {
    const chartOf = (window as unknown as { Chart: { getChart(canvas: HTMLCanvasElement): { data: { datasets: Array<{ data: unknown[] }> } } | undefined } }).Chart;
    return [...document.querySelectorAll('canvas')].map((canvas) => {
      const chart = chartOf.getChart(canvas);
      const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let painted = 0;
      for (let i = 3; i < pixels.length; i += 4) if (pixels[i]! > 0) painted++;
      return { id: canvas.id, drawn: chart !== undefined, points: chart ? chart.data.datasets.reduce((n, d) => n + d.data.filter((v) => v !== null).length, 0) : 0, width: canvas.width, painted };
    });
  });
  expect(errors).toEqual([]);
  expect(requests).toEqual([]);
  expect(await page.getAttribute('body', 'data-charts-rendered')).toBe(String(expected.length));
  expect(charts.map((c) => c.id)).toEqual(expected);
  for (const chart of charts) {
    expect(chart, chart.id).toMatchObject({ drawn: true });
    expect(chart.points, chart.id).toBeGreaterThan(0);
    expect(chart.width, chart.id).toBeGreaterThan(100);
    // Axes, bars or lines: well beyond a blank canvas.
    expect(chart.painted, chart.id).toBeGreaterThan(2000);
  }
  expect(await page.locator('.advice li').first().textContent()).toContain('vs baseline');
  await context.close();
});
