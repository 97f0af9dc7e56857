/**
 * The app's pages in headless Chromium against the live demo: real numbers on
 * every page, a fault showing up on the Overview, both themes, and the
 * "Prometheus unreachable" state once Prometheus is stopped. Screenshots go
 * to .data/screenshots/, or to SCREENSHOTS_DIR: `npm run screenshots` refreshes
 * the README's images in docs/images/ (a test run leaves the tree clean).
 */
import { join, resolve } from 'node:path';
import { ALERT, APP_PLUGIN_ID, DATASOURCE_UID, LABEL, METRICS, SERVICE_LABEL, appPagePath, healthScore, type HealthComponentId } from '@modelwatch/exporter/conventions';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GRAFANA_RULES_PATH, alertmanagerAlertsPath, type RulesResponse } from '../src/data/alerts';
import { buildDsQueryRequest, type DsQueryResponse } from '../src/data/dsQuery';
import { openPage, startLive, waitForDemoData, waitForPanels, type Live } from './live';

const IMAGES = process.env.SCREENSHOTS_DIR ? resolve(process.env.SCREENSHOTS_DIR) : join(__dirname, '..', '..', '.data', 'screenshots');
// The stack is minutes old: a short range keeps the charts readable in the screenshots.
const RANGE = '?from=now-15m&to=now';
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
    await openPage(page, live.preview.url, `${appPagePath('overview')}${RANGE}`);
    const score = Number(await page.getByTestId('health-score').innerText());
    expect(score).toBeGreaterThanOrEqual(0);
    expect(score).toBeLessThanOrEqual(100);
    const components = await page.locator('[data-component]').evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-component'), Number(r.getAttribute('data-score'))]));
    expect(components.length).toBeGreaterThan(3);
    // The score Prometheus computed equals the conventions' maths over the component scores shown (rounding aside).
    const expected = healthScore(Object.fromEntries(components) as Record<HealthComponentId, number>);
    expect(Math.abs(score - (expected ?? NaN))).toBeLessThanOrEqual(1);
    expect(await page.getByTestId('job-selector').innerText()).toBe('');
    expect(await page.locator('[data-testid="job-selector"] input').inputValue()).toBe('demo');
    await shot('overview');
  });

  it('AI models has a row per demo model, each with a non-zero cost', async () => {
    // The demo's models spending now: the page's cost/hour is the current (5m) rate.
    const models = (await live.stack.prometheus!.query(`sum by (${LABEL.genAiRequestModel}) (rate(${METRICS.genAiCost.name}{${SERVICE_LABEL}="demo"}[5m])) > 0`)).map(
      (s) => s.metric[LABEL.genAiRequestModel],
    );
    expect(models.length).toBeGreaterThan(1);
    await openPage(page, live.preview.url, `${appPagePath('ai-models')}${RANGE}`);
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
    await openPage(page, live.preview.url, `${appPagePath('cache')}${RANGE}`);
    const ratios = await page.locator('[data-cache]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-hit-ratio')));
    expect(ratios.length).toBeGreaterThan(0);
    const numbers = ratios.filter((r): r is string => r !== null).map(Number);
    expect(numbers.length).toBeGreaterThan(0);
    for (const ratio of numbers) expect(ratio >= 0 && ratio <= 1).toBe(true);
    await shot('cache');
  });

  it('Alerts lists the firing watchdog from the rules, with its severity and runbook', async () => {
    await expect.poll(async () => (await live.stack.prometheus!.alerts()).some((a) => a.labels.alertname === ALERT.watchdog), { timeout: 60_000 }).toBe(true);
    await openPage(page, live.preview.url, `${appPagePath('alerts')}${RANGE}`);
    const row = page.locator(`[data-alert="${ALERT.watchdog}"]`).first();
    expect(await row.getAttribute('data-state')).toBe('firing');
    expect(await row.locator('a').getAttribute('href')).toMatch(/runbook|\.md/i);
    await shot('alerts');
  });

  it('switches to the light theme', async () => {
    await openPage(page, live.preview.url, `${appPagePath('overview')}${RANGE}`);
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
          await openPage(page, live.preview.url, `${appPagePath('overview')}${RANGE}&theme=dark`);
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

  it('answers /api/ds/query with Grafana frames: labels on the value field, executedQueryString, no-data frame, errors as 400', async () => {
    const post = async (body: unknown) => {
      const response = await fetch(`${live.preview.url}/api/ds/query`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      return { status: response.status, body: (await response.json()) as DsQueryResponse & { message?: string } };
    };
    const now = Date.now();
    const ok = await post(buildDsQueryRequest(DATASOURCE_UID.prometheus, [{ refId: 'A', expr: 'up', instant: true }, { refId: 'B', expr: 'up' }, { refId: 'C', expr: 'absent_metric_of_nothing' }], { from: now - 300_000, to: now }, 15_000));
    expect(ok.status).toBe(200);
    const instant = ok.body.results.A!;
    expect(instant.status).toBe(200);
    expect(instant.frames![0]!.schema).toMatchObject({ refId: 'A', meta: { type: 'numeric-multi', typeVersion: [0, 1], custom: { resultType: 'vector' } } });
    expect(instant.frames![0]!.schema.meta!.executedQueryString).toMatch(/^Expr: up\nStep: 15s$/);
    expect(instant.frames![0]!.schema.fields.map((f) => [f.name, f.type])).toEqual([['Time', 'time'], ['up', 'number']]);
    expect(instant.frames![0]!.schema.fields[1]!.labels).toMatchObject({ __name__: 'up' });
    expect(instant.frames![0]!.data.values[0]).toHaveLength(1);
    const range = ok.body.results.B!.frames![0]!;
    expect(range.schema.meta).toMatchObject({ type: 'timeseries-multi', custom: { resultType: 'matrix' } });
    expect(range.schema.fields[0]!.config).toEqual({ interval: 15_000 });
    expect(range.data.values[0]!.length).toBe(range.data.values[1]!.length);
    expect(ok.body.results.C!.frames).toEqual([{ schema: { refId: 'C', meta: { typeVersion: [0, 0], executedQueryString: 'Expr: absent_metric_of_nothing\nStep: 15s' }, fields: [] }, data: { values: [] } }]);

    const bad = await post(buildDsQueryRequest(DATASOURCE_UID.prometheus, [{ refId: 'A', expr: 'sum(', instant: true }], { from: now - 300_000, to: now }, 15_000));
    expect(bad.status).toBe(400);
    expect(bad.body.results.A).toMatchObject({ status: 400, errorSource: 'downstream', error: expect.stringMatching(/^bad_data: /) });
    const unknown = await post(buildDsQueryRequest('no-such-datasource', [{ refId: 'A', expr: 'up' }], { from: now - 300_000, to: now }, 15_000));
    expect(unknown).toEqual({ status: 404, body: { message: 'Data source not found' } });
  });

  it('answers the alerting routes with Grafana shapes: status/data envelope, capitalised alert states, bare Alertmanager array', async () => {
    const rules = (await (await fetch(`${live.preview.url}${GRAFANA_RULES_PATH}`)).json()) as RulesResponse;
    expect(rules.status).toBe('success');
    const states = rules.data!.groups.flatMap((g) => g.rules.flatMap((r) => (r.alerts ?? []).map((a) => a.state)));
    expect(states.length).toBeGreaterThan(0);
    for (const state of states) expect(['Alerting', 'Pending']).toContain(state);
    for (const group of rules.data!.groups) for (const rule of group.rules) expect(rule.type).toBe('alerting');
    const am = await fetch(`${live.preview.url}${alertmanagerAlertsPath(DATASOURCE_UID.alertmanager)}`);
    expect(am.status).toBe(200);
    expect(Array.isArray(await am.json())).toBe(true);
    expect((await fetch(`${live.preview.url}${alertmanagerAlertsPath('unknown')}`)).status).toBe(404);
  });

  it('says Prometheus is unreachable once it is stopped', async () => {
    await live.stack.prometheus!.stop();
    await page.goto(`${live.preview.url}/a/${APP_PLUGIN_ID}/overview`);
    await page.getByTestId('state-unreachable').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('state-unreachable').innerText()).toContain('Prometheus is unreachable');
    await shot('overview-unreachable');
  });
});
