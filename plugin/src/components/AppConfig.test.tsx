import React from 'react';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { AppPlugin } from '@grafana/data';
import type { AppSettings } from '@modelwatch/exporter/conventions';
import AppConfig from './AppConfig';
import type { HttpRequest } from '../data/transport';

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
  it('shows the defaults, says where objectives and the budget are set, and refuses an empty Prometheus uid', () => {
    setup();
    expect(screen.getByLabelText(/Prometheus datasource uid/)).toHaveValue('modelwatch-prometheus');
    expect(screen.getByTestId('slo-spec-note')).toHaveTextContent("come from each service's SLO spec");
    expect(screen.queryByRole('spinbutton')).toBeNull();
    fireEvent.change(screen.getByLabelText(/Prometheus datasource uid/), { target: { value: ' ' } });
    expect(screen.getByText('Pick the Prometheus datasource the pages query.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Save settings' })).toBeDisabled();
  });

  it('saves valid settings in the app jsonData', async () => {
    const requests = setup({ prometheusUid: 'prom' });
    fireEvent.change(screen.getByLabelText(/Alertmanager datasource uid/), { target: { value: 'am-2' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    await waitFor(() => expect(screen.getByText('Settings saved. Reload the app pages to use them.')).toBeInTheDocument());
    expect(requests[0]).toMatchObject({ url: '/api/plugins/modelwatch-health-app/settings', method: 'POST', data: { enabled: true, jsonData: { prometheusUid: 'prom', alertmanagerUid: 'am-2' } } });
  });
});
