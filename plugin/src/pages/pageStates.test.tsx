/**
 * Each page's states in jsdom, with Grafana's routes answered by a fake
 * transport: no datasource, Prometheus unreachable, no data yet, bad URLs,
 * and data drawn through Grafana's PanelRenderer (a spy set through the
 * runtime's own hook records what each panel asked for).
 */
import React from 'react';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import type { AppPluginMeta } from '@grafana/data';
import type { AppSettings } from '@modelwatch/conventions';
import App from '../components/App';
import type { DsQueryRequest } from '../data/dsQuery';
import type { HttpRequest, HttpResponse, Transport } from '../data/transport';
import { spyOnPanels } from '../test/panelRendererSpy';

let panels: ReturnType<typeof spyOnPanels>;
beforeEach(() => {
  panels = spyOnPanels();
});
const panelFor = (plugin: string, field: string) => panels.filter((p) => p.pluginId === plugin).find((p) => p.data?.series.some((f) => f.fields.some((x) => x.name === field)));

const meta = (jsonData: AppSettings) => ({ id: 'modelwatch-health-app', jsonData }) as unknown as AppPluginMeta<AppSettings>;

function renderPage(path: string, transport: Transport, jsonData: AppSettings = { prometheusUid: 'prom', alertmanagerUid: 'am' }) {
  return render(
    <MemoryRouter initialEntries={[path]}>
      <App meta={meta(jsonData)} path="/a/modelwatch-health-app" query={{}} basename="" onNavChanged={() => undefined} transport={transport} />
    </MemoryRouter>,
  );
}

/** Answers /api/ds/query with one value per refId from `values` (refIds not listed get the no-data frame). */
function prometheus(values: Record<string, Array<{ labels: Record<string, string>; value: number }>>): Transport {
  return async (request: HttpRequest): Promise<HttpResponse> => {
    if (request.url !== '/api/ds/query') return { status: 200, data: { status: 'success', data: { groups: [] } } };
    const body = request.data as DsQueryRequest;
    const results = Object.fromEntries(
      body.queries.map((q) => {
        const series = values[q.refId] ?? [];
        const frames =
          series.length === 0
            ? [{ schema: { refId: q.refId, meta: { typeVersion: [0, 0] }, fields: [] }, data: { values: [] } }]
            : series.map((s) => ({ schema: { refId: q.refId, fields: [{ name: 'Time', type: 'time' }, { name: 'Value', type: 'number', labels: s.labels }] }, data: { values: [[1000], [s.value]] } }));
        return [q.refId, { status: 200, frames }];
      }),
    );
    return { status: 200, data: { results } };
  };
}

const demoJob = { jobs: [{ labels: { job: 'demo' }, value: 1 }] };

describe('page states', () => {
  it('says the datasource is missing when Grafana does not know it', async () => {
    renderPage('/overview', async () => ({ status: 404, data: { message: 'Data source not found' } }));
    expect(await screen.findByText('No Prometheus datasource configured')).toBeInTheDocument();
  });

  it('says Prometheus is unreachable on a 502 result', async () => {
    renderPage('/ai-models', async () => ({ status: 400, data: { results: { jobs: { status: 502, error: 'dial tcp: connect: connection refused', errorSource: 'downstream' } } } }));
    expect(await screen.findByText('Prometheus is unreachable')).toBeInTheDocument();
  });

  it('says there is no data yet when no service has Modelwatch metrics', async () => {
    renderPage('/cache', prometheus({}));
    expect(await screen.findByText('No data yet')).toBeInTheDocument();
  });

  it('shows the recorded score, its band, and explains it by objective', async () => {
    const chatLatency = { job: 'demo', slo: 'POST /chat: latency', slo_kind: 'http_latency', slo_target: '0.99', slo_threshold_seconds: '10', slo_scope: 'POST /chat', slo_alerting: 'page' };
    renderPage(
      '/overview',
      prometheus({
        ...demoJob,
        score: [{ labels: { job: 'demo' }, value: 58.2 }],
        trend: [{ labels: { job: 'demo' }, value: 58.2 }],
        components: [
          { labels: { ...chatLatency, component: 'POST /chat: latency' }, value: 58.2 },
          { labels: { job: 'demo', component: 'saturation' }, value: 100 },
        ],
        errorRatios: [{ labels: { ...chatLatency, window: '1h' }, value: 0.03 }],
        burnRates: [{ labels: { ...chatLatency, window: '1h' }, value: 3.2 }],
        budgetRemaining: [{ labels: chatLatency, value: 0.4 }],
      }),
    );
    await waitFor(() => expect(document.querySelector('[data-panel="health-score"]')).toHaveAttribute('data-band', 'critical'));
    expect(document.querySelector('[data-panel="health-score"]')).toHaveAttribute('data-score', '58.2');
    expect(screen.getByTestId('why')).toHaveTextContent('POST /chat: latency — 97.00 % answered within 10 s over 1h, target 99 %, burning 3.2× (page)');
    const objectives = panelFor('table', 'Objective');
    expect(objectives?.data?.series[0]?.fields.find((f) => f.name === 'Target')?.values).toEqual(['99 % answered within 10 s']);
    expect(objectives?.data?.series[0]?.fields.find((f) => f.name === 'Budget left')?.values).toEqual([0.4]);
    // Grafana's info icon by the title says why a measured burn can sit beside a score of 100.
    const info = document.querySelector('[data-panel="objectives"] [data-testid="title-items-container"]');
    expect(info).not.toBeNull();
    fireEvent.mouseEnter(info!.firstElementChild!);
    expect(await screen.findByText(/only once its long window holds 5 bad events/)).toBeInTheDocument();
    expect(panelFor('stat', 'Value')?.fieldConfig?.defaults.thresholds?.steps.map((s) => s.color)).toEqual(['red', 'orange', 'green']);
  });

  it('lists the models whose calls an alert moved to their fallback, once each, and says nothing when none did', async () => {
    const failover = (provider: string, model: string, instance: string) => ({ labels: { job: 'demo', instance, gen_ai_provider_name: provider, gen_ai_request_model: model }, value: 1 });
    const page = renderPage('/overview', prometheus({ ...demoJob, failovers: [failover('openai', 'gpt-4o-mini', 'a:1'), failover('openai', 'gpt-4o-mini', 'b:1'), failover('anthropic', 'claude-haiku-4-5', 'a:1')] }));
    // Once the page has loaded (no score in this data: its panel is empty).
    await waitFor(() => expect(document.querySelector('[data-panel="health-score"]')).toHaveAttribute('data-state', 'empty'));
    expect(screen.getByTestId('failovers')).toHaveTextContent('Calls to anthropic/claude-haiku-4-5, openai/gpt-4o-mini go to their fallback model while an alert on them fires.');
    page.unmount();
    renderPage('/overview', prometheus({ ...demoJob, score: [{ labels: { job: 'demo' }, value: 99 }] }));
    await waitFor(() => expect(document.querySelector('[data-panel="health-score"]')).toHaveAttribute('data-score', '99.0'));
    expect(screen.queryByTestId('failovers')).not.toBeInTheDocument();
  });

  it('says the recording rules are missing when a service has traffic but no recorded score', async () => {
    renderPage('/overview', prometheus({ ...demoJob, requestRate: [{ labels: {}, value: 3 }] }));
    expect((await screen.findAllByText('No health score recorded')).length).toBeGreaterThan(0);
  });

  it('lists AI models and calls out unpriced ones', async () => {
    const model = { gen_ai_provider_name: 'openai', gen_ai_request_model: 'gpt-4o-mini' };
    const mystery = { gen_ai_provider_name: 'openai', gen_ai_request_model: 'mystery-1' };
    renderPage(
      '/ai-models',
      prometheus({
        ...demoJob,
        rate: [{ labels: model, value: 2 }, { labels: mystery, value: 1 }],
        costPerHour: [{ labels: model, value: 1.5 }],
        unpriced: [{ labels: mystery, value: 1 }],
        projectedMonth: [{ labels: {}, value: 600 }],
        budget: [{ labels: { job: 'demo' }, value: 500 }],
      }),
    );
    expect(await screen.findByText('Models without a known price')).toBeInTheDocument();
    const table = panelFor('table', 'Model')?.data?.series[0];
    expect(table?.fields.find((f) => f.name === 'Model')?.values).toEqual(['gpt-4o-mini', 'mystery-1']);
    expect(table?.fields.find((f) => f.name === 'Cost/hour (5m)')).toMatchObject({ values: [1.5, null], config: { unit: 'currencyUSD' } });
    expect(document.querySelector('[data-panel="budget"]')).toHaveAttribute('data-over', 'true');
    expect(screen.getByTestId('budget')).toHaveTextContent('120.0 % of the $500.00 monthly budget');
    expect(panelFor('bargauge', 'Projected month spend')?.fieldConfig?.defaults).toMatchObject({ unit: 'currencyUSD', max: 500 });
  });

  it('draws spend by tenant against its budget, and says when no model was substituted and no rate-limit headroom was reported', async () => {
    renderPage(
      '/ai-models',
      prometheus({
        ...demoJob,
        tenantSpend: [{ labels: { job: 'demo', tenant: 'acme' }, value: 900 }, { labels: { job: 'demo', tenant: '_none' }, value: 40 }],
        tenantBudget: [{ labels: { job: 'demo', tenant: 'acme' }, value: 1000 }],
      }),
    );
    await waitFor(() => expect(document.querySelector('[data-panel="tenant-spend"]')).toHaveAttribute('data-names', 'acme|unattributed'));
    expect(document.querySelector('[data-panel="tenant-spend"]')).toHaveAttribute('data-budgets', '1');
    expect(panelFor('table', 'Tenant')?.data?.series[0]?.fields.find((f) => f.name === 'Budget used')?.values).toEqual([0.9, null]);
    expect(document.querySelector('[data-panel="feature-spend"]')).toHaveAttribute('data-state', 'empty');
    expect(screen.getByText('No model substitutions')).toBeInTheDocument();
    expect(document.querySelector('[data-panel="rate-limits"]')).toHaveTextContent("from the rate-limit headers of OpenAI's and Anthropic's responses");
  });

  it('shows the hit ratio of each cache', async () => {
    renderPage('/cache', prometheus({ ...demoJob, hitRatio: [{ labels: { cache_name: 'answers' }, value: 0.42 }] }));
    await waitFor(() => expect(document.querySelector('[data-panel="caches"]')).toHaveAttribute('data-caches', 'answers=0.42'));
    expect(panelFor('table', 'Hit ratio')?.data?.series[0]?.fields.find((f) => f.name === 'Hit ratio')).toMatchObject({ values: [0.42], config: { unit: 'percentunit' } });
  });

  it('says when there are no firing or pending alerts, and that no watchdog fires', async () => {
    renderPage('/alerts', async (request) => (request.url.includes('alertmanager') ? { status: 200, data: [] } : { status: 200, data: { status: 'success', data: { groups: [] } } }));
    expect(await screen.findByTestId('no-alerts')).toHaveTextContent('No firing or pending or suppressed alerts.');
    expect(screen.getByTestId('alerting-pipeline')).toHaveAttribute('data-state', 'broken');
  });

  it('reports a range it cannot read instead of querying it', async () => {
    const queried: string[] = [];
    const transport: Transport = async (request) => {
      queried.push(request.url);
      return prometheus(demoJob)(request);
    };
    renderPage('/overview?from=now-1h&to=now-2h', transport);
    expect(await screen.findByTestId('state-bad-range')).toHaveTextContent('starts');
    renderPage('/cache?from=yesterday-ish', transport);
    expect((await screen.findAllByTestId('state-bad-range'))[1]).toHaveTextContent('from=yesterday-ish');
    expect(queried).toEqual([]);
  });

  it('names an unknown service and the ones Prometheus has', async () => {
    renderPage('/overview?var-job=nope', prometheus(demoJob));
    expect(await screen.findByTestId('state-unknown-job')).toHaveTextContent('No service "nope" in Prometheus');
    expect(screen.getByTestId('state-unknown-job')).toHaveTextContent('(demo)');
  });
});
