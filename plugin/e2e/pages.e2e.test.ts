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
} from '@modelwatch/conventions';
import { waitFor } from '@modelwatch/testkit';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GRAFANA_RULES_PATH, alertmanagerAlertsPath, type RulesResponse } from '../src/data/alerts';
import { buildDsQueryRequest, type DsQueryRequest, type DsQueryResponse } from '../src/data/dsQuery';
import { openPage, startLive, waitForDemoData, waitForPanels, type Live } from './live';

const IMAGES = process.env.SCREENSHOTS_DIR ? resolve(process.env.SCREENSHOTS_DIR) : join(__dirname, '..', '..', '.data', 'screenshots');
// `npm run screenshots` waits for half an hour of the demo's history (a real run at realistic latency, never
// invented data) so the README's charts show it; test runs look at the quarter hour they have.
const SCREENSHOTS = Boolean(process.env.SCREENSHOTS_DIR);
const FROM = SCREENSHOTS ? 'now-30m' : 'now-15m';
const RANGE = `?from=${FROM}&to=now`;
const HISTORY_SECONDS = SCREENSHOTS ? 30 * 60 : 0;
const DEMO = `${SERVICE_LABEL}="demo"`;
let live: Live;
let page: Page;

beforeAll(async () => {
  live = await startLive();
  await waitForDemoData(live.stack);
  if (HISTORY_SECONDS > 0) await waitForHistory(HISTORY_SECONDS);
  page = await live.browser.newPage({ viewport: { width: 1400, height: 1000 } });
}, 120_000 + HISTORY_SECONDS * 1500);

/** Until Prometheus holds `seconds` of the demo's samples (checked every half minute). */
async function waitForHistory(seconds: number) {
  const held = async () => Number((await prometheus().query(`time() - min_over_time(timestamp(up{${DEMO}})[${seconds + 600}s:15s])`))[0]?.value[1] ?? 0);
  const deadline = Date.now() + seconds * 1500;
  while ((await held()) < seconds) {
    if (Date.now() > deadline) throw new Error(`Prometheus held less than ${seconds} s of the demo's samples after ${seconds * 1.5} s`);
    await new Promise((resolve) => setTimeout(resolve, 30_000));
  }
}

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

/**
 * A Grafana table panel's rows as the page shows them: header → cell text.
 * Grafana 13's table is a data grid (`role="grid"`, cells `gridcell`); it draws
 * only the columns in view, so the pages' tables fit the 1400 px viewport.
 */
async function tableRows(p: Page, panel: string): Promise<Array<Record<string, string>>> {
  return p.locator(`[data-panel="${panel}"] [role="grid"], [data-panel="${panel}"] [role="table"]`).first().evaluate((table) => {
    const headers = [...table.querySelectorAll('[role="columnheader"]')].map((h) => (h as HTMLElement).innerText.trim());
    return [...table.querySelectorAll('[role="row"]')]
      .map((row) => [...row.querySelectorAll('[role="gridcell"], [role="cell"]')].map((cell) => (cell as HTMLElement).innerText.trim()))
      .filter((cells) => cells.length > 0)
      .map((cells) => Object.fromEntries(cells.map((text, i) => [headers[i] ?? String(i), text])));
  });
}

/**
 * The hour's error ratio of every objective, once each of them has its burn rate and budget recorded too (so the
 * table's row is complete): Prometheus' answer, as the page reads it.
 */
async function objectivesRecorded() {
  const errorRatios = `${SLO_RECORDING_RULE.errorRatio}{${DEMO},${SLO_LABEL.window}="1h"}`;
  const burnRates = `${SLO_RECORDING_RULE.burnRate}{${DEMO},${SLO_LABEL.window}="1h"}`;
  const budgets = `${SLO_RECORDING_RULE.budgetRemaining}{${DEMO}}`;
  const incomplete = `(${errorRatios} unless ${burnRates}) or (${errorRatios} unless ignoring(${SLO_LABEL.window}) ${budgets})`;
  return waitFor(
    async () => {
      const [ratios, missing] = await Promise.all([prometheus().query(errorRatios), prometheus().query(incomplete)]);
      return missing.length === 0 && ratios;
    },
    60_000,
    { intervalMs: 1000, description: 'every objective with its error ratio, burn rate and budget recorded' },
  );
}

/** "99.96%" → 0.9996; NaN for an empty cell. */
const percent = (text: string | undefined) => Number((text ?? '').replace('%', '').trim()) / 100;

/** The /api/ds/query bodies the page sends from now on. */
function recordQueries(p: Page): DsQueryRequest[] {
  const bodies: DsQueryRequest[] = [];
  p.on('request', (request) => {
    if (request.url().endsWith('/api/ds/query')) bodies.push(request.postDataJSON() as DsQueryRequest);
  });
  return bodies;
}

/** The component the Overview explains under "Why this score", once it is there. */
async function explained(component: string) {
  await openPage(page, live.preview.url, `${appPagePath('overview')}${RANGE}&theme=dark`);
  const item = page.locator(`[data-testid="why"] [data-component="${component}"]`).first();
  return (await item.count()) > 0 ? { score: Number(await item.getAttribute('data-score')), text: await item.innerText() } : undefined;
}

describe('app pages against the live demo', () => {
  it('Overview shows the recorded score, healthy at realistic model latency, and every objective with its real SLI', async () => {
    // The objectives Prometheus has before the page asks: the page must show each of them. A model's first call gives
    // birth to its objectives' series while the test runs, and the budget's rules are another group, evaluated apart
    // from the error ratios': read them once every objective has its error ratio, burn rate and budget.
    const errorRatios = await objectivesRecorded();
    const before = await recordedScore();
    await openPage(page, live.preview.url, `${appPagePath('overview')}${RANGE}`);
    const after = await recordedScore();
    const scorePanel = page.locator('[data-panel="health-score"]');
    // The score and the stat as one render left them (two reads could straddle a re-render).
    const shown = await scorePanel.evaluate((panel) => ({ score: Number(panel.getAttribute('data-score')), stat: (panel.querySelector('[data-viz="stat"]') as HTMLElement | null)?.innerText ?? '' }));
    const score = shown.score;
    // The page shows what Prometheus recorded (it may have moved between the two reads), and the stat draws it.
    expect(score).toBeGreaterThanOrEqual(Math.min(before, after) - 0.05);
    expect(score).toBeLessThanOrEqual(Math.max(before, after) + 0.05);
    expect(shown.stat).toContain(String(Math.round(score)));
    // The realism rule: the demo meets its objectives at real model latency with nothing injected. A failure names
    // the components under 100 as Prometheus recorded them.
    const below = async () =>
      (await prometheus().query(`${HEALTH_RECORDING_RULE.componentScore}{${DEMO}} < 100`)).map((c) => `${c.metric[HEALTH_RECORDING_RULE.componentLabel]} ${c.metric[LABEL.genAiRequestModel] ?? c.metric[LABEL.cacheName] ?? ''}: ${Number(c.value[1]).toFixed(1)}`);
    expect(await scorePanel.getAttribute('data-band'), `components under 100: ${(await below()).join('; ')}`).toBe('healthy');
    // The trend is a Grafana time series: uPlot's time and value axes, and a legend.
    expect(await page.locator('[data-panel="health-trend"] [data-viz="timeseries"] .u-axis').count()).toBeGreaterThanOrEqual(2);
    expect(await page.locator('[data-panel="health-trend"] [data-viz="timeseries"]').innerText()).toContain('Health score');

    const rows = await tableRows(page, 'objectives');
    expect(errorRatios.length).toBeGreaterThan(5);
    for (const { metric, value } of errorRatios) {
      const model = metric[LABEL.genAiRequestModel];
      const cache = metric[LABEL.cacheName];
      const covers = model ? `${metric[LABEL.genAiProviderName]}/${model}` : cache ? `cache ${cache}` : metric[SLO_LABEL.scope];
      const row = rows.find((r) => r.Objective === metric[SLO_LABEL.name] && r.Covers === covers);
      expect(row, `row for ${metric[SLO_LABEL.name]} on ${covers}`).toBeDefined();
      // The hour's SLI barely moves between Prometheus' answer and the page's (shown to two decimals, rounded down).
      expect(Math.abs(percent(row!['SLI 1h']) - (1 - Number(value[1])))).toBeLessThan(0.01);
      expect(row!['Burn 1h'], `burn rate of ${row!.Objective}`).toMatch(/^\d+(\.\d)? ×$/);
      expect(Number.isFinite(percent(row!['Budget left'])), `budget left of ${row!.Objective}`).toBe(true);
      expect(row!.Alerting).toBe(metric[SLO_LABEL.alerting] === 'page' ? 'page' : 'ticket');
    }
    // Worst first.
    const scores = rows.map((r) => (r.Score ? Number(r.Score) : Infinity));
    expect(scores).toEqual([...scores].sort((a, b) => a - b));
    expect(await page.getByTestId('job-selector').innerText()).toBe('');
    expect(await page.locator('[data-testid="job-selector"] input').inputValue()).toBe('demo');
    await shot('overview');
  });

  it('keeps the time range, refresh and service in the URL: the picker changes the queries and the URL, back restores them, links carry them', async () => {
    await openPage(page, live.preview.url, `${appPagePath('overview')}?from=now-30m&to=now&var-job=demo`);
    const queries = recordQueries(page);
    await page.getByRole('button', { name: /Time range selected/ }).click();
    await page.getByText('Last 3 hours').click();
    await page.waitForURL(/from=now-3h/);
    await waitForPanels(page);
    // `now-3h` and `now` are resolved one after the other: a millisecond may pass between them.
    await expect.poll(() => queries.some((q) => Math.abs(Number(q.to) - Number(q.from) - 3 * 3600_000) < 1000)).toBe(true);
    expect(new URL(page.url()).searchParams.get('var-job')).toBe('demo');

    const dashboard = new URL((await page.getByTestId('dashboard-link').getAttribute('href'))!, live.preview.url);
    expect(Object.fromEntries(dashboard.searchParams)).toMatchObject({ from: 'now-3h', to: 'now', 'var-job': 'demo' });
    // A reason or a route opens Explore with its query over the same range.
    const explore = new URL((await page.locator('[data-panel="objectives"] a[href^="/explore"]').first().getAttribute('href'))!, live.preview.url);
    const pane = Object.values(JSON.parse(explore.searchParams.get('panes')!) as Record<string, { range: unknown; queries: Array<{ expr: string }> }>)[0]!;
    expect(pane.range).toEqual({ from: 'now-3h', to: 'now' });
    expect(pane.queries[0]!.expr).toMatch(new RegExp(`^${SLO_RECORDING_RULE.errorRatio}\\{slo="[^"]+",job="demo"\\}$`));

    await page.goBack();
    await page.waitForURL(/from=now-30m/);
    await waitForPanels(page);

    await page.goto(`${live.preview.url}${appPagePath('overview')}?from=now-30m&to=now&var-job=demo&refresh=5s`);
    await waitForPanels(page);
    const refreshed = recordQueries(page);
    // The refresh picker's interval re-runs the page's queries by itself.
    await expect.poll(() => refreshed.length, { timeout: 20_000 }).toBeGreaterThan(1);
  });

  it('says what is wrong with a bad URL instead of breaking: from after to, garbage, an unknown service', async () => {
    await page.goto(`${live.preview.url}${appPagePath('cache')}?from=now&to=now-1h`);
    expect(await page.getByTestId('state-bad-range').innerText()).toContain('starts');
    await page.goto(`${live.preview.url}${appPagePath('cache')}?from=%3Cscript%3E&to=now`);
    expect(await page.getByTestId('state-bad-range').innerText()).toContain('from=<script>');
    await page.goto(`${live.preview.url}${appPagePath('ai-models')}?var-job=no-such-service`);
    expect(await page.getByTestId('state-unknown-job').innerText()).toContain('No service "no-such-service" in Prometheus');
    expect(await page.getByTestId('state-unknown-job').innerText()).toContain('demo');
  });

  it('AI models has a row per demo model with a non-zero cost, and the budget from the spec', async () => {
    // The demo's models spending now: the page's cost/hour is the current (5m) rate.
    const models = (await prometheus().query(`sum by (${LABEL.genAiRequestModel}) (rate(${METRICS.genAiCost.name}{${DEMO}}[5m])) > 0`)).map((s) => s.metric[LABEL.genAiRequestModel]);
    expect(models.length).toBeGreaterThan(1);
    const budget = Number((await prometheus().query(`${BUDGET_RECORDING_RULE}{${DEMO}}`))[0]?.value[1]);
    expect(budget).toBeGreaterThan(0);
    await openPage(page, live.preview.url, `${appPagePath('ai-models')}${RANGE}`);
    const byModel = new Map((await tableRows(page, 'models-table')).map((row) => [row.Model, row]));
    for (const model of models) {
      const row = byModel.get(model ?? '');
      expect(row, `row for ${model}`).toBeDefined();
      // Grafana's currency unit: "$0.0123", never an exponent.
      expect(row!['Cost/hour (5m)'], `cost/hour of ${model}`).toMatch(/^\$\d[\d,]*(\.\d+)?[KMB]?$/);
      expect(Number(row!['Cost/hour (5m)']!.replace(/[$,]/g, '')), `cost/hour of ${model}`).toBeGreaterThan(0);
      expect(row!['Cost/1k calls']).not.toMatch(/e-/);
    }
    // A model opens the AI models dashboard filtered to it, over the same range and service.
    const link = new URL((await page.locator('[data-panel="models-table"] a[href^="/d/"]').first().getAttribute('href'))!, live.preview.url);
    expect(link.pathname).toBe('/d/modelwatch-ai-models');
    expect(Object.fromEntries(link.searchParams)).toMatchObject({ from: FROM, to: 'now', 'var-job': 'demo', 'var-model': expect.stringMatching(/.+/) });
    expect(await page.getByTestId('budget').innerText()).toContain(`of the $${budget.toLocaleString('en-US', { minimumFractionDigits: 2 })} monthly budget`);
    expect(await page.locator('[data-panel="budget"] [data-viz="bargauge"]').count()).toBe(1);
    // Spend by tenant and feature, substitutions and rate-limit headroom: drawn, or saying why they are empty, never failing.
    for (const panel of ['tenant-spend', 'feature-spend', 'substitutions', 'rate-limits']) {
      expect(['ready', 'empty'], panel).toContain(await page.locator(`[data-panel="${panel}"]`).getAttribute('data-state'));
    }
    // Latency carries the exemplars Prometheus holds for it.
    const now = Date.now() / 1000;
    const stored = await prometheus().queryExemplars(`${METRICS.genAiOperationDuration.name}_bucket{${DEMO}}`, now - 900, now);
    const shown = Number(await page.locator('[data-panel="latency-chart"]').getAttribute('data-exemplars'));
    expect(shown > 0).toBe(stored.some((s) => s.exemplars.length > 0));
    await shot('ai-models');
  });

  it('Cache shows a hit ratio per cache', async () => {
    await openPage(page, live.preview.url, `${appPagePath('cache')}${RANGE}`);
    const rows = await tableRows(page, 'caches');
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(percent(row['Hit ratio']), `hit ratio of ${row.Cache}`).toBeGreaterThanOrEqual(0);
    for (const row of rows) expect(percent(row['Hit ratio']), `hit ratio of ${row.Cache}`).toBeLessThanOrEqual(1);
    expect(await page.locator('[data-panel="hit-ratio-chart"] [data-viz="timeseries"] .u-axis').count()).toBeGreaterThan(0);
    await shot('cache');
  });

  it('Alerts says the pipeline is healthy while the watchdog fires, and lists no Watchdog row', async () => {
    await expect.poll(async () => (await live.stack.alertmanager!.alerts()).some((a) => a.labels.alertname === ALERT.watchdog), { timeout: 60_000 }).toBe(true);
    await openPage(page, live.preview.url, `${appPagePath('alerts')}${RANGE}`);
    expect(await page.getByTestId('alerting-pipeline').getAttribute('data-state')).toBe('healthy');
    expect(await page.getByTestId('alerting-pipeline').innerText()).toBe('Alerting pipeline healthy: watchdog firing as designed.');
    expect((await tableRows(page, 'alerts').catch(() => [])).filter((row) => row.Alert?.startsWith(ALERT.watchdog))).toEqual([]);
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
      expect(await page.locator('[data-panel="health-score"]').getAttribute('data-band')).toBe('degraded');
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
    expect(await page.locator('[data-panel="health-score"]').getAttribute('data-band')).toBe('critical');
    await shot('overview-degraded');

    // Its page and ticket copies are both active in Prometheus; the Alerts page shows them as one row.
    const burnAlert = ALERT.availabilityBudgetBurn;
    await expect
      .poll(async () => new Set((await prometheus().alerts()).filter((a) => a.labels.alertname === burnAlert && a.labels.job === 'demo').map((a) => a.labels.severity)), { timeout: 60_000 })
      .toEqual(new Set(['critical', 'warning']));
    await openPage(page, live.preview.url, `${appPagePath('alerts')}${RANGE}`);
    const rows = (await tableRows(page, 'alerts')).filter((row) => row.Alert?.startsWith(burnAlert) && row.About?.includes('demo'));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.Severity).toBe('critical');
    expect(rows[0]!.Alert).toContain('(also warning)');
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
