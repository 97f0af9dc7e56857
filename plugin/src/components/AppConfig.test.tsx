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
  it('shows the defaults and refuses an invalid budget with a clear message', () => {
    setup();
    expect(screen.getByLabelText(/Prometheus datasource uid/)).toHaveValue('modelwatch-prometheus');
    fireEvent.change(screen.getByLabelText('Monthly AI budget (USD)'), { target: { value: '-5' } });
    expect(screen.getByText('The monthly budget must be a positive number of US dollars.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Save settings' })).toBeDisabled();
  });

  it('saves valid settings in the app jsonData', async () => {
    const requests = setup({ monthlyBudgetUsd: 100 });
    fireEvent.change(screen.getByLabelText('Monthly AI budget (USD)'), { target: { value: '250' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    await waitFor(() => expect(screen.getByText('Settings saved. Reload the app pages to use them.')).toBeInTheDocument());
    expect(requests[0]).toMatchObject({ url: '/api/plugins/modelwatch-health-app/settings', method: 'POST', data: { enabled: true, jsonData: { monthlyBudgetUsd: 250, prometheusUid: 'modelwatch-prometheus' } } });
  });
});
