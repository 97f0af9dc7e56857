/**
 * The app's pages in headless Chromium against the live demo: real numbers on
 * every page, a fault showing up on the Overview, both themes, and the
 * "Prometheus unreachable" state once Prometheus is stopped. Screenshots go
 * to docs/images/ (shown in the README).
 */
import { join } from 'node:path';
import { ALERT, APP_PLUGIN_ID, LABEL, METRICS, SERVICE_LABEL, appPagePath } from '@modelwatch/exporter/conventions';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPage, startLive, waitForDemoData, waitForPanels, type Live } from './live';

const IMAGES = join(__dirname, '..', '..', 'docs', 'images');
let live: Live;
let page: Page;

beforeAll(async () => {
  live = await startLive();
  await waitForDemoData(live.stack);
  page = await live.browser.newPage({ viewport: { width: 1400, height: 1000 } });
});

afterAll(async () => {
  await live?.stop();
});

const shot = (name: string) => page.screenshot({ path: join(IMAGES, `${name}.png`), fullPage: true });

describe('app pages against the live demo', () => {
  it('Overview shows a health score between 0 and 100 with its components', async () => {
    await openPage(page, live.preview.url, appPagePath('overview'));
    const score = Number(await page.getByTestId('health-score').innerText());
    expect(score).toBeGreaterThanOrEqual(0);
    expect(score).toBeLessThanOrEqual(100);
    expect(await page.locator('[data-component]').count()).toBeGreaterThan(3);
    expect(await page.getByTestId('job-selector').innerText()).toBe('');
    expect(await page.locator('[data-testid="job-selector"] input').inputValue()).toBe('demo');
    await shot('overview');
  });

  it('AI models has a row per demo model, each with a non-zero cost', async () => {
    // The demo's models that have spent something over the page's range (a model called once has no rate yet).
    const models = (await live.stack.prometheus!.query(`sum by (${LABEL.genAiRequestModel}) (rate(${METRICS.genAiCost.name}{${SERVICE_LABEL}="demo"}[1h])) > 0`)).map(
      (s) => s.metric[LABEL.genAiRequestModel],
    );
    expect(models.length).toBeGreaterThan(1);
    await openPage(page, live.preview.url, appPagePath('ai-models'));
    const rows = page.locator('[data-testid="models-table"] tbody tr');
    const byModel = new Map<string, string[]>();
    for (const row of await rows.all()) {
      const cells = await row.locator('td').allInnerTexts();
      byModel.set(cells[1] ?? '', cells);
    }
    for (const model of models) {
      const cells = byModel.get(model ?? '');
      expect(cells, `row for ${model}`).toBeDefined();
      const costPerHour = Number((cells?.[9] ?? '').replace(/[$,]/g, ''));
      expect(costPerHour, `cost/hour of ${model}`).toBeGreaterThan(0);
    }
    await expect.poll(() => page.getByTestId('budget').isVisible()).toBe(true);
    await shot('ai-models');
  });

  it('Cache shows a hit ratio per cache', async () => {
    await openPage(page, live.preview.url, appPagePath('cache'));
    const ratios = await page.locator('[data-cache]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-hit-ratio')));
    expect(ratios.length).toBeGreaterThan(0);
    const numbers = ratios.filter((r): r is string => r !== null).map(Number);
    expect(numbers.length).toBeGreaterThan(0);
    for (const ratio of numbers) expect(ratio >= 0 && ratio <= 1).toBe(true);
    await shot('cache');
  });

  it('Alerts lists the firing watchdog from the rules, with its severity and runbook', async () => {
    await expect.poll(async () => (await live.stack.prometheus!.alerts()).some((a) => a.labels.alertname === ALERT.watchdog), { timeout: 60_000 }).toBe(true);
    await openPage(page, live.preview.url, appPagePath('alerts'));
    const row = page.locator(`[data-alert="${ALERT.watchdog}"]`).first();
    expect(await row.getAttribute('data-state')).toBe('firing');
    expect(await row.locator('a').getAttribute('href')).toMatch(/runbook|\.md/i);
    await shot('alerts');
  });

  it('switches to the light theme', async () => {
    await openPage(page, live.preview.url, appPagePath('overview'));
    const dark = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await page.getByTestId('theme-toggle').click();
    await page.waitForSelector('header[data-theme="light"]');
    await waitForPanels(page);
    const light = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(light).not.toBe(dark);
    await shot('overview-light');
  });

  it('shows the degraded availability component after a fault on POST /chat', async () => {
    const demo = live.stack.demo!;
    const response = await fetch(`${demo.url}/admin/faults`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${demo.adminToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ kind: 'http_errors', route: '/chat', probability: 1, durationSeconds: 300 }),
    });
    expect(response.status).toBe(201);
    await expect
      .poll(
        async () => {
          await openPage(page, live.preview.url, `${appPagePath('overview')}?theme=dark`);
          const row = page.locator('[data-component="availability"]');
          return (await row.count()) > 0 ? { score: Number(await row.getAttribute('data-score')), text: await row.innerText() } : undefined;
        },
        { timeout: 90_000, interval: 5_000 },
      )
      .toMatchObject({ score: expect.any(Number), text: expect.stringMatching(/5xx on POST \/chat/) });
    const score = Number(await page.locator('[data-component="availability"]').getAttribute('data-score'));
    expect(score).toBeLessThan(90);
    await shot('overview-degraded');
  });

  it('says Prometheus is unreachable once it is stopped', async () => {
    await live.stack.prometheus!.stop();
    await page.goto(`${live.preview.url}/a/${APP_PLUGIN_ID}/overview`);
    await page.getByTestId('state-unreachable').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('state-unreachable').innerText()).toContain('Prometheus is unreachable');
    await shot('overview-unreachable');
  });
});
