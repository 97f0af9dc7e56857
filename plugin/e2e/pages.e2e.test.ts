/**
 * The app's pages in headless Chromium against the live demo at realistic
 * model latency: the recorded health score and every objective with its real
 * values, a masked provider outage and a user-facing fault explained by
 * objective, one row per alert and no Watchdog among them, both themes, and
 * the "Prometheus unreachable" state once Prometheus is stopped. Screenshots
 * go to .data/screenshots/, or to SCREENSHOTS_DIR: `npm run screenshots`
 * refreshes the README's images in docs/images/ (a test run leaves the tree clean).
 */
import { join, resolve } from 'node:path';
import {
  ALERT,
  APP_PLUGIN_ID,
  BUDGET_RECORDING_RULE,
  DATASOURCE_UID,
  HEALTH_RECORDING_RULE,
  LABEL,
  METRICS,
  SERVICE_LABEL,
  SLO_LABEL,
  SLO_RECORDING_RULE,
  appPagePath,
} from '@modelwatch/exporter/conventions';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GRAFANA_RULES_PATH, alertmanagerAlertsPath, type RulesResponse } from '../src/data/alerts';
import { buildDsQueryRequest, type DsQueryResponse } from '../src/data/dsQuery';
import { openPage, startLive, waitForDemoData, waitForPanels, type Live } from './live';

const IMAGES = process.env.SCREENSHOTS_DIR ? resolve(process.env.SCREENSHOTS_DIR) : join(__dirname, '..', '..', '.data', 'screenshots');
// The stack is minutes old: a short range keeps the charts readable in the screenshots.
const RANGE = '?from=now-15m&to=now';
const DEMO = `${SERVICE_LABEL}="demo"`;
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
const prometheus = () => live.stack.prometheus!;
const recordedScore = async () => Number((await prometheus().query(`${HEALTH_RECORDING_RULE.score}{${DEMO}}`))[0]?.value[1]);

/** Injects a fault through the demo's admin API; resolves to its id. */
async function inject(fault: Record<string, unknown>): Promise<string> {
  const demo = live.stack.demo!;
  const response = await fetch(`${demo.url}/admin/faults`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${demo.adminToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(fault),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

async function heal(id: string): Promise<void> {
  const demo = live.stack.demo!;
  await fetch(`${demo.url}/admin/faults/${id}`, { method: 'DELETE', headers: { Authorization: `Bearer ${demo.adminToken}` } });
}

/** The Overview's objective rows as the page shows them. */
async function objectiveRows(p: Page) {
  return p.locator('[data-testid="objectives"] tbody tr').evaluateAll((rows) =>
    rows.map((r) => ({
      slo: r.getAttribute('data-slo'),
      covers: r.getAttribute('data-covers'),
      score: r.getAttribute('data-score'),
      sli: r.getAttribute('data-sli'),
      burnRate: r.getAttribute('data-burn-rate'),
      budgetRemaining: r.getAttribute('data-budget-remaining'),
      text: (r as HTMLElement).innerText,
    })),
  );
}

/** The component the Overview explains under "Why this score", once it is there. */
async function explained(component: string) {
  await openPage(page, live.preview.url, `${appPagePath('overview')}${RANGE}&theme=dark`);
  const item = page.locator(`[data-testid="why"] [data-component="${component}"]`).first();
  return (await item.count()) > 0 ? { score: Number(await item.getAttribute('data-score')), text: await item.innerText() } : undefined;
}

describe('app pages against the live demo', () => {
  it('Overview shows the recorded score, healthy at realistic model latency, and every objective with its real SLI', async () => {
    const before = await recordedScore();
    await openPage(page, live.preview.url, `${appPagePath('overview')}${RANGE}`);
    const after = await recordedScore();
    const score = Number(await page.getByTestId('health-score').innerText());
    // The page shows what Prometheus recorded (it may have moved between the two reads).
    expect(score).toBeGreaterThanOrEqual(Math.round(Math.min(before, after)));
    expect(score).toBeLessThanOrEqual(Math.round(Math.max(before, after)));
    // The realism rule: the demo meets its objectives at real model latency with nothing injected.
    expect(await page.getByTestId('health-score').getAttribute('data-band')).toBe('healthy');

    const rows = await objectiveRows(page);
    const errorRatios = await prometheus().query(`${SLO_RECORDING_RULE.errorRatio}{${DEMO},${SLO_LABEL.window}="1h"}`);
    expect(errorRatios.length).toBeGreaterThan(5);
    for (const { metric, value } of errorRatios) {
      const model = metric[LABEL.genAiRequestModel];
      const cache = metric[LABEL.cacheName];
      const covers = model ? `${metric[LABEL.genAiProviderName]}/${model}` : cache ? `cache ${cache}` : metric[SLO_LABEL.scope];
      const row = rows.find((r) => r.slo === metric[SLO_LABEL.name] && r.covers === covers);
      expect(row, `row for ${metric[SLO_LABEL.name]} on ${covers}`).toBeDefined();
      // The hour's SLI barely moves between Prometheus' answer and the page's.
      expect(Math.abs(Number(row!.sli) - (1 - Number(value[1])))).toBeLessThan(0.01);
      expect(Number.isFinite(Number(row!.burnRate)), `burn rate of ${row!.slo}`).toBe(true);
      expect(Number.isFinite(Number(row!.budgetRemaining)), `budget left of ${row!.slo}`).toBe(true);
      expect(row!.text).toMatch(metric[SLO_LABEL.alerting] === 'page' ? /\bpage\b/ : /\bticket\b/);
    }
    // Worst first.
    const scores = rows.map((r) => (r.score === null ? Infinity : Number(r.score)));
    expect(scores).toEqual([...scores].sort((a, b) => a - b));
    expect(await page.getByTestId('job-selector').innerText()).toBe('');
    expect(await page.locator('[data-testid="job-selector"] input').inputValue()).toBe('demo');
    await shot('overview');
  });

  it('AI models has a row per demo model with a non-zero cost, and the budget from the spec', async () => {
    // The demo's models spending now: the page's cost/hour is the current (5m) rate.
    const models = (await prometheus().query(`sum by (${LABEL.genAiRequestModel}) (rate(${METRICS.genAiCost.name}{${DEMO}}[5m])) > 0`)).map((s) => s.metric[LABEL.genAiRequestModel]);
    expect(models.length).toBeGreaterThan(1);
    const budget = Number((await prometheus().query(`${BUDGET_RECORDING_RULE}{${DEMO}}`))[0]?.value[1]);
    expect(budget).toBeGreaterThan(0);
    await openPage(page, live.preview.url, `${appPagePath('ai-models')}${RANGE}`);
    const headers = await page.locator('[data-testid="models-table"] thead th').allInnerTexts();
    const costColumn = headers.findIndex((h) => h.startsWith('Cost/hour'));
    expect(costColumn).toBeGreaterThan(0);
    const byModel = new Map<string, string[]>();
    for (const row of await page.locator('[data-testid="models-table"] tbody tr').all()) {
      const cells = await row.locator('td').allInnerTexts();
      byModel.set(cells[1] ?? '', cells);
    }
    for (const model of models) {
      const cells = byModel.get(model ?? '');
      expect(cells, `row for ${model}`).toBeDefined();
      const costPerHour = Number((cells?.[costColumn] ?? '').replace(/[$,]/g, ''));
      expect(costPerHour, `cost/hour of ${model}`).toBeGreaterThan(0);
    }
    expect(await page.getByTestId('budget').innerText()).toContain(`of the $${budget.toLocaleString('en-US', { minimumFractionDigits: 2 })} monthly budget`);
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

  it('Alerts says the pipeline is healthy while the watchdog fires, and lists no Watchdog row', async () => {
    await expect.poll(async () => (await live.stack.alertmanager!.alerts()).some((a) => a.labels.alertname === ALERT.watchdog), { timeout: 60_000 }).toBe(true);
    await openPage(page, live.preview.url, `${appPagePath('alerts')}${RANGE}`);
    expect(await page.getByTestId('alerting-pipeline').getAttribute('data-state')).toBe('healthy');
    expect(await page.getByTestId('alerting-pipeline').innerText()).toBe('Alerting pipeline healthy: watchdog firing as designed.');
    expect(await page.locator(`[data-alert="${ALERT.watchdog}"]`).count()).toBe(0);
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

  it('says users are unaffected when failover hides a provider outage, naming the objective and model', async () => {
    const fault = await inject({ kind: 'provider_outage', provider: 'anthropic', durationSeconds: 300 });
    try {
      await expect
        .poll(
          async () => {
            await openPage(page, live.preview.url, `${appPagePath('overview')}${RANGE}&theme=dark`);
            const masked = page.getByTestId('masked');
            return (await masked.count()) > 0 ? masked.innerText() : '';
          },
          { timeout: 120_000, interval: 5_000 },
        )
        .toMatch(/^Users are unaffected\s+Every objective that pages is met, so failover or retries absorb what chat models: success \(anthropic\/[^)]+\)/);
      expect(await page.getByTestId('health-score').getAttribute('data-band')).toBe('degraded');
      expect(await page.locator('[data-testid="why"] [data-component="chat models: success"]').first().innerText()).toMatch(/\(anthropic\/.+\) — .+ of calls succeeding over 1h, target 99 %, burning .+× \(ticket\)/);
      await shot('overview-masked');
    } finally {
      await heal(fault);
    }
  });

  it('names the availability objective after a fault on POST /chat, and shows its burn alert as one row', async () => {
    await inject({ kind: 'http_errors', route: '/chat', probability: 1, durationSeconds: 300 });
    await expect.poll(async () => (await explained('availability'))?.score, { timeout: 90_000, interval: 5_000 }).toBeLessThan(70);
    expect((await explained('availability'))?.text).toMatch(/availability \(every route\) — .+ answered without a 5xx over 1h, target 99.9 %, burning .+× \(page\)/);
    expect(await page.getByTestId('health-score').getAttribute('data-band')).toBe('critical');
    await shot('overview-degraded');

    // Its page and ticket copies are both active in Prometheus; the Alerts page shows them as one row.
    const burnAlert = ALERT.availabilityBudgetBurn;
    await expect
      .poll(async () => new Set((await prometheus().alerts()).filter((a) => a.labels.alertname === burnAlert && a.labels.job === 'demo').map((a) => a.labels.severity)), { timeout: 60_000 })
      .toEqual(new Set(['critical', 'warning']));
    await openPage(page, live.preview.url, `${appPagePath('alerts')}${RANGE}`);
    const rows = page.locator(`[data-alert="${burnAlert}"][data-about*="demo"]`);
    expect(await rows.count()).toBe(1);
    expect(await rows.getAttribute('data-severity')).toBe('critical');
    expect(await rows.innerText()).toContain('and warning');
    await shot('alerts');
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
