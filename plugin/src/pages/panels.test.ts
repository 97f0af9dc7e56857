/**
 * What each page's panels ask Grafana for: the core panel type, the unit of
 * every number, the thresholds the health bands and the SLO spec set, and
 * drill-down links that keep the page's range and service.
 */
import { HEALTH_BANDS } from '@modelwatch/conventions';
import { urlUtil, type DataFrame } from '@grafana/data';
import type { Series } from '../data/dsQuery';
import type { ObjectiveRow } from '../data/slo';
import { budgetPanel, latencyPanel, modelsPanel, ttftPanel, type ModelRow } from './aiModelsPanels';
import { alertsPanel } from './alertsPanel';
import { rateLimitRows, rateLimitsPanel, substitutionRows, substitutionsPanel } from './providerPanels';
import { attributedSpendPanel, spendRows } from './spendPanels';
import { cachesPanel, hitRatioPanel } from './cachePanels';
import { HEALTH_THRESHOLDS, failingModelsPanel, objectivesPanel, scorePanel, scoreTrendPanel, slisPanel, slowRoutesPanel, type LinkContext } from './overviewPanels';

const links: LinkContext = { datasourceUid: 'prom', range: { from: 'now-6h', to: 'now' }, job: 'demo' };
const series = (labels: Record<string, string>, value: number): Series => ({ labels, times: [1000, 16000], values: [value, value] });
/** The query an Explore link opens, its row variables left in place. */
const exploreExpr = (url = '') => JSON.parse(String(urlUtil.parseKeyValue(url.split('?')[1] ?? '').panes)).modelwatch.queries[0].expr as string;
const field = (frames: DataFrame[], name: string) => frames[0]?.fields.find((f) => f.name === name);
// Every query of the Overview, empty unless a test sets it.
const overview = (set: Record<string, Series[]> = {}) =>
  new Proxy(set, { get: (target, key: string) => target[key] ?? [] }) as unknown as Parameters<typeof scorePanel>[0];

const objective: ObjectiveRow = {
  key: 'k',
  name: 'POST /chat: availability',
  kind: 'availability',
  target: 0.999,
  scope: 'POST /chat',
  pages: true,
  score: 96,
  sli: { '5m': 0.99987, '1h': 0.99961 },
  burnRate: { '1h': 0.4, '6h': 0.2 },
  budgetRemaining: 0.73,
};

describe('Overview panels', () => {
  it('shows the score as a stat and over time against the health bands', () => {
    const stat = scorePanel(overview({ trend: [series({ job: 'demo' }, 96)] }));
    expect(stat.viz.pluginId).toBe('stat');
    expect(stat.viz.options).toMatchObject({ colorMode: 'value', graphMode: 'area', reduceOptions: { calcs: ['lastNotNull'] } });
    expect(stat.viz.fieldConfig.defaults).toMatchObject({ min: 0, max: 100, decimals: 0 });
    expect(HEALTH_THRESHOLDS.steps.map((s) => [s.value, s.color])).toEqual([
      [-Infinity, 'red'],
      [HEALTH_BANDS.degraded, 'orange'],
      [HEALTH_BANDS.healthy, 'green'],
    ]);
    // The stat's last point is the instant score (what the band and "Why this score" read), not the trend's last step.
    const now = scorePanel(overview({ trend: [{ labels: { job: 'demo' }, times: [1000, 16000, 31000], values: [96, 95, 94] }], score: [{ labels: { job: 'demo' }, times: [20000], values: [71] }] }));
    expect(now.frames).toHaveLength(1);
    expect(now.frames[0]?.fields.map((f) => f.values)).toEqual([
      [1000, 16000, 20000],
      [96, 95, 71],
    ]);
    const trend = scoreTrendPanel(overview({ trend: [series({ job: 'demo' }, 96)] }));
    expect(trend.viz.pluginId).toBe('timeseries');
    expect(trend.viz.fieldConfig.defaults.thresholds).toEqual(HEALTH_THRESHOLDS);
    expect(trend.viz.fieldConfig.defaults.custom).toMatchObject({ thresholdsStyle: { mode: 'line+area' } });
    expect(trend.frames[0]?.fields[1]?.config.displayNameFromDS).toBe('Health score');
  });

  it('tables the objectives with ratios as percentages floored to two decimals, and each name opening Explore', () => {
    const { viz, frames } = objectivesPanel([objective], links);
    expect(viz.pluginId).toBe('table');
    expect(field(frames, 'SLI 1h')).toMatchObject({ values: [0.9996], config: { unit: 'percentunit', decimals: 2 } });
    expect(field(frames, 'Burn 1h')).toMatchObject({ values: [0.4], config: { unit: 'suffix:×' } });
    expect(field(frames, 'Budget left')).toMatchObject({ values: [0.73], config: { unit: 'percentunit' } });
    expect(field(frames, 'Score')?.config).toMatchObject({ thresholds: HEALTH_THRESHOLDS, custom: { cellOptions: { type: 'color-text' } } });
    const link = field(frames, 'Objective')?.config.links?.[0];
    expect(link?.url).toMatch(/^\/explore\?/);
    expect(exploreExpr(link?.url)).toBe('modelwatch:slo_error:ratio{slo="${__data.fields.Objective}",job="demo"}');
    expect(decodeURIComponent(link?.url ?? '')).toContain('"range":{"from":"now-6h","to":"now"}');
  });

  it('gives each key SLI its unit, and low request rates per minute', () => {
    const { viz, frames } = slisPanel(overview({ requestRate: [series({}, 0.05)], errorRatio: [series({}, 0.001)], aiSpendPerHour: [series({}, 0.2)] }));
    expect(viz.pluginId).toBe('stat');
    expect(field(frames, 'Requests')).toMatchObject({ values: [3], config: { unit: 'reqpm' } });
    expect(field(frames, '5xx share')?.config.unit).toBe('percentunit');
    expect(field(frames, 'p95 latency')?.config.unit).toBe('s');
    expect(field(frames, 'AI spend per hour')?.config.unit).toBe('currencyUSD');
  });

  it('links the slowest routes to Explore and the failing models to their dashboard, keeping range and service', () => {
    const routes = slowRoutesPanel(overview({ slowRoutes: [series({ http_request_method: 'POST', http_route: '/chat' }, 4.2)] }), links);
    expect(field(routes.frames, 'p95')).toMatchObject({ values: [4.2], config: { unit: 's' } });
    expect(exploreExpr(field(routes.frames, 'Route')?.config.links?.[0]?.url)).toContain('{http_route="${__data.fields.Route}",job="demo"}');
    const models = failingModelsPanel(overview({ failingModels: [series({ gen_ai_provider_name: 'openai', gen_ai_request_model: 'gpt-4o' }, 0.1)] }), links);
    expect(field(models.frames, 'Model')?.config.links?.[0]?.url).toBe('/d/modelwatch-ai-models?from=now-6h&to=now&var-job=demo&var-model=${__data.fields.Model}');
  });
});

describe('AI models panels', () => {
  const row: ModelRow = { id: 'openai/gpt-4o', provider: 'openai', model: 'gpt-4o', rate: 0.5, p95: 3.2, costPerRequest: 3.5e-7, costPerHour: 0.4, objectiveScore: 100, unpriced: false };

  it('tables models with a unit per column and cost per thousand calls', () => {
    const { viz, frames } = modelsPanel([row], links);
    expect(viz.pluginId).toBe('table');
    expect(field(frames, 'Calls (5m)')).toMatchObject({ values: [30], config: { unit: 'reqpm' } });
    expect(field(frames, 'p95')?.config.unit).toBe('s');
    expect(field(frames, 'Cost/1k calls')?.values[0]).toBeCloseTo(3.5e-4);
    expect(field(frames, 'SLOs')?.config.thresholds).toEqual(HEALTH_THRESHOLDS);
    expect(field(frames, 'Model')?.config.links?.[0]?.url).toContain('var-model=${__data.fields.Model}');
  });

  it('draws the projected spend against the budget, orange from 80 % and red past it', () => {
    const { viz } = budgetPanel(450, 500);
    expect(viz.pluginId).toBe('bargauge');
    expect(viz.fieldConfig.defaults).toMatchObject({ unit: 'currencyUSD', min: 0, max: 500 });
    expect(viz.fieldConfig.defaults.thresholds?.steps.map((s) => [s.value, s.color])).toEqual([
      [-Infinity, 'green'],
      [400, 'orange'],
      [500, 'red'],
    ]);
    expect(budgetPanel(450, undefined).viz.pluginId).toBe('stat');
  });

  it('draws time to first token against the lowest threshold of its objectives, latency in seconds', () => {
    const ttft = ttftPanel([series({ gen_ai_provider_name: 'openai', gen_ai_request_model: 'gpt-4o' }, 0.8)], [5.12, 2.56]);
    expect(ttft.viz.fieldConfig.defaults.thresholds?.steps[1]).toEqual({ value: 2.56, color: 'red' });
    // The axis reaches the threshold even while every model is far below it.
    expect(ttft.viz.fieldConfig.defaults.custom).toMatchObject({ axisSoftMax: 2.56, thresholdsStyle: { mode: 'line' } });
    expect(ttft.frames[0]?.fields[1]?.config.displayNameFromDS).toBe('openai/gpt-4o');
    expect(ttftPanel([], []).viz.fieldConfig.defaults.thresholds).toBeUndefined();
    expect(latencyPanel([]).viz).toMatchObject({ pluginId: 'timeseries', fieldConfig: { defaults: { unit: 's', min: 0 } } });
  });
});

describe('spend by tenant and feature', () => {
  const tenant = (name: string, value: number) => series({ job: 'demo', tenant: name }, value);

  it('lists each spending tenant with its budget, top spender first, the fold and the unattributed named in words', () => {
    const rows = spendRows('tenant', [tenant('globex', 300), tenant('acme', 900), tenant('_other', 50), tenant('_none', 120)], [tenant('acme', 1000), tenant('globex', 250), tenant('dormant', 400)]);
    // The budget of a tenant that spends nothing now makes no row.
    expect(rows.map((row) => row.name)).toEqual(['acme', 'globex', 'unattributed', 'other tenants']);
    const { viz, frames } = attributedSpendPanel('tenant', rows);
    expect(viz.pluginId).toBe('table');
    expect(viz.options.sortBy).toEqual([{ displayName: 'Projected month', desc: true }]);
    expect(field(frames, 'Tenant')?.values).toEqual(['acme', 'globex', 'unattributed', 'other tenants']);
    expect(field(frames, 'Projected month')).toMatchObject({ values: [900, 300, 120, 50], config: { unit: 'currencyUSD' } });
    expect(field(frames, 'Budget')).toMatchObject({ values: [1000, 250, null, null], config: { unit: 'currencyUSD' } });
    // A bar per budget, none where there is no budget.
    expect(field(frames, 'Budget used')?.values).toEqual([0.9, 1.2, null, null]);
  });

  it('draws the budget used as a bar from 0 to 100 %, orange from the first early warning and red at the whole budget', () => {
    const { frames } = attributedSpendPanel('feature', spendRows('feature', [series({ job: 'demo', feature: '_other' }, 10)], []));
    expect(field(frames, 'Feature')?.values).toEqual(['other features']);
    const config = field(frames, 'Budget used')?.config;
    expect(config).toMatchObject({ unit: 'percentunit', min: 0, max: 1, custom: { cellOptions: { type: 'gauge', mode: 'basic', valueDisplayMode: 'text' } } });
    expect(config?.thresholds?.steps.map((s) => [s.value, s.color])).toEqual([
      [-Infinity, 'green'],
      [0.8, 'orange'],
      [1, 'red'],
    ]);
  });
});

describe('provider panels', () => {
  const pair = { job: 'demo', gen_ai_provider_name: 'openai', gen_ai_request_model: 'gpt-4o', gen_ai_response_model: 'gpt-4o-mini' };

  it('tables requested → served models with their calls and share of the requested model, most first, linking the model to its dashboard', () => {
    const rows = substitutionRows([series(pair, 12), series({ ...pair, gen_ai_request_model: 'gpt-4.1', gen_ai_response_model: 'gpt-4.1-mini' }, 40)], [series(pair, 0.25)]);
    const { viz, frames } = substitutionsPanel(rows, links);
    expect(viz.pluginId).toBe('table');
    expect(viz.options.sortBy).toEqual([{ displayName: 'Calls', desc: true }]);
    expect(field(frames, 'Model')?.values).toEqual(['gpt-4.1', 'gpt-4o']);
    expect(field(frames, 'Answered by')?.values).toEqual(['gpt-4.1-mini', 'gpt-4o-mini']);
    expect(field(frames, 'Calls')).toMatchObject({ values: [40, 12], config: { decimals: 0 } });
    expect(field(frames, 'Share of its calls')).toMatchObject({ values: [null, 0.25], config: { unit: 'percentunit' } });
    expect(field(frames, 'Model')?.config.links?.[0]?.url).toContain('var-model=${__data.fields.Model}');
  });

  it('draws what is left of each rate limit as a bar, red when little is left, with the seconds to its reset', () => {
    const limit = { job: 'demo', gen_ai_provider_name: 'anthropic', gen_ai_request_model: 'claude-sonnet-4-5', limit_type: 'input_tokens' };
    const { viz, frames } = rateLimitsPanel(rateLimitRows([series(limit, 0.04)], [series(limit, 42)]), links);
    expect(viz.pluginId).toBe('table');
    expect(viz.options.sortBy).toEqual([{ displayName: 'Remaining', desc: false }]);
    expect(field(frames, 'Limit')?.values).toEqual(['input tokens']);
    expect(field(frames, 'Remaining')).toMatchObject({ values: [0.04], config: { unit: 'percentunit', min: 0, max: 1, custom: { cellOptions: { type: 'gauge' } } } });
    expect(field(frames, 'Remaining')?.config.thresholds?.steps.map((s) => [s.value, s.color])).toEqual([
      [-Infinity, 'red'],
      [0.1, 'orange'],
      [0.25, 'green'],
    ]);
    expect(field(frames, 'Resets in')).toMatchObject({ values: [42], config: { unit: 's' } });
    expect(field(frames, 'Model')?.config.links?.[0]?.url).toContain('/d/modelwatch-ai-models?');
  });
});

describe('Cache panels', () => {
  it('tables caches with ratio, rate, latency and spend units, and charts the hit ratio between 0 and 100 %', () => {
    const { frames } = cachesPanel([{ key: 'answers', labels: { cache_name: 'answers' }, values: { hitRatio: 0.42, lookups: 2, p95: 0.003, savedPerHour: 0.1, score: 100 } }]);
    expect(field(frames, 'Hit ratio')?.config.unit).toBe('percentunit');
    expect(field(frames, 'Lookups (5m)')).toMatchObject({ values: [2], config: { unit: 'reqps' } });
    expect(field(frames, 'Saved per hour (5m)')?.config.unit).toBe('currencyUSD');
    expect(hitRatioPanel([]).viz.fieldConfig.defaults).toMatchObject({ unit: 'percentunit', min: 0, max: 1 });
  });
});

describe('Alerts panel', () => {
  it('colours severities, folds a ticket under its page, says since when, and opens the runbook unencoded', () => {
    const base = { id: 'a', name: 'AvailabilityErrorBudgetBurn', state: 'firing' as const, severity: 'critical', summary: 's', value: 14.4, runbookUrl: 'https://runbooks.example/avail', since: '2026-12-06T10:00:00Z', source: 'Alertmanager' as const, labels: { job: 'demo', slo: 'availability' }, otherSeverities: [] };
    const ticket = { ...base, id: 'b', severity: 'warning', labels: { ...base.labels, severity: 'warning' } };
    const page = { ...base, labels: { ...base.labels, severity: 'critical' } };
    const { viz, frames } = alertsPanel({ alerts: [page, ticket], failures: [], pipeline: { state: 'healthy', message: '' } }, ['firing'], true);
    expect(viz.pluginId).toBe('table');
    expect(field(frames, 'Severity')?.values).toEqual(['critical']);
    expect(field(frames, 'Alert')?.values).toEqual(['AvailabilityErrorBudgetBurn (also warning)']);
    expect(field(frames, 'Severity')?.config.mappings?.[0]).toMatchObject({ options: { critical: { color: 'red' }, warning: { color: 'orange' } } });
    expect(field(frames, 'About')?.values).toEqual(['availability · demo']);
    expect(field(frames, 'Since')).toMatchObject({ values: [Date.parse('2026-12-06T10:00:00Z')], config: { unit: 'dateTimeFromNow' } });
    expect(field(frames, 'Runbook')?.config.links?.[0]?.url).toBe('${__value.raw:raw}');
    expect(field(frames, 'Summary')).toBeUndefined();
  });
});
