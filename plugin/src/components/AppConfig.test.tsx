import React from 'react';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { AppPlugin, type DataSourceInstanceSettings } from '@grafana/data';
import { setDataSourceSrv, type DataSourceSrv } from '@grafana/runtime';
import type { AppSettings } from '@modelwatch/conventions';
import AppConfig from './AppConfig';
import type { HttpRequest } from '../data/transport';

/** The data sources this Grafana has, answered the way Grafana's data source service answers the pickers. */
const DATA_SOURCES = [
  { uid: 'modelwatch-prometheus', name: 'Modelwatch Prometheus', type: 'prometheus' },
  { uid: 'prom-2', name: 'Other Prometheus', type: 'prometheus' },
  { uid: 'modelwatch-alertmanager', name: 'Modelwatch Alertmanager', type: 'alertmanager' },
].map((ds) => ({ ...ds, id: 1, meta: { id: ds.type, info: { logos: {} } }, jsonData: {}, access: 'proxy', readOnly: false }) as unknown as DataSourceInstanceSettings);

beforeAll(() => {
  const byRef = (ref: unknown) => DATA_SOURCES.find((ds) => ds.uid === (typeof ref === 'string' ? ref : (ref as { uid?: string } | null)?.uid));
  setDataSourceSrv({
    // As Grafana's: without `all`, plugins declaring no metrics, logs, tracing, annotations or alerting (Alertmanager) are left out.
    getList: (filters: { type?: string; all?: boolean } = {}) => DATA_SOURCES.filter((ds) => (!filters.type || ds.type === filters.type) && (filters.all || ds.type !== 'alertmanager')),
    getInstanceSettings: byRef,
    get: async (ref: unknown) => byRef(ref),
    reload: async () => undefined,
    registerRuntimeDataSource: () => undefined,
  } as unknown as DataSourceSrv);
});

function setup(jsonData: AppSettings = {}) {
  const plugin = new AppPlugin<AppSettings>();
  plugin.meta = { id: 'modelwatch-health-app', enabled: true, pinned: true, jsonData } as unknown as typeof plugin.meta;
  const requests: HttpRequest[] = [];
  render(
    <AppConfig
      plugin={plugin}
      query={{}}
      transport={async (request) => {
        requests.push(request);
        return { status: 200, data: { message: 'Plugin settings updated' } };
      }}
    />,
  );
  return requests;
}

describe('AppConfig', () => {
  it('shows the default data sources in Grafana pickers and says where objectives and the budget are set', () => {
    setup();
    expect(screen.getByText('Modelwatch Prometheus')).toBeInTheDocument();
    expect(document.querySelector<HTMLInputElement>('#alertmanagerUid')?.value).toBe('Modelwatch Alertmanager');
    expect(screen.getByTestId('slo-spec-note')).toHaveTextContent("come from each service's SLO spec");
    expect(screen.queryByRole('spinbutton')).toBeNull();
  });

  it('refuses a saved uid this Grafana no longer has, naming it', () => {
    setup({ prometheusUid: 'gone' });
    expect(screen.getByText('This Grafana has no data source with uid "gone" (deleted or renamed?): pick one in the list.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Save settings' })).toBeDisabled();
  });

  it('saves valid settings in the app jsonData', async () => {
    const requests = setup({ prometheusUid: 'prom-2' });
    fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    await waitFor(() => expect(screen.getByText('Settings saved. Reload the app pages to use them.')).toBeInTheDocument());
    expect(requests[0]).toMatchObject({
      url: '/api/plugins/modelwatch-health-app/settings',
      method: 'POST',
      data: { enabled: true, jsonData: { prometheusUid: 'prom-2', alertmanagerUid: 'modelwatch-alertmanager', tempoUid: '', semconv: 'legacy' } },
    });
  });

  it("shows and saves the GenAI metric names the exporters write, the legacy ones unless set", async () => {
    setup();
    expect(document.querySelector<HTMLInputElement>('#semconv')?.value).toBe('Legacy (default)');
    cleanup();
    const requests = setup({ semconv: 'latest' });
    expect(document.querySelector<HTMLInputElement>('#semconv')?.value).toBe('GenAI semconv v0.1');
    fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    await waitFor(() => expect(requests).toHaveLength(1));
    expect(requests[0]).toMatchObject({ data: { jsonData: { semconv: 'latest' } } });
  });
});
